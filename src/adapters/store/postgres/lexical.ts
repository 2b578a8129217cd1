import type { LexicalQuery } from '../../../ports/store.js';
import { eachToken, tokenize } from '../index-tokens.js';

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
/** A tsvector's lexemes are limited to 1 MiB; stop adding lexemes well before. */
const MAX_TSVECTOR_BYTES = 900_000;

/** The three indexed fields; in a passage vector the weight letter marks which one a position is in. */
export const FIELDS = ['title', 'heading', 'body'] as const;
export type Field = (typeof FIELDS)[number];
const FIELD_WEIGHT_LETTER: Record<Field, 'A' | 'B' | 'D'> = { title: 'A', heading: 'B', body: 'D' };
const LETTER_FIELD: Record<string, Field> = { A: 'title', B: 'heading', D: 'body', C: 'body' };

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
    for (const token of eachToken(fields[field])) {
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
    size += Buffer.byteLength(part) + 1;
    if (size > MAX_TSVECTOR_BYTES) break;
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

/** A tsquery literal for lexemes in order (a phrase; one lexeme alone for a plain word). */
export function phraseTsquery(lexemes: readonly string[]): string {
  return lexemes.map(quoteLexeme).join(' <-> ');
}

/** A tsquery literal for every lexeme that starts with `prefix`. */
export function prefixTsquery(prefix: string): string {
  return `${quoteLexeme(prefix)}:*`;
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
  // Plain loops and flat arrays: this runs over every candidate of every query.
  const phraseCount = phrases.length;
  const frequency = new Float64Array(candidates.length * phraseCount);
  const matched = new Uint8Array(candidates.length);
  const documentsWith = new Array<number>(phraseCount).fill(0);
  const weighted = new Float64Array(1);
  for (let c = 0; c < candidates.length; c++) {
    const hits = candidates[c]!.hits;
    for (let i = 0; i < phraseCount; i++) {
      if (countPhrase(hits, phrases[i]!, weights, weighted) === 0) continue;
      frequency[c * phraseCount + i] = weighted[0]!;
      documentsWith[i]!++;
      matched[c] = 1;
    }
  }
  const idf = documentsWith.map((n) => {
    const value = Math.log((0.5 + totals.rows - n) / (0.5 + n));
    return value <= 0 ? 1e-6 : value;
  });
  const avgdl = totals.rows > 0 ? totals.tokens / totals.rows : 1;
  const scored: Array<{ ref: T; score: number; order: number }> = [];
  for (let c = 0; c < candidates.length; c++) {
    if (matched[c] === 0) continue;
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * candidates[c]!.tokens) / avgdl);
    let score = 0;
    for (let i = 0; i < phraseCount; i++) {
      const f = frequency[c * phraseCount + i]!;
      score += (idf[i]! * (f * (BM25_K1 + 1))) / (f + norm);
    }
    scored.push({ ref: candidates[c]!.ref, score, order: c });
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ ref, score }) => ({ ref, score }));
}

/**
 * Counts one phrase's instances in one passage or document.
 * @param hits the candidate's query lexemes with their positions and fields
 * @param weighted receives the instances weighted by field in its first slot
 * @returns how many instances there are (0 when the phrase does not occur in its fields)
 */
function countPhrase(
  hits: readonly LexemeHit[],
  phrase: QueryPhrase,
  weights: Record<Field, number>,
  weighted: Float64Array,
): number {
  const { tokens, fields } = phrase;
  weighted[0] = 0;
  const first = findHit(hits, tokens[0]!);
  if (!first) return 0;
  const rest: LexemeHit[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const hit = findHit(hits, tokens[k]!);
    if (!hit) return 0;
    rest.push(hit);
  }
  let count = 0;
  let sum = 0;
  for (let p = 0; p < first.positions.length; p++) {
    const field = first.fields[p] ?? 'body';
    if (fields !== null && !fields.includes(field)) continue;
    let whole = true;
    for (let k = 0; k < rest.length && whole; k++)
      whole = fieldAtPosition(rest[k]!, first.positions[p]! + k + 1) === field;
    if (whole) {
      count++;
      sum += weights[field];
    }
  }
  weighted[0] = sum;
  return count;
}

/** A candidate holds few query lexemes: a linear search beats building a map for each. */
function findHit(hits: readonly LexemeHit[], lexeme: string): LexemeHit | undefined {
  for (let h = 0; h < hits.length; h++) if (hits[h]!.lexeme === lexeme) return hits[h];
  return undefined;
}

/**
 * The field of a lexeme's occurrence at a position, or undefined when it does not occur there.
 * @param hit the lexeme's positions, ascending as PostgreSQL keeps them, with their fields
 */
function fieldAtPosition(hit: LexemeHit, position: number): Field | undefined {
  let low = 0;
  let high = hit.positions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = hit.positions[mid]!;
    if (at === position) return hit.fields[mid];
    if (at < position) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/**
 * Reads the text form of a whole-document tsvector whose positions all carry one weight letter,
 * as PostgreSQL prints it (`'lexeme':3A,17A 'other':5A`), telling each position's field from the
 * document's field boundaries. A hand-written scan: it runs for every candidate of every query.
 * @param text the printed tsvector (query lexemes only: letters and digits, never quoted)
 * @param titleEnd first position after the title
 * @param headingEnd first position after the headings
 */
export function parseDocumentHits(text: string, titleEnd: number, headingEnd: number): LexemeHit[] {
  const hits: LexemeHit[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) !== 39 /* ' */) {
      i++;
      continue;
    }
    let end = i + 1;
    let lexeme = '';
    for (;;) {
      const quote = text.indexOf("'", end);
      if (quote < 0) return hits;
      lexeme += text.slice(end, quote);
      if (text.charCodeAt(quote + 1) === 39) {
        lexeme += "'";
        end = quote + 2;
      } else {
        end = quote + 1;
        break;
      }
    }
    const positions: number[] = [];
    const fields: Field[] = [];
    if (text.charCodeAt(end) === 58 /* : */) {
      let n = 0;
      for (end++; end <= text.length; end++) {
        const c = end < text.length ? text.charCodeAt(end) : 32;
        if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
        else if (c === 44 /* , */ || c === 32 /*   */) {
          positions.push(n);
          fields.push(fieldAt(n, titleEnd, headingEnd));
          n = 0;
          if (c === 32) break;
        }
      }
    }
    hits.push({ lexeme, positions, fields });
    i = end;
  }
  return hits;
}

/**
 * The fields of a passage vector's positions, from their weight letters.
 * @param letters the weights column of `unnest(tsvector)`
 */
export function fieldsOfLetters(letters: readonly string[]): Field[] {
  return letters.map((letter) => LETTER_FIELD[letter] ?? 'body');
}
