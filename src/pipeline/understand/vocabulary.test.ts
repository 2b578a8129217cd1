import { describe, expect, it } from 'vitest';
import { MEDICAL_VOCABULARY, vocabularyExpansions } from './vocabulary.js';

describe('medical vocabulary', () => {
  it('has at least 500 entries, none empty', () => {
    const entries = Object.keys(MEDICAL_VOCABULARY.abbreviations).length + MEDICAL_VOCABULARY.synonyms.length;
    expect(entries).toBeGreaterThanOrEqual(500);
    for (const [abbreviation, expansion] of Object.entries(MEDICAL_VOCABULARY.abbreviations)) {
      expect(abbreviation).toMatch(/^[a-z0-9][a-z0-9/-]*$/);
      expect(expansion.length).toBeGreaterThan(abbreviation.length);
    }
    for (const group of MEDICAL_VOCABULARY.synonyms) {
      expect(group.length).toBeGreaterThanOrEqual(2);
      expect(new Set(group).size).toBe(group.length);
    }
  });

  it('expands an abbreviation written as one', () => {
    expect(vocabularyExpansions('Is ALS inherited?')).toContain('amyotrophic lateral sclerosis');
    expect(vocabularyExpansions('Does IL-6 rise in sepsis?')).toContain('interleukin');
  });

  it('leaves everyday words alone', () => {
    expect(vocabularyExpansions('who can help or advise?')).toEqual([]);
  });

  it('brings in the other names of a lay or technical term, both ways', () => {
    expect(vocabularyExpansions('What helps after a heart attack?')).toContain('myocardial infarction');
    expect(vocabularyExpansions('Outcomes after myocardial infarction')).toContain('heart attack');
  });
});
