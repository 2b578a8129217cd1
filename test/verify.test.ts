import { describe, expect, it } from 'vitest';
import type { Draft } from '../src/pipeline/compose/draft.js';
import { numbersIn, unsupportedParts, verify } from '../src/pipeline/verify/index.js';
import type { StoredDocument } from '../src/domain/source.js';

const TEXT =
  'Pain fell by 52.9% at 2 years. Infection occurred in 0.7% of patients. Ablation did not increase stiffness.';

function storeWith(text: string) {
  const doc: StoredDocument = {
    id: 'd1',
    kind: 'rct',
    title: 'A trial',
    text,
    sections: [],
    meshTerms: [],
    publicationTypes: [],
    funding: [],
    recommendations: [{ statement: 'Offer ablation to selected adults.', direction: 'for', strength: 'Strong' }],
    metadata: {},
    version: 1,
    contentHash: 'x',
    updatedAt: '2026-01-01T00:00:00Z',
  };
  return { getDocuments: async (ids: readonly string[]) => new Map(ids.includes('d1') ? [['d1', doc]] : []) };
}

const span = (text: string, quote: string) => {
  const start = text.indexOf(quote);
  return { documentId: 'd1', start, end: start + quote.length, quote };
};

function draft(bullets: Draft['sections'][number]['bullets'], recommendations: Draft['recommendations'] = []): Draft {
  return {
    question: 'q',
    audience: 'clinician',
    status: 'answered',
    directAnswer: {
      text: 'Pain fell by 52.9% at 2 years.',
      citations: ['d1'],
      support: [span(TEXT, 'Pain fell by 52.9% at 2 years.')],
    },
    sections: [{ heading: 'Outcomes', bullets }],
    recommendations,
    limitations: [],
    conflicts: [],
    references: [{ id: 'd1', documentId: 'd1', kind: 'rct', label: 'Research', title: 'A trial' }],
    relatedQuestions: [],
  };
}

describe('verify', () => {
  it('keeps a bullet whose numbers and span match its source', async () => {
    const quote = 'Infection occurred in 0.7% of patients.';
    const result = await verify(draft([{ text: quote, citations: ['d1'], support: [span(TEXT, quote)] }]), {
      store: storeWith(TEXT),
    });
    expect(result.verification).toMatchObject({ checked: 2, dropped: 0 });
    expect(result.draft.sections[0]!.bullets).toHaveLength(1);
  });

  it('drops a bullet whose number is not in its span, and says why', async () => {
    const quote = 'Infection occurred in 0.7% of patients.';
    const result = await verify(
      draft([
        { text: 'Infection occurred in 7% of patients.', citations: ['d1'], support: [span(TEXT, quote)] },
        { text: quote, citations: ['d1'], support: [span(TEXT, quote)] },
      ]),
      { store: storeWith(TEXT) },
    );
    expect(result.verification.dropped).toBe(1);
    expect(result.verification.failures[0]!.reason).toContain('number 7');
    expect(result.draft.sections[0]!.bullets.map((b) => b.text)).toEqual([quote]);
  });

  it('drops a bullet whose span does not equal its quote, cites nothing, or flips direction', async () => {
    const quote = 'Ablation did not increase stiffness.';
    const good = span(TEXT, quote);
    const result = await verify(
      draft([
        { text: quote, citations: ['d1'], support: [{ ...good, start: good.start + 1 }] },
        { text: quote, citations: ['nope'], support: [good] },
        { text: 'Ablation did increase stiffness.', citations: ['d1'], support: [good] },
        { text: 'Ablation lower stiffness.', citations: ['d1'], support: [good] },
      ]),
      { store: storeWith(TEXT) },
    );
    expect(result.verification.dropped).toBe(4);
    expect(result.draft.sections).toEqual([]);
    const reasons = result.verification.failures.map((f) => f.reason).join('\n');
    expect(reasons).toContain('does not match its quote');
    expect(reasons).toContain('unknown reference nope');
    expect(reasons).toContain('direction word "lower"');
  });

  it('drops a recommendation that its document does not state', async () => {
    const result = await verify(
      draft(
        [],
        [
          { statement: 'Offer ablation to selected adults.', direction: 'for', strength: 'Strong', citations: ['d1'] },
          { statement: 'Offer ablation to everyone.', direction: 'for', strength: 'Strong', citations: ['d1'] },
        ],
      ),
      { store: storeWith(`${TEXT} Offer ablation to selected adults.`) },
    );
    expect(result.draft.recommendations.map((r) => r.statement)).toEqual(['Offer ablation to selected adults.']);
    expect(result.verification.dropped).toBe(1);
  });
});

describe('claims', () => {
  it('normalises numbers', () => {
    expect(numbersIn('1,000 patients, 52.9%, 6.0 months, ≥3 levels')).toEqual(['1000', '52.9', '6', '3']);
    expect(unsupportedParts('Risk was 2.1% higher.', ['Risk was 2.1% higher than control.'])).toEqual([]);
  });
});
