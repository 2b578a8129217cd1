import { describe, expect, it } from 'vitest';
import {
  ndcgAt,
  percentile,
  recallAt,
  reciprocalRankAt,
  scoreQueries,
  scoreRuns,
  trecOrder,
} from './retrieval-metrics.js';

const graded = new Map([
  ['a', 2],
  ['b', 1],
  ['c', 0],
]);

describe('retrieval metrics (trec_eval conventions, hand-computed)', () => {
  it('computes nDCG with linear graded gains and a log2(rank+1) discount', () => {
    // DCG = 0/1 + 2/log2(3) + 1/log2(4) = 1.761860; ideal = 2/1 + 1/log2(3) = 2.630930; 1.761860 / 2.630930 = 0.669672.
    expect(ndcgAt(['x', 'a', 'b'], graded, 10)).toBeCloseTo(0.669672, 5);
    expect(ndcgAt(['a', 'b'], graded, 10)).toBeCloseTo(1, 10);
    // Cut at 1: DCG = 1 (b, grade 1), the ideal at 1 is 2.
    expect(ndcgAt(['b', 'a'], graded, 1)).toBeCloseTo(0.5, 10);
  });

  it('builds the ideal ranking from the judgements, not from what was retrieved', () => {
    // Only b found, at rank 1: DCG = 1; ideal = 2.630930.
    expect(ndcgAt(['b'], graded, 10)).toBeCloseTo(1 / 2.63093, 5);
  });

  it('gives no gain for documents judged not relevant or not judged', () => {
    expect(ndcgAt(['c', 'x'], graded, 10)).toBe(0);
  });

  it('breaks score ties by document id, descending, as trec_eval does', () => {
    expect(
      trecOrder([
        { id: 'a', score: 1 },
        { id: 'c', score: 2 },
        { id: 'b', score: 1 },
      ]),
    ).toEqual(['c', 'b', 'a']);
  });

  it('computes recall at a cutoff over all relevant documents', () => {
    const three = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 3],
    ]);
    expect(recallAt(['a', 'z', 'c'], three, 2)).toBeCloseTo(1 / 3, 10);
    expect(recallAt(['a', 'z', 'c'], three, 100)).toBeCloseTo(2 / 3, 10);
  });

  it('computes the reciprocal rank of the first relevant document within the cutoff', () => {
    expect(reciprocalRankAt(['x', 'c', 'b'], graded, 10)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRankAt(['x', 'y', 'b'], graded, 2)).toBe(0);
  });

  it('leaves out queries without relevant documents and scores unanswered ones 0', () => {
    const qrels = new Map([
      ['no-relevant', new Map([['a', 0]])],
      ['unanswered', new Map([['a', 1]])],
      ['perfect', new Map([['b', 1]])],
    ]);
    const runs = new Map([
      ['no-relevant', [{ id: 'a', score: 1 }]],
      ['perfect', [{ id: 'b', score: 3 }]],
    ]);
    const scores = scoreRuns(runs, qrels);
    expect(scores.queries).toBe(2);
    expect(scores.ndcg10).toBeCloseTo(0.5, 10);
    expect(scores.recall100).toBeCloseTo(0.5, 10);
    expect(scores.mrr10).toBeCloseTo(0.5, 10);
    // The same, query by query: the one without relevant documents is not listed.
    expect(scoreQueries(runs, qrels)).toEqual([
      { queryId: 'unanswered', ndcg10: 0, recall100: 0, mrr10: 0 },
      { queryId: 'perfect', ndcg10: 1, recall100: 1, mrr10: 1 },
    ]);
  });

  it('ranks a run by score before scoring it, whatever order it came in', () => {
    const qrels = new Map([['q', new Map([['b', 1]])]]);
    const runs = new Map([
      [
        'q',
        [
          { id: 'a', score: 1 },
          { id: 'b', score: 5 },
        ],
      ],
    ]);
    expect(scoreRuns(runs, qrels).mrr10).toBe(1);
  });

  it('takes percentiles by the nearest-rank method', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
