import { describe, expect, it } from 'vitest';
import { bestCorrection, codeForms, mayCorrect, spellingKey, swapsTwoLetters, termsAsSources } from './spelling.js';

describe('codes written joined, hyphenated or spaced', () => {
  it('gives the joined form and the two parts of a letters-and-digits code', () => {
    for (const written of ['lb100', 'lb-100', 'lb 100'])
      expect(codeForms(written)).toEqual({ joined: 'lb100', split: ['lb', '100'] });
    expect(codeForms('cyp1a1')).toEqual({ joined: 'cyp1a1', split: ['cyp', '1a1'] });
    expect(codeForms('il-6')).toEqual({ joined: 'il6', split: ['il', '6'] });
  });

  it('leaves words, numbers and digit-first names alone', () => {
    for (const word of ['insulin', '100', '5-ht', 'tnf-alpha', 'longerthansix12', 'mir-181b-1']) {
      expect(codeForms(word)).toBeUndefined();
    }
  });

  it('keys every spelling of a code the same, and other words by their lower case', () => {
    expect(new Set(['LB-100', 'LB 100', 'LB100', 'lb100'].map(spellingKey))).toEqual(new Set(['lb100']));
    expect(spellingKey('Spanish')).toBe('spanish');
    expect(spellingKey('TNF-alpha')).toBe('tnf-alpha');
  });
});

describe('correcting a word to one the library holds', () => {
  const library = [
    { term: 'spanish', documents: 247 },
    { term: 'spain', documents: 90 },
    { term: 'spaniard', documents: 3 },
    { term: 'genome', documents: 5000 },
    { term: 'hyperkalemia', documents: 40 },
    { term: 'antidiabetic', documents: 300 },
    { term: 'adenoviru', documents: 700 },
    { term: 'colectomi', documents: 50 },
    { term: 'therapi', documents: 9000 },
    { term: 'tlr7', documents: 60 },
  ];

  it('takes the nearest word one slip away, the commonest among equals', () => {
    expect(bestCorrection('spanich', library)?.term).toBe('spanish');
    expect(bestCorrection('geneome', library)?.term).toBe('genome');
    // Two neighbouring letters swapped count as one slip.
    expect(swapsTwoLetters('threapi', 'therapi')).toBe(true);
    expect(bestCorrection('threapi', library)?.term).toBe('therapi');
    const tied = [
      { term: 'stents', documents: 4 },
      { term: 'stench', documents: 9 },
    ];
    expect(bestCorrection('stenth', tied)?.term).toBe('stench');
  });

  it('does not correct what is no slip: two edits, another form of the word, a meaning-bearing affix', () => {
    // Two edits apart already names another drug class.
    expect(bestCorrection('antidiuretic', library)).toBeUndefined();
    // The library's word is the asked one with another ending: a form, not a misspelling.
    expect(bestCorrection('adenovir', library)).toBeUndefined();
    // hypo- and hyper- are opposites, -otomy and -ectomy other operations.
    expect(bestCorrection('hypokalemia', [{ term: 'hyperkalemia', documents: 40 }])).toBeUndefined();
    expect(bestCorrection('colotomi', library)).toBeUndefined();
  });

  it('corrects only long words that are not English words as written', () => {
    expect(['spanich', 'geneome', 'threapy', 'istadefylline'].filter((w) => mayCorrect(w))).toHaveLength(4);
    // Real words the library may lack, and short words and names, are left as written.
    for (const word of ['carbonylated', 'truncating', 'adenoviral', 'antidiuretic', 'sarnas', 'awaji', 'tlr7abc'])
      expect(mayCorrect(word), word).toBe(false);
  });

  it('never corrects short words, codes or numbers, nor to a code', () => {
    expect(bestCorrection('spam', [{ term: 'span', documents: 10 }])).toBeUndefined();
    expect(bestCorrection('tlr9', library)).toBeUndefined();
    expect(bestCorrection('tlrx7', library)).toBeUndefined();
    expect(bestCorrection('spanich', [{ term: 'spanish', documents: 0 }])).toBeUndefined();
  });
});

describe('question terms as the sources spell them', () => {
  const question = { terms: ['lb-100', 'spanich', 'flu', 'tlr7'], focus: 'lb-100 spanich flu' };

  it('respells a code the sources write another way and a corrected word, focus included', () => {
    const texts = ['LB100 was given. The Spanish flu of 1918.', 'LB100 again; Spanish sailors.', 'tlr7 is here'];
    const isSpanish = (word: string) => word === 'spanish';
    const { question: spelled, respelled } = termsAsSources(question, texts, [
      { written: 'spanich', isTerm: isSpanish },
    ]);
    expect(spelled.terms).toEqual(['lb100', 'spanish', 'flu', 'tlr7']);
    expect(spelled.focus).toBe('lb100 spanish flu');
    expect(respelled).toEqual([
      { written: 'lb-100', asSources: 'lb100' },
      { written: 'spanich', asSources: 'spanish' },
    ]);
  });

  it('keeps terms the sources hold as written, and words not searched as another', () => {
    const texts = ['LB-100 and LB100 and LB100.', 'spanish'];
    const { question: spelled, respelled } = termsAsSources(question, texts);
    expect(spelled).toBe(question);
    expect(respelled).toEqual([]);
  });

  it('takes the form the sources write more', () => {
    const asked = { terms: ['bnn20'], focus: 'bnn20' };
    expect(termsAsSources(asked, ['BNN-20 was tested; BNN-20 helped.']).question.terms).toEqual(['bnn-20']);
    expect(termsAsSources(asked, ['BNN-20 once.', 'BNN 20, twice.']).question.terms).toEqual(['bnn-20']);
    const hyphenated = { terms: ['bnn-20'], focus: 'bnn-20' };
    expect(termsAsSources(hyphenated, ['Bnn20, BNN20 and BNN-21.']).question.terms).toEqual(['bnn20']);
  });
});
