import { describe, expect, it } from 'vitest';
import { keyPresence, poolWeights, rerankByPoolRarity, wordKeys } from './pool-rarity.js';

describe('pool rarity', () => {
  it('keys a word by the first six letters of its stem, so word forms agree', () => {
    expect(wordKeys(['inherited', 'inheritance', 'mitochondria'])).toEqual(['inheri', 'mitoch']);
    expect(wordKeys(['il-6'])).toEqual(['il', '6']);
  });

  it('finds a key only at the start of a word, in any case', () => {
    expect(
      keyPresence(['Inheritance of mitochondrial DNA', 'Disinherited heirs', ''], ['inheri', 'mitoch', 'dna']),
    ).toEqual([
      [true, true, true],
      [false, false, false],
      [false, false, false],
    ]);
  });

  it('weighs a key by its inverse document frequency within the pool, never below zero', () => {
    // 4 texts: a key in 1 → ln(3.5 / 1.5); in 2 → ln(2.5 / 2.5) = 0; in 3 → ln(1.5 / 3.5) < 0 → 0.
    const presence = [
      [true, true, true],
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ];
    const [rare, half, common] = poolWeights(presence);
    expect(rare).toBeCloseTo(Math.log(3.5 / 1.5), 12);
    expect(half).toBe(0);
    expect(common).toBe(0);
  });

  it('raises a document that has the word few others have above one that only shares the common ones', () => {
    const ranked = [
      { documentId: 'common-only', score: 10 },
      { documentId: 'has-subject', score: 9 },
      { documentId: 'other-1', score: 8 },
      { documentId: 'other-2', score: 7 },
    ];
    // Keys: the subject (only in has-subject), a word every document has.
    const presence = [
      [false, true],
      [true, true],
      [false, true],
      [false, true],
    ];
    const reranked = rerankByPoolRarity(ranked, presence, 0.5);
    expect(reranked.map((d) => d.documentId)).toEqual(['has-subject', 'common-only', 'other-1', 'other-2']);
    // Only the subject has weight, so has-subject covers all of it: 9 × (1 + 0.5) = 13.5.
    expect(reranked[0]?.score).toBeCloseTo(13.5, 12);
    expect(reranked[1]?.score).toBe(10);
  });

  it('keeps documents past the pool below it and changes nothing at weight zero', () => {
    const ranked = [
      { documentId: 'a', score: 5 },
      { documentId: 'b', score: 4 },
      { documentId: 'c', score: 3 },
    ];
    const presence = [[false], [true], [false], [false]].slice(0, 2);
    const reranked = rerankByPoolRarity(ranked, presence, 1);
    expect(reranked.map((d) => d.documentId)).toEqual(['a', 'b', 'c']);
    expect(rerankByPoolRarity(ranked, [[true], [false]], 0)).toEqual(ranked);
  });
});
