import { describe, expect, it } from 'vitest';
import { findConflicts } from '../src/pipeline/compose/conflicts.js';
import { understand } from '../src/pipeline/understand/understand.js';
import { opposesQuestion, sentenceStance, stanceOf } from '../src/pipeline/compose/stance.js';
import { glossaryFor, LAY_TERMS, plainWords } from '../src/pipeline/render/patient.js';
import { fleschKincaidGrade } from '../src/pipeline/render/readability.js';
import { directionWordsIn, numbersIn } from '../src/pipeline/verify/claims.js';
import { capWords, rouge2Recall, rouge2RecallOne } from '../src/eval/answers-metrics.js';

const sentence = (documentId: string, text: string) => ({
  documentId,
  sectionIndex: 0,
  start: 0,
  end: text.length,
  text,
});

describe('which questions ask for a yes or a no', () => {
  const asks = (text: string) => understand({ text, audience: 'clinician' }).yesNo;

  it('takes a statement to judge and a question after an opening clause as yes/no', () => {
    expect(asks('Does metformin lower HbA1c?')).toBe(true);
    expect(asks('Tocilizumab blocks the interleukin-6 receptor, yes or no?')).toBe(true);
    expect(asks('As of 2020, is insulin glargine a long-acting insulin?')).toBe(true);
  });

  it('leaves questions that ask what, where or how', () => {
    expect(asks('Where in the body, is insulin made?')).toBe(false);
    expect(asks('What does metformin do?')).toBe(false);
    expect(asks('List the side effects of metformin.')).toBe(false);
  });
});

describe('stance on a yes/no question', () => {
  it('reads denial, hedging and affirmation', () => {
    expect(sentenceStance('The drug did not reduce mortality in the trial.')).toBe('no');
    expect(sentenceStance('Whether the drug reduces mortality remains unclear.')).toBe('uncertain');
    expect(sentenceStance('The drug reduced mortality by a third.')).toBe('yes');
    expect(sentenceStance('Not only pain but also function improved.')).toBe('yes');
  });

  it('weighs the closest sentences', () => {
    const said = [
      { text: 'The vaccine prevented most infections.', weight: 1 },
      { text: 'No effect was seen in older adults.', weight: 0.2 },
    ];
    expect(stanceOf(said)).toBe('yes');
    expect(stanceOf([{ ...said[1]!, weight: 1 }, said[0]!])).toBe('no');
    expect(stanceOf([])).toBe('uncertain');
  });

  it('answers no when the evidence names the opposite action', () => {
    expect(opposesQuestion('Does drug X inhibit receptor Y?', 'Drug X is an agonist of receptor Y.')).toBe(true);
    expect(opposesQuestion('Does drug X inhibit receptor Y?', 'Drug X inhibits receptor Y.')).toBe(false);
  });
});

describe('conflicts between sources', () => {
  it('shows two sources that give different figures on the same point, citing both', () => {
    const conflicts = findConflicts([
      { sentence: sentence('a', 'Candidates have had back pain for at least 6 months.'), refId: 'a' },
      { sentence: sentence('b', 'Candidates have had back pain for at least 3 months.'), refId: 'b' },
      { sentence: sentence('c', 'The clinic is open on weekdays.'), refId: 'c' },
    ]);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.citations.sort()).toEqual(['a', 'b']);
    expect(conflicts[0]!.text).toContain('6 months');
    expect(conflicts[0]!.text).toContain('3 months');
  });

  it('finds none when the sources agree or come from one document', () => {
    expect(
      findConflicts([
        { sentence: sentence('a', 'Candidates have had back pain for at least 6 months.'), refId: 'a' },
        { sentence: sentence('a', 'Candidates have had back pain for at least 3 months.'), refId: 'a' },
      ]),
    ).toEqual([]);
  });
});

describe('plain words for patients', () => {
  it('has at least 300 terms, and no plain word carries a number or a direction word', () => {
    expect(LAY_TERMS.length).toBeGreaterThanOrEqual(300);
    for (const t of LAY_TERMS) {
      expect(t.plain ?? t.meaning, t.term).toBeTruthy();
      if (t.plain) {
        expect(numbersIn(t.plain), t.term).toEqual([]);
        expect(directionWordsIn(t.plain), t.term).toEqual([]);
      }
    }
    expect(new Set(LAY_TERMS.map((t) => t.term.toLowerCase())).size).toBe(LAY_TERMS.length);
  });

  it('replaces jargon, keeps numbers and capitals, and prefers the longest term', () => {
    const { text, replaced } = plainWords('Hypertension above 140 mmHg raises the risk of myocardial infarction.');
    expect(text).toBe('High blood pressure above 140 mmHg raises the risk of heart attack.');
    expect(replaced).toEqual(['hypertension', 'myocardial infarction']);
    expect(plainWords('an outpatient visit').text).toBe('a day-case visit');
  });

  it('explains the terms that remain in a glossary', () => {
    const glossary = glossaryFor('An MRI shows Modic changes.');
    expect(glossary.map((g) => g.term)).toEqual(expect.arrayContaining(['MRI', 'Modic changes']));
    expect(glossaryFor('Nothing technical here.')).toEqual([]);
  });

  it('reads easier after the plain words', () => {
    const clinical =
      'Asymptomatic hypertension with proteinuria warrants antihypertensive pharmacotherapy to prevent nephropathy.';
    expect(fleschKincaidGrade(plainWords(clinical).text)).toBeLessThan(fleschKincaidGrade(clinical));
  });
});

describe('answer metrics', () => {
  it('counts ROUGE-2 recall of the reference bigrams, with multiplicity', () => {
    expect(rouge2RecallOne('the cat sat on the mat', 'the cat sat')).toBe(1);
    expect(rouge2RecallOne('a dog', 'the cat sat')).toBe(0);
    expect(rouge2RecallOne('the cat', 'the cat the cat')).toBeCloseTo(1 / 3);
    expect(rouge2Recall('the cat sat', ['the cat sat', 'a dog ran'])).toBe(1);
    expect(rouge2Recall('a dog', ['the cat sat', 'a dog ran'])).toBeCloseTo(0.5);
  });

  it('caps an answer at a number of words', () => {
    expect(capWords('one two  three four', 2)).toBe('one two');
  });
});
