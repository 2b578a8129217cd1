import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bm25Contribution,
  chooseCandidatePhrases,
  conjunctionOrder,
  contenders,
  estimateHits,
  fts5Idf,
  readVarints,
  rowidStrata,
} from './bm25-scoring.js';

describe('BM25 as FTS5 computes it', () => {
  it('gives the Robertson idf, and a tiny positive value for words in half the documents or more', () => {
    // ln((100 − 9 + 0.5) / (9 + 0.5)) = ln(9.6315…) = 2.2650…
    expect(fts5Idf(100, 9)).toBeCloseTo(2.265, 3);
    expect(fts5Idf(100, 50)).toBe(1e-6);
    expect(fts5Idf(100, 80)).toBe(1e-6);
  });

  it('saturates with frequency and penalises long documents', () => {
    // idf 2, weighted frequency 1, length = average: 2 × 1 × 2.2 / (1 + 1.2) = 2
    expect(bm25Contribution(2, 1, 50, 50)).toBeCloseTo(2, 10);
    // frequency 20 (a title word weighted 20): 2 × 20 × 2.2 / (20 + 1.2) = 4.1509…
    expect(bm25Contribution(2, 20, 50, 50)).toBeCloseTo(4.1509, 4);
    // twice the average length: norm = 1.2 × (0.25 + 1.5) = 2.1 → 2 × 2.2 / 3.1 = 1.4193…
    expect(bm25Contribution(2, 1, 100, 50)).toBeCloseTo(1.4194, 4);
    expect(bm25Contribution(2, 0, 50, 50)).toBe(0);
  });

  it('reads SQLite varints of one, two and nine bytes', () => {
    expect(readVarints(Uint8Array.from([0x05, 0x7f]))).toEqual([5, 127]);
    expect(readVarints(Uint8Array.from([0x81, 0x00, 0x82, 0x01]))).toEqual([128, 257]);
    expect(readVarints(Uint8Array.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))).toEqual([2 ** 57]);
  });
});

describe('bounded candidate generation', () => {
  it('splits the rowids into equal strata that cover them all', () => {
    expect(rowidStrata(100, 4)).toEqual([
      { from: 1, to: 26 },
      { from: 26, to: 51 },
      { from: 51, to: 76 },
      { from: 76, to: 101 },
    ]);
    expect(rowidStrata(2, 8)).toEqual([
      { from: 1, to: 2 },
      { from: 2, to: 3 },
    ]);
  });

  it('counts exactly below the cap and extrapolates within a stratum above it', () => {
    const stratum = { from: 1, to: 1001, cap: 100 };
    expect(estimateHits([{ ...stratum, counted: 37, last: 900 }], 1000)).toBe(37);
    // 100 postings within the first quarter of the stratum: about 400 in it.
    expect(estimateHits([{ ...stratum, counted: 100, last: 250 }], 1000)).toBe(400);
    // Strata add up; never more documents than the index has.
    expect(
      estimateHits(
        [
          { from: 1, to: 501, cap: 50, counted: 50, last: 100 },
          { from: 501, to: 1001, cap: 50, counted: 7, last: 990 },
        ],
        1000,
      ),
    ).toBe(257);
    expect(estimateHits([{ ...stratum, counted: 100, last: 10 }], 1000)).toBe(1000);
  });

  it('takes the rarest phrases while their postings fit the budget, always at least one', () => {
    expect(chooseCandidatePhrases([500, 3, 40, 0, 900], 100)).toEqual([1, 2]);
    expect(chooseCandidatePhrases([500, 300], 100)).toEqual([1]);
    expect(chooseCandidatePhrases([5, 5, 5], 100)).toEqual([0, 1, 2]);
    expect(chooseCandidatePhrases([0, 0], 100)).toEqual([]);
  });

  it('AND-s common phrases rarest first, leaving out phrases no document has', () => {
    expect(conjunctionOrder([900, 0, 500, 700, 500])).toEqual([2, 4, 3, 0]);
    expect(conjunctionOrder([0])).toEqual([]);
  });
});

describe('candidates that can still reach the best few', () => {
  it('leaves out a candidate whose score plus the most the other phrases can add stays below the cut', () => {
    // One phrase left, idf 2, at most weight 1, length = average: it adds at most 2 (see above).
    const phrases = [{ idf: 2, maxFrequency: 1 }];
    const candidates = [
      { id: 'a', score: 10, length: 50 },
      { id: 'b', score: 9, length: 50 },
      { id: 'c', score: 7.5, length: 50 }, // 7.5 + 2 = 9.5 ≥ 9, the second best: kept
      { id: 'd', score: 6.9, length: 50 }, // 6.9 + 2 = 8.9 < 9: left out
      { id: 'e', score: 6.9, length: 10 }, // shorter, so up to 2 × 2.2 / (1 + 1.2 × 0.4) = 2.97…: kept
    ];
    expect(contenders(candidates, phrases, 2, 50).map((c) => c.id)).toEqual(['a', 'b', 'c', 'e']);
    // No fewer than the limit, and nothing to add: only the best two remain, ties kept.
    expect(contenders(candidates, [], 2, 50).map((c) => c.id)).toEqual(['a', 'b']);
    expect(contenders(candidates, phrases, 5, 50)).toHaveLength(5);
  });

  it('never leaves out a document of the final best few', () => {
    const candidate = fc.record({
      score: fc.double({ min: 0, max: 20, noNaN: true }),
      length: fc.integer({ min: 1, max: 400 }),
      // What each of two phrases turns out to add: a share of its most.
      shares: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(
        fc.array(candidate, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (cands, limit) => {
          const phrases = [
            { idf: 1.5, maxFrequency: 3 },
            { idf: 0.4, maxFrequency: 1 },
          ];
          const final = (c: (typeof cands)[number]) =>
            c.score +
            phrases.reduce((s, p, i) => s + bm25Contribution(p.idf, p.maxFrequency * c.shares[i]!, c.length, 100), 0);
          const best = (list: typeof cands) =>
            list
              .map((c, i) => ({ i, f: final(c) }))
              .sort((a, b) => b.f - a.f || a.i - b.i)
              .slice(0, limit)
              .map((c) => c.f);
          const indexed = cands.map((c, i) => ({ ...c, i }));
          const kept = contenders(indexed, phrases, limit, 100);
          expect(kept.every((c, k) => k === 0 || kept[k - 1]!.i < c.i)).toBe(true);
          expect(best(kept)).toEqual(best(cands));
        },
      ),
    );
  });
});
