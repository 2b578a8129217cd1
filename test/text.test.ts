import { describe, expect, it } from 'vitest';
import { segmentDocument, PASSAGE_MAX_CHARS } from '../src/domain/segment.js';
import { layoutSections } from '../src/domain/source.js';
import { splitSentences } from '../src/domain/text.js';
import { toMatchExpression } from '../src/adapters/store/sqlite/fts-query.js';

const sentences = (t: string) => splitSentences(t).map((s) => t.slice(s.start, s.end));

describe('sentence splitting', () => {
  it('does not break after abbreviations, initials or decimals', () => {
    expect(
      sentences('Smith et al. found a 52.9% fall (e.g. in VAS) vs. sham. Give 3 mg i.v. daily. J. Doe agreed.'),
    ).toEqual(['Smith et al. found a 52.9% fall (e.g. in VAS) vs. sham.', 'Give 3 mg i.v. daily.', 'J. Doe agreed.']);
  });
  it('treats lines as boundaries and drops list markers', () => {
    expect(sentences('Contraindications\n- Active infection.\n- Coagulopathy.\n1. Pregnancy.')).toEqual([
      'Contraindications',
      'Active infection.',
      'Coagulopathy.',
      'Pregnancy.',
    ]);
  });
  it('returns exact offsets even with astral characters and extra white space', () => {
    const t = '  Pain fell 😀 sharply.   Next one here!  ';
    for (const s of splitSentences(t)) expect(t.slice(s.start, s.end).trim()).toBe(t.slice(s.start, s.end));
    expect(sentences(t)).toEqual(['Pain fell 😀 sharply.', 'Next one here!']);
  });
});

describe('segmenting a document', () => {
  it('keeps passages inside sections and under the size limit', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} says something about pain.`).join(' ');
    const { text, sections } = layoutSections([
      { heading: 'A', text: long },
      { heading: 'B', text: 'Short section.' },
    ]);
    const { sentences: ss, passages } = segmentDocument({ id: 'd', text, sections });
    expect(ss).toHaveLength(31);
    for (const p of passages) {
      expect(p.end - p.start).toBeLessThanOrEqual(PASSAGE_MAX_CHARS);
      const section = sections[p.sectionIndex]!;
      expect(p.start).toBeGreaterThanOrEqual(section.start);
      expect(p.end).toBeLessThanOrEqual(section.end);
    }
    expect(passages[passages.length - 1]).toMatchObject({ heading: 'B' });
  });
});

describe('FTS5 query compilation', () => {
  it('quotes every word and phrase', () => {
    expect(
      toMatchExpression({ clauses: [{ text: 'Back pain?' }, { text: 'basivertebral nerve', phrase: true }] }),
    ).toBe('"back" OR "pain" OR "basivertebral nerve"');
    expect(toMatchExpression({ clauses: [{ text: 'NEAR("x" y)' }] })).toBe('"near" OR "x" OR "y"');
    expect(toMatchExpression({ clauses: [{ text: '?? --' }] })).toBeNull();
  });
});
