import type { LexicalQuery } from '../../../ports/store.js';

/** The FTS5 columns of the search tables, in order. */
export const FTS_COLUMNS = ['title', 'heading', 'body'] as const;
export type FtsColumn = (typeof FTS_COLUMNS)[number];

const COLUMNS = { title: 'title', heading: 'heading', content: '{title body}' } as const;
const COLUMNS_OF: Record<keyof typeof COLUMNS, readonly FtsColumn[]> = {
  title: ['title'],
  heading: ['heading'],
  content: ['title', 'body'],
};

/** One OR-ed part of a MATCH expression: a word or a phrase, maybe limited to some columns. */
export interface MatchPhrase {
  /** The FTS5 expression of this part alone. */
  expression: string;
  /** The quoted word or phrase, without its column filter. */
  quoted: string;
  /** Its words, lower-cased, in order (one for a single word). */
  words: readonly string[];
  /** The columns it may match in. */
  columns: readonly FtsColumn[];
}

/** Quotes one FTS5 string: the tokenizer still applies inside the quotes. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The distinct parts of a query's MATCH expression: every clause's words (or its phrase), with
 * the column filter its field asks for. Every token is quoted, so user text can never inject
 * FTS5 operators (NEAR, NOT, column filters).
 */
export function toMatchPhrases(query: Pick<LexicalQuery, 'clauses'>): MatchPhrase[] {
  const parts = new Map<string, MatchPhrase>();
  const add = (words: string[], field: keyof typeof COLUMNS | undefined) => {
    // Column names are ours, never the user's: only the known fields can be named.
    const column = field ? `${COLUMNS[field]} : ` : '';
    const quoted = quote(words.join(' '));
    const expression = column + quoted;
    if (!parts.has(expression))
      parts.set(expression, { expression, quoted, words, columns: field ? COLUMNS_OF[field] : FTS_COLUMNS });
  };
  for (const clause of query.clauses) {
    const words = (clause.text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []).map((w) => w.toLowerCase());
    if (words.length === 0) continue;
    if (clause.phrase && words.length > 1) add(words, clause.field);
    else for (const word of words) add([word], clause.field);
  }
  return [...parts.values()];
}

/**
 * Compiles clauses to an FTS5 MATCH expression: words and phrases OR-ed together. Returns null
 * when nothing searchable remains.
 */
export function toMatchExpression(query: Pick<LexicalQuery, 'clauses'>): string | null {
  const parts = toMatchPhrases(query);
  return parts.length === 0 ? null : parts.map((p) => p.expression).join(' OR ');
}
