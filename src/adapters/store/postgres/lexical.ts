import { stemmer } from 'stemmer';
import type { LexicalQuery } from '../../../ports/store.js';

/**
 * Tokenising, indexing and BM25 scoring for the PostgreSQL store, written to rank like the
 * SQLite store's FTS5 index (`porter unicode61 remove_diacritics 2`, `bm25()` with k1 = 1.2,
 * b = 0.75). PostgreSQL only finds candidates (a GIN index over a tsvector of our own lexemes);
 * the score is computed here from exact term statistics, because ts_rank is not BM25.
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Lexemes longer than this are not indexed (PostgreSQL refuses lexemes over 2 KiB). */
const MAX_LEXEME_CHARS = 200;
/** tsvector positions stop at 16383; later tokens share the last position. */
const MAX_POSITION = 16383;
/** tsvector keeps at most 256 positions per lexeme. */
const MAX_POSITIONS_PER_LEXEME = 256;
/** A tsvector is limited to 1 MiB; stop adding lexemes well before. */
const MAX_TSVECTOR_CHARS = 900_000;
/** FTS5's porter tokenizer leaves tokens of 64 bytes or more unstemmed. */
const PORTER_MAX_BYTES = 64;

/** The three indexed fields; in a passage vector the weight letter marks which one a position is in. */
export const FIELDS = ['title', 'heading', 'body'] as const;
export type Field = (typeof FIELDS)[number];
const FIELD_WEIGHT_LETTER: Record<Field, 'A' | 'B' | 'D'> = { title: 'A', heading: 'B', body: 'D' };
const LETTER_FIELD: Record<string, Field> = { A: 'title', B: 'heading', D: 'body', C: 'body' };

/**
 * Splits text into index tokens as FTS5's unicode61 tokenizer does: runs of letters and digits,
 * folded to lower case with diacritics removed, then porter-stemmed.
 * @param text any text
 */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const tokens = folded.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
  return tokens.map(stem);
}

/** Stems like FTS5's porter tokenizer: short and very long tokens pass through unchanged. */
function stem(token: string): string {
  if (token.length < 3 || Buffer.byteLength(token) >= PORTER_MAX_BYTES) return token;
  return stemmer(token);
}

/** The indexed form of one passage: its tsvector literal and its length in tokens. */
export interface IndexedPassage {
  tsvector: string;
  tokens: number;
}

/** Where each lexeme occurs (position and field), and where the fields end. */
interface Occurrences {
  positions: Map<string, Array<{ position: number; field: Field }>>;
  tokens: number;
  /** First position after the title (a gap: no token sits there). */
  titleEnd: number;
  /** First position after the heading(s) (a gap). */
  headingEnd: number;
}

/**
 * Tokenises the fields in order. Positions run on across the fields with a gap of one between
 * fields, so a phrase never matches across a field boundary.
 * @param fields the title, section heading(s) and body text
 */
function occurrences(fields: Record<Field, string>): Occurrences {
  const positions = new Map<string, Array<{ position: number; field: Field }>>();
  const ends: number[] = [];
  let position = 0;
  let tokens = 0;
  for (const field of FIELDS) {
    for (const token of tokenize(fields[field])) {
      position++;
      tokens++;
      if (token.length > MAX_LEXEME_CHARS) continue;
      const list = positions.get(token) ?? [];
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push({ position: Math.min(position, MAX_POSITION), field });
      positions.set(token, list);
    }
    position++;
    ends.push(Math.min(position, MAX_POSITION));
  }
  return { positions, tokens, titleEnd: ends[0]!, headingEnd: ends[1]! };
}

/**
 * Joins lexeme entries into a tsvector literal, stopping before PostgreSQL's size limit.
 * @param entries lexeme and its formatted position list
 */
function tsvectorLiteral(entries: Iterable<[string, string]>): string {
  const parts: string[] = [];
  let size = 0;
  for (const [lexeme, list] of entries) {
    const part = `${quoteLexeme(lexeme)}:${list}`;
    size += part.length + 1;
    if (size > MAX_TSVECTOR_CHARS) break;
    parts.push(part);
  }
  return parts.join(' ');
}

