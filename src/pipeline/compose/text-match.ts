import { spellingKey } from '../understand/spelling.js';

/**
 * Light word matching for choosing sentences: lower-case, strip common English suffixes so
 * "ablations" meets "ablation" and "treated" meets "treatment". Not a stemmer for indexing; the
 * store's tokenizer does that.
 */
export function lightStem(word: string): string {
  const w = spellingKey(word);
  if (w.length <= 4) return w;
  const stripped = w.replace(/(?:ational|ations?|ments?|ings?|ities|ity|ies|ed|es|s|ly|al|ive)$/, '');
  return stripped.length >= 4 ? stripped : w;
}

export function stemSet(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
  const stems = new Set<string>();
  for (const w of words) {
    stems.add(lightStem(w));
    if (w.includes('-')) for (const part of w.split('-')) if (part) stems.add(lightStem(part));
  }
  return stems;
}

/** Share of the weighted terms found in `stems` (0–1). */
export function coverage(terms: ReadonlyArray<{ stem: string; weight: number }>, stems: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const t of terms) {
    total += t.weight;
    if (stems.has(t.stem)) found += t.weight;
  }
  return total === 0 ? 0 : found / total;
}

/** Jaccard similarity of two stem sets: how much two sentences say the same thing. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}
