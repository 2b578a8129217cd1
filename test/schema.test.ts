import { describe, expect, it } from 'vitest';
import { ValidArticle, type Article } from '../src/domain/article.js';
import { SourceDocument } from '../src/domain/source.js';

const valid: Article = {
  id: 'a-1',
  version: 1,
  question: 'Is basivertebral nerve ablation effective?',
  audience: 'clinician',
  status: 'answered',
  directAnswer: { text: 'It improved disability scores in trials.', citations: ['md:x'] },
  sections: [
    {
      heading: 'Expected outcomes',
      bullets: [
        {
          text: 'It improved disability scores in trials.',
          citations: ['md:x'],
          support: [{ documentId: 'md:x', start: 0, end: 40, quote: 'It improved disability scores in trials.' }],
        },
      ],
    },
  ],
  recommendations: [{ statement: 'Offer it.', direction: 'for', strength: 'Strong', citations: ['md:x'] }],
  limitations: [{ text: 'Industry-funded trials.', citations: ['md:x'] }],
  conflicts: [],
  references: [{ id: 'md:x', documentId: 'md:x', kind: 'rct', label: 'Research', title: 'A trial', year: 2019 }],
  relatedQuestions: ['What are the risks?'],
  readingGrade: 9.5,
  verification: { checked: 2, dropped: 0, failures: [] },
  review: { status: 'submitted', history: [] },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  disclaimer: 'Not medical advice.',
};

describe('the article schema', () => {
  it('accepts a valid article', () => {
    expect(ValidArticle.parse(valid)).toEqual(valid);
  });

  it.each([
    ['a missing direct answer', { directAnswer: undefined }],
    ['an unknown status', { status: 'maybe' }],
    ['an unknown audience', { audience: 'robot' }],
    [
      'a bullet without citations',
      { sections: [{ heading: 'X', bullets: [{ ...valid.sections[0]!.bullets[0]!, citations: [] }] }] },
    ],
    [
      'a bullet without support',
      { sections: [{ heading: 'X', bullets: [{ ...valid.sections[0]!.bullets[0]!, support: [] }] }] },
    ],
    [
      'a negative span offset',
      {
        sections: [
          {
            heading: 'X',
            bullets: [
              { ...valid.sections[0]!.bullets[0]!, support: [{ documentId: 'md:x', start: -1, end: 3, quote: 'abc' }] },
            ],
          },
        ],
      },
    ],
    ['a citation to no reference', { directAnswer: { text: 'x', citations: ['ghost'] } }],
    ['duplicate reference ids', { references: [valid.references[0]!, valid.references[0]!] }],
    ['a non-integer version', { version: 1.5 }],
    ['an unknown review status', { review: { status: 'published', history: [] } }],
  ])('rejects %s', (_name, change) => {
    expect(ValidArticle.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});

describe('the source document schema', () => {
  it('fills defaults and rejects unknown kinds', () => {
    const doc = SourceDocument.parse({ id: 'md:a', kind: 'guideline', title: 'T', text: 'Body.' });
    expect(doc.meshTerms).toEqual([]);
    expect(doc.recommendations).toEqual([]);
    expect(SourceDocument.safeParse({ id: 'md:a', kind: 'blog', title: 'T', text: 'Body.' }).success).toBe(false);
  });
});