/**
 * Builds the tsvector literal of a passage; the weight letter of each position records its
 * field (A title, B heading, D body).
 * @param fields the passage's title, section heading and body text
 */
export function indexPassage(fields: Record<Field, string>): IndexedPassage {
  const { positions, tokens } = occurrences(fields);
  const entries = [...positions].map(([lexeme, list]): [string, string] => [
    lexeme,
    list.map((o) => `${o.position}${FIELD_WEIGHT_LETTER[o.field]}`).join(','),
  ]);
  return { tsvector: tsvectorLiteral(entries), tokens };
}

/** The indexed form of one whole document. */
export interface IndexedDocument {
  /** Positions only, no weights: the field of a position follows from `titleEnd` and `headingEnd`. */
  tsvector: string;
  tokens: number;
  titleEnd: number;
  headingEnd: number;
}

/**
 * Builds the whole-document tsvector literal. Positions carry no weight letter, so a query can
 * mark its own lexemes with `setweight` and keep just those with `ts_filter`; the field of a
 * position is told by the field boundaries kept beside the vector.
 * @param fields the document's title, its distinct section headings joined, and its full text
 */
export function indexDocument(fields: Record<Field, string>): IndexedDocument {
  const { positions, tokens, titleEnd, headingEnd } = occurrences(fields);
  const entries = [...positions].map(([lexeme, list]): [string, string] => [
    lexeme,
    list.map((o) => String(o.position)).join(','),
  ]);
  return { tsvector: tsvectorLiteral(entries), tokens, titleEnd, headingEnd };
}

/**
 * The field a whole-document position lies in.
 * @param position a tsvector position
 * @param titleEnd first position after the title
 * @param headingEnd first position after the headings
 */
export function fieldAt(position: number, titleEnd: number, headingEnd: number): Field {
  if (position < titleEnd) return 'title';
  return position < headingEnd ? 'heading' : 'body';
}

