import { describe, expect, it } from 'vitest';
import { feedbackClauses } from './feedback.js';
import { applyPriors, NO_PRIORS } from './priors.js';
import { queryClauses, spellGreek, tokenVariants } from './query-terms.js';
import { combineScores, groupByDocument } from './retrieve.js';
import { sectionCues } from './section-cues.js';

const ALL_ON = { questionStopWords: true, biomedicalTokens: true };
const words = (clauses: ReturnType<typeof queryClauses>) => clauses.filter((c) => !c.phrase).map((c) => c.text);

describe('query terms', () => {
  it('drops words that only make a sentence a question', () => {
    expect(words(queryClauses('Which genes play a role in Marfan syndrome?', ALL_ON))).toEqual([
      'genes',
      'marfan',
      'syndrome',
    ]);
    expect(
      words(queryClauses('Which genes play a role in Marfan syndrome?', { ...ALL_ON, questionStopWords: false })),
    ).toEqual(['genes', 'play', 'role', 'marfan', 'syndrome']);
  });

  it('adds a short hyphenated name joined, never its words again as a phrase', () => {
    expect(queryClauses('Is IL-6 raised in sepsis?', ALL_ON)).toEqual([
      { text: 'il' },
      { text: '6' },
      { text: 'il6' },
      { text: 'raised' },
      { text: 'sepsis' },
    ]);
    expect(queryClauses('Is IL-6 raised?', { ...ALL_ON, biomedicalTokens: false })).toEqual([
      { text: 'il' },
      { text: '6' },
      { text: 'raised' },
    ]);
  });

  it('spells out Greek letters', () => {
    expect(spellGreek('tnf-α')).toBe('tnf-alpha');
    expect(spellGreek('β2')).toBe('beta2');
    expect(tokenVariants('tnf-α')).toEqual([{ text: 'tnfα' }, { text: 'tnfalpha' }, { text: 'alpha' }]);
    expect(tokenVariants('sars-cov-2')).toEqual([{ text: 'sarscov2' }]);
  });

  it('searches a Greek letter under both spellings, so neither form of a name is favoured', () => {
    const found = words(queryClauses('Does β-catenin drive it?', ALL_ON));
    expect(found).toContain('β');
    expect(found).toContain('beta');
    expect(found).toContain('catenin');
  });

  it('keeps words a patient uses as filler but a study may be about', () => {
    expect(words(queryClauses('Do patients really want more aggressive treatment?', ALL_ON))).toEqual([
      'patients',
      'really',
      'want',
      'aggressive',
      'treatment',
    ]);
  });

  it('keeps a number with its unit', () => {
    expect(queryClauses('Is 5 mg of warfarin enough?', ALL_ON)).toContainEqual({ text: '5 mg', phrase: true });
  });
});

describe('section cues', () => {
  it.each([
    ['What are the symptoms of Marfan syndrome ?', ['symptoms', 'signs']],
    ['What causes Autoimmune hepatitis ?', ['causes']],
    ['What are the treatments for Breast Cancer ?', ['treatment', 'therapy', 'management']],
    ['Is Chronic hiccups inherited ?', ['inheritance']],
    ['How many people are affected by renal hypouricemia ?', ['frequency']],
    ['What is (are) Wolman disease ?', ['information', 'overview']],
    ['What is the outlook for Sotos syndrome ?', ['outlook', 'prognosis']],
  ])('"%s" asks for %j', (question, headings) => {
    expect(sectionCues(question)).toEqual(headings);
  });

  it('finds none in a question that names no section', () => {
    expect(sectionCues('Does metformin lower HbA1c in adolescents?')).toEqual([]);
  });
});

describe('scores', () => {
  const passage = (documentId: string, score: number) => ({
    id: `${documentId}${score}`,
    documentId,
    section: '',
    start: 0,
    end: 1,
    text: 'x',
    score,
  });

  it('groups passages by document: best plus a share of the second', () => {
    const docs = groupByDocument([passage('a', 3), passage('b', 4), passage('a', 2)], 0.5, 10);
    expect(docs.map((d) => [d.documentId, d.score])).toEqual([
      ['a', 4],
      ['b', 4],
    ]);
    expect(groupByDocument([passage('a', 3), passage('b', 4)], 0.5, 1)).toHaveLength(1);
  });

  it('adds a feedback ranking, scaled, to the first', () => {
    const combined = combineScores(
      [
        { documentId: 'a', score: 10 },
        { documentId: 'b', score: 9 },
      ],
      [
        { documentId: 'b', score: 10 },
        { documentId: 'c', score: 4 },
      ],
      0.5,
    );
    expect(combined).toEqual([
      { documentId: 'b', score: 14 },
      { documentId: 'a', score: 10 },
      { documentId: 'c', score: 2 },
    ]);
  });

  it('picks feedback terms typical of the top documents, not the query words', () => {
    const terms = feedbackClauses(
      [
        { text: 'Statins lower cholesterol. Statins reduce cholesterol synthesis.', score: 10 },
        { text: 'Cholesterol lowering with statins and ezetimibe.', score: 5 },
      ],
      ['statins'],
      { terms: 2 },
    ).map((c) => c.text);
    expect(terms[0]).toBe('cholesterol');
    expect(terms).not.toContain('statins');
    expect(terms).toHaveLength(2);
  });

  it('raises guidelines and recent documents when priors are on, and changes nothing when off', () => {
    const ranked = [
      { documentId: 'old-study', score: 10 },
      { documentId: 'guideline', score: 9 },
    ];
    const docs = new Map([
      ['old-study', { kind: 'other' as const, year: 1990 }],
      ['guideline', { kind: 'guideline' as const, year: 2020 }],
    ]);
    expect(applyPriors(ranked, docs, NO_PRIORS)).toEqual(ranked);
    const raised = applyPriors(ranked, docs, { kindWeight: 0.5, recencyWeight: 0.2, recencyHalfLifeYears: 10 });
    expect(raised.map((d) => d.documentId)).toEqual(['guideline', 'old-study']);
    // guideline: 9 × (1 + 0.5 × 1 + 0.2 × 1) = 15.3
    expect(raised[0]?.score).toBeCloseTo(15.3, 10);
  });
});
