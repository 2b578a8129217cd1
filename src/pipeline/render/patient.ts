import type { Article } from '../../domain/article.js';
import type { Draft } from '../compose/draft.js';
import { unsupportedParts } from '../verify/claims.js';
import layTerms from './lay-terms.json' with { type: 'json' };

/** A medical term with a plain word to use instead, or a meaning to explain it where it stays. */
export interface LayTerm {
  term: string;
  plain?: string;
  meaning?: string;
}

export const LAY_TERMS: readonly LayTerm[] = layTerms.terms;

export type GlossaryEntry = NonNullable<Article['glossary']>[number];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Replacer {
  pattern: RegExp;
  byTerm: Map<string, LayTerm>;
}

/** One regular expression over all terms, longest first, so "randomised trials" wins over "randomised". */
export function buildReplacer(vocabulary: readonly LayTerm[]): Replacer {
  const withPlain = vocabulary.filter((t) => t.plain !== undefined);
  const sorted = [...withPlain].sort((a, b) => b.term.length - a.term.length);
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}-])(${sorted.map((t) => escapeRegExp(t.term)).join('|')})(?![\\p{L}\\p{N}-])`,
    'giu',
  );
  return { pattern, byTerm: new Map(withPlain.map((t) => [t.term.toLowerCase(), t])) };
}

const DEFAULT_REPLACER = buildReplacer(LAY_TERMS);

/**
 * Replaces medical terms with plain words. A term written in capitals (an acronym such as
 * "NSAID") only matches as written; others match in any case, and a capital at the start of
 * the term is kept. Returns the new text and the terms replaced.
 */
export function plainWords(text: string, replacer: Replacer = DEFAULT_REPLACER): { text: string; replaced: string[] } {
  const replaced: string[] = [];
  const out = text.replace(replacer.pattern, (match: string) => {
    const entry = replacer.byTerm.get(match.toLowerCase());
    if (!entry?.plain) return match;
    if (/[A-Z]{2}/.test(entry.term) && match !== entry.term) return match;
    replaced.push(entry.term);
    const plain = entry.plain;
    return /^[A-Z]/.test(match) && !/[A-Z]{2}/.test(match) ? plain.charAt(0).toUpperCase() + plain.slice(1) : plain;
  });
  // "an day-case" → "a day-case": the article follows the new word.
  const articled = out.replace(/\b([Aa])n? (?=([\p{L}]))/gu, (m: string, a: string, next: string, offset: number) => {
    const word = out.slice(offset + m.length).match(/^[\p{L}-]+/u)?.[0] ?? next;
    if (word.length > 1 && /^[A-Z]{2}/.test(word)) return m;
    return `${a}${/^[aeiou]/i.test(word) ? 'n' : ''} `;
  });
  return { text: replaced.length > 0 ? articled : out, replaced };
}

/** Terms of the vocabulary with a meaning that the text still uses, for a short glossary. */
export function glossaryFor(text: string, vocabulary: readonly LayTerm[] = LAY_TERMS, max = 10): GlossaryEntry[] {
  const entries: GlossaryEntry[] = [];
  for (const t of vocabulary) {
    if (!t.meaning || entries.length >= max) continue;
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}-])${escapeRegExp(t.term)}(?![\\p{L}\\p{N}-])`,
      /[A-Z]{2}/.test(t.term) ? 'u' : 'iu',
    );
    if (pattern.test(text)) entries.push({ term: t.term, meaning: t.meaning });
  }
  return entries;
}

/**
 * The patient rendering of a verified draft: the same statements with jargon replaced by plain
 * words, and a glossary of the terms that remain. Numbers and direction words never change: a
 * plain version that would claim anything its quotes do not is not used, and the bullet keeps
 * its verified wording. Support quotes, citations and recommendations (the issuer's own words)
 * are untouched.
 */
export function patientVersion(draft: Draft): Draft & { glossary: GlossaryEntry[] } {
  const plain = (text: string, quotes: readonly string[]) => {
    const candidate = plainWords(text).text;
    if (quotes.length > 0 && unsupportedParts(candidate, quotes).length > unsupportedParts(text, quotes).length)
      return text;
    return candidate;
  };
  const sections = draft.sections.map((s) => ({
    ...s,
    bullets: s.bullets.map((b) => ({
      ...b,
      text: plain(
        b.text,
        b.support.map((x) => x.quote),
      ),
    })),
  }));
  const directAnswer = {
    ...draft.directAnswer,
    text: plain(
      draft.directAnswer.text,
      (draft.directAnswer.support ?? []).map((x) => x.quote),
    ),
  };
  const limitations = draft.limitations.map((l) => ({ ...l, text: plainWords(l.text).text }));
  const conflicts = draft.conflicts.map((c) => ({ ...c, text: plainWords(c.text).text }));
  const shown = [
    directAnswer.text,
    ...sections.flatMap((s) => s.bullets.map((b) => b.text)),
    ...limitations.map((l) => l.text),
  ].join('\n');
  return { ...draft, directAnswer, sections, limitations, conflicts, glossary: glossaryFor(shown) };
}
