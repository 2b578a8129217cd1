import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fusion.js';

describe('reciprocal rank fusion', () => {
  it('sums 1 / (k + rank) over the rankings', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['b', 'd'],
      ],
      60,
    );
    // b: 1/62 + 1/61; a: 1/61; d: 1/62; c: 1/63.
    expect(fused.map((d) => d.documentId)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[3]?.score).toBeCloseTo(1 / 63, 12);
  });

  it('lets a document found by both retrievers beat one found first by only one', () => {
    const fused = reciprocalRankFusion([
      ['lexical-only', 'both'],
      ['dense-only', 'both'],
    ]);
    expect(fused[0]?.documentId).toBe('both');
  });

  it('returns nothing for no rankings', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});
