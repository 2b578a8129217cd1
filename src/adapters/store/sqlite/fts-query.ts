import type { LexicalQuery } from '../../../ports/store.js';

const COLUMNS = { title: 'title', heading: 'heading', content: '{title body}' } as const;

/** Quotes one FTS5 string: the tokenizer still applies inside the quotes. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Compiles clauses to an FTS5 MATCH expression: words and phrases OR-ed together. Every token
 * is quoted, so user text can never inject FTS5 operators (NEAR, NOT, column filters). Returns
 * null when nothing searchable remains.
 */
export function toMatchExpression(query: Pick<LexicalQuery, 'clauses'>): string | null {
  const parts = new Set<string>();
  for (const clause of query.clauses) {
    const words = clause.text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
    if (words.length === 0) continue;
    // Column names are ours, never the user's: only the two known fields can be named.
    const column = clause.field ? `${COLUMNS[clause.field]} : ` : '';
    if (clause.phrase && words.length > 1) parts.add(column + quote(words.join(' ')));
    else for (const word of words) parts.add(column + quote(word.toLowerCase()));
  }
  return parts.size === 0 ? null : [...parts].join(' OR ');
}