/** Quotes a lexeme for a tsvector or tsquery literal. */
function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A query phrase as FTS5 sees it: stemmed tokens that must occur in order (one token for a word),
 * in any field or only in the fields named (FTS5's column filter).
 */
export interface QueryPhrase {
  tokens: readonly string[];
  fields: readonly Field[] | null;
}

/** The columns each clause field names, as the SQLite store's MATCH expression does. */
const CLAUSE_FIELDS: Record<NonNullable<LexicalQuery['clauses'][number]['field']>, readonly Field[]> = {
  title: ['title'],
  heading: ['heading'],
  content: ['title', 'body'],
};

/**
 * Compiles query clauses into phrases exactly as the SQLite store builds its MATCH expression:
 * each word of a plain clause is its own phrase (lower-cased, duplicates removed), a phrase
 * clause stays whole. Phrases are then tokenized, so "don't" becomes the phrase "don t".
 * @param query the clauses of a lexical query
 */
export function compilePhrases(query: Pick<LexicalQuery, 'clauses'>): QueryPhrase[] {
  const parts = new Map<string, { text: string; fields: readonly Field[] | null }>();
  const add = (text: string, field: LexicalQuery['clauses'][number]['field']) =>
    parts.set(`${field ?? ''}:${text}`, { text, fields: field ? CLAUSE_FIELDS[field] : null });
  for (const clause of query.clauses) {
    const words = clause.text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
    if (words.length === 0) continue;
    if (clause.phrase && words.length > 1) add(words.join(' '), clause.field);
    else for (const word of words) add(word.toLowerCase(), clause.field);
  }
  const phrases: QueryPhrase[] = [];
  for (const { text, fields } of parts.values()) {
    const tokens = tokenize(text).filter((t) => t.length <= MAX_LEXEME_CHARS);
    if (tokens.length > 0) phrases.push({ tokens, fields });
  }
  return phrases;
}

/** Every distinct lexeme of the phrases. */
export function queryLexemes(phrases: readonly QueryPhrase[]): string[] {
  return [...new Set(phrases.flatMap((p) => p.tokens))];
}

/** A tsquery literal that matches any passage holding any lexeme of any phrase. */
export function candidateTsquery(phrases: readonly QueryPhrase[]): string {
  return queryLexemes(phrases).map(quoteLexeme).join(' | ');
}

/** One occurrence list of a query lexeme in a candidate passage. */
export interface LexemeHit {
  lexeme: string;
  positions: readonly number[];
  /** The field of each position. */
  fields: readonly Field[];
}

export interface Candidate<T> {
  /** What the caller needs back for the winners (ids, kind…). */
  ref: T;
  /** Tokens in the passage over all fields (FTS5's column sizes added up). */
  tokens: number;
  hits: readonly LexemeHit[];
}

export interface CorpusTotals {
  /** Rows in the index (passages, or documents). */
  rows: number;
  /** Tokens in all rows, all fields. */
  tokens: number;
}

/**
 * Scores candidates with FTS5's BM25: per phrase, IDF = ln((N − n + 0.5) / (n + 0.5)) (1e-6 when
 * not positive), frequency = field-weighted count of phrase instances, length = tokens in the
 * passage over all fields. A candidate with no instance of any phrase does not match.
 * @param candidates every passage or document holding a query lexeme (before any kind filter, so n is exact)
 * @param phrases the compiled query
 * @param totals corpus size for IDF and average length
 * @param weights field weights
 * @returns matching candidates with their score, best first (ties by input order)
 */
export function scoreBm25<T>(
  candidates: readonly Candidate<T>[],
  phrases: readonly QueryPhrase[],
  totals: CorpusTotals,
  weights: Record<Field, number>,
): Array<{ ref: T; score: number }> {
  const frequencies = candidates.map((c) => phraseFrequencies(c.hits, phrases, weights));
  const idf = phrases.map((_, i) => {
    const hits = frequencies.filter((f) => f.instances[i]! > 0).length;
    const value = Math.log((0.5 + totals.rows - hits) / (0.5 + hits));
    return value <= 0 ? 1e-6 : value;
  });
  const avgdl = totals.rows > 0 ? totals.tokens / totals.rows : 1;
  const scored: Array<{ ref: T; score: number; order: number }> = [];
  candidates.forEach((candidate, order) => {
    const { instances, weighted } = frequencies[order]!;
    if (!instances.some((n) => n > 0)) return;
    let score = 0;
    phrases.forEach((_, i) => {
      const f = weighted[i]!;
      score += (idf[i]! * (f * (BM25_K1 + 1))) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * candidate.tokens) / avgdl));
    });
    scored.push({ ref: candidate.ref, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ ref, score }) => ({ ref, score }));
}

/** Counts each phrase's instances in one passage or document, raw and weighted by field. */
function phraseFrequencies(
  hits: readonly LexemeHit[],
  phrases: readonly QueryPhrase[],
  weights: Record<Field, number>,
): { instances: number[]; weighted: number[] } {
  const at = new Map<string, Map<number, Field>>();
  for (const hit of hits) {
    const map = new Map<number, Field>();
    hit.positions.forEach((p, i) => map.set(p, hit.fields[i] ?? 'body'));
    at.set(hit.lexeme, map);
  }
  const instances: number[] = [];
  const weighted: number[] = [];
  for (const { tokens, fields } of phrases) {
    let count = 0;
    let sum = 0;
    const first = at.get(tokens[0]!);
    if (first) {
      for (const [position, field] of first) {
        if (fields && !fields.includes(field)) continue;
        const whole = tokens.every((lexeme, k) => k === 0 || at.get(lexeme)?.get(position + k) === field);
        if (whole) {
          count++;
          sum += weights[field];
        }
      }
    }
    instances.push(count);
    weighted.push(sum);
  }
  return { instances, weighted };
}

/**
 * The fields of a passage vector's positions, from their weight letters.
 * @param letters the weights column of `unnest(tsvector)`
 */
export function fieldsOfLetters(letters: readonly string[]): Field[] {
  return letters.map((letter) => LETTER_FIELD[letter] ?? 'body');
}
