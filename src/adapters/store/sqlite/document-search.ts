import Database from 'better-sqlite3';
import type { LexicalQuery, ScoredDocument } from '../../../ports/store.js';
import {
  bm25Contribution,
  chooseCandidatePhrases,
  conjunctionOrder,
  contenders,
  estimateHits,
  fts5Idf,
  readVarints,
  rowidStrata,
} from './bm25-scoring.js';
import { FTS_COLUMNS, toMatchPhrases, type FtsColumn, type MatchPhrase } from './fts-query.js';
import type { SearchRanking } from './native-ranking.js';

/**
 * How much work one whole-document search may do, whatever the library's size. FTS5 scores every
 * document that matches any OR-ed word, so a common word ("symptoms", "treatment") makes a
 * search cost grow with the library; these bounds keep it flat.
 */
export interface SearchBudget {
  /** Postings read per phrase to count its documents; beyond it the count is estimated. */
  countCap: number;
  /** Parts of the library the count is spread over. */
  strata: number;
  /** Up to this many postings in all, FTS5 scores the whole query exactly. */
  exactPostings: number;
  /** Beyond it, the postings the candidate documents may come from (rarest phrases first). */
  candidatePostings: number;
  /**
   * A common word is looked for in the candidates' own titles, not among its postings, when it
   * has more than this many documents per candidate: FTS5 keeps one posting list per word for all
   * columns, so finding its few title matches means walking all of its postings.
   */
  titleLookupRatio: number;
  /**
   * Up to this many candidates from common words together are looked up one by one for a word
   * in the body, rather than finding those words' documents together again for each word.
   */
  rowidLookups: number;
  /**
   * With the native ranking function, up to this many candidates are looked up one by one for a
   * phrase, each look-up telling every column the phrase is in (rowidLookups when not given).
   */
  columnLookups?: number;
  /**
   * With the native ranking function, up to this many candidates get every other phrase's columns
   * in one pass over them (none beyond what rowidLookups and columnLookups allow otherwise): each
   * pass otherwise walks the candidates again, and each look-up starts a new search.
   */
  onePassCandidates?: number;
}

/**
 * Measured on the evaluation sets and `npm run bench:retrieval`: against exact ranking the
 * bounded path costs 0.004 nDCG@10 on medquad_beir (nothing measurable on bioasq_dev or
 * pubmedqa) and is 2–5× faster from 16k documents on.
 */
export const DEFAULT_SEARCH_BUDGET: SearchBudget = {
  countCap: 2000,
  strata: 8,
  exactPostings: 4000,
  candidatePostings: 500,
  titleLookupRatio: 64,
  rowidLookups: 200,
  columnLookups: 600,
  onePassCandidates: 2400,
};

/** The tokenizer of documents_fts (schema.ts): the candidates' titles are matched exactly as there. */
const FTS_TOKENIZER = 'porter unicode61 remove_diacritics 2';

const COMMON_COUNTS_KEPT = 10_000;

interface Weights {
  title: number;
  heading: number;
  body: number;
}

/** A phrase's document count, and whether it was counted to the end or estimated. */
interface Hits {
  hits: number;
  exact: boolean;
}

type ScoredRow = { rowid: number; score: number };
type NativeRow = ScoredRow & { length: number };
/** A candidate with its score so far and, where the scoring gave it, its length in tokens. */
type Candidate = { rowid: number; score: number; length?: number };

/**
 * Whole-document BM25 with bounded work. Phrases are counted (up to a cap); when their postings
 * fit a budget FTS5 ranks the whole query exactly. Beyond it they are split: the rarest, up to a
 * smaller budget, are scored exactly by FTS5 over the documents they match (documents that
 * contain none of them are never visited), and those candidates then get the common phrases'
 * contributions by the same BM25 formula, counting each column a phrase is in once.
 */
export class DocumentSearch {
  private readonly statements;
  /** Estimated document counts of common phrases, kept until the library changes. */
  private readonly commonCounts = new Map<string, Hits>();
  /** evidentia_bm25 statements by the number of counts passed, each with and without a limit. */
  private readonly nativeScoring = new Map<
    number,
    {
      limited: Database.Statement<unknown[], NativeRow>;
      all: Database.Statement<unknown[], [number, number, number]>;
    }
  >();
  private countsVersion = '';
  private columnsStatement: Database.Statement<[string, string], { rowid: number; mask: number }> | undefined;
  private columnsWithinStatement: Database.Statement<[number, string], { rowid: number; mask: number }> | undefined;
  private masksStatement: Database.Statement<[number, string], { rowid: number; masks: Uint8Array }> | undefined;
  private scratch:
    | {
        db: Database.Database;
        clear: Database.Statement<[]>;
        insert: Database.Statement<[number, string]>;
        matching: Database.Statement<[string], { rowid: number }>;
      }
    | undefined;

  /**
   * @param db the library connection
   * @param budget how much work one search may do
   * @param ranking 'native' when the connection has evidentia_bm25 (native-ranking.ts): the
   *   candidates are then scored with the phrases' document counts known here, rather than by
   *   bm25(), which counts every document of each phrase again on every query
   */
  constructor(
    private readonly db: Database.Database,
    private readonly budget: SearchBudget = DEFAULT_SEARCH_BUDGET,
    readonly ranking: SearchRanking = 'fts5',
  ) {
    // The native functions then take each row's length from memory, not from a B-tree look-up per
    // row (native/evidentia-fts5.c): most of the time scoring takes in a large library.
    if (ranking === 'native') db.prepare("SELECT evidentia_cache_lengths('documents_fts')").get();
    this.statements = {
      averages: db.prepare<[], { block: Buffer }>('SELECT block FROM documents_fts_data WHERE id = 1'),
      maxRowid: db.prepare<[], { m: number | null }>('SELECT max(rowid) AS m FROM documents'),
      count: db.prepare<[string, number], { n: number; last: number | null }>(
        `SELECT count(*) AS n, max(rowid) AS last
         FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?)`,
      ),
      countBetween: db.prepare<[string, number, number, number], { n: number; last: number | null }>(
        `SELECT count(*) AS n, max(rowid) AS last
         FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? AND rowid >= ? AND rowid < ? LIMIT ?)`,
      ),
      scored: db.prepare<[number, number, number, string, number], { rowid: number; score: number }>(
        `SELECT rowid, bm25(documents_fts, ?, ?, ?) AS score FROM documents_fts WHERE documents_fts MATCH ?
         ORDER BY score, rowid LIMIT ?`,
      ),
      // Every match scored, in no order: the caller adds more to the scores before ranking.
      scoredAll: db.prepare<[number, number, number, string], { rowid: number; score: number }>(
        'SELECT rowid, bm25(documents_fts, ?, ?, ?) AS score FROM documents_fts WHERE documents_fts MATCH ?',
      ),
      matching: db.prepare<[string], { rowid: number }>('SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?'),
      sizes: db.prepare<[string], { id: number; sz: Buffer }>(
        'SELECT id, sz FROM documents_fts_docsize WHERE id IN (SELECT value FROM json_each(?))',
      ),
      ids: db.prepare<[string], { rowid: number; id: string }>(
        'SELECT rowid, id FROM documents WHERE rowid IN (SELECT value FROM json_each(?))',
      ),
      // Rowid by rowid: for the body column only, which nearly every posting of a word has (with a
      // column FTS5 seldom matches, each look-up would walk on to the next posting that has it).
      matchingAmong: db.prepare<[string, string], { rowid: number }>(
        'SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))',
      ),
      titles: db.prepare<[string], { rowid: number; title: string }>(
        'SELECT rowid, title FROM documents WHERE rowid IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  /** Closes the scratch index of candidate titles. */
  close(): void {
    this.scratch?.db.close();
    this.scratch = undefined;
  }

  /**
   * A small in-memory FTS5 index of some candidates' titles, with the library's tokenizer, so a
   * common word's title matches among them are found without walking its postings.
   */
  private titleIndex(rowids: readonly number[]): Database.Statement<[string], { rowid: number }> {
    if (!this.scratch) {
      const scratch = new Database(':memory:');
      scratch.exec(`CREATE VIRTUAL TABLE titles USING fts5(title, tokenize = '${FTS_TOKENIZER}')`);
      this.scratch = {
        db: scratch,
        clear: scratch.prepare('DELETE FROM titles'),
        insert: scratch.prepare<[number, string]>('INSERT INTO titles (rowid, title) VALUES (?, ?)'),
        matching: scratch.prepare<[string], { rowid: number }>('SELECT rowid FROM titles WHERE titles MATCH ?'),
      };
    }
    const { db, clear, insert, matching } = this.scratch;
    const titles = this.statements.titles.all(JSON.stringify(rowids));
    db.transaction(() => {
      clear.run();
      for (const { rowid, title } of titles) insert.run(rowid, title);
    })();
    return matching;
  }

  /** Documents in the index and their mean length, from FTS5's own averages record. */
  private averages(): { rows: number; averageLength: number } {
    const block = this.statements.averages.get()?.block;
    if (!block) return { rows: 0, averageLength: 1 };
    const [rows = 0, ...columnTotals] = readVarints(block);
    const tokens = columnTotals.slice(0, FTS_COLUMNS.length).reduce((a, b) => a + b, 0);
    return { rows, averageLength: rows > 0 ? Math.max(tokens / rows, 1) : 1 };
  }

  /**
   * How many documents have a phrase: counted exactly up to the cap, estimated from a few postings
   * in each stratum of the library beyond it (and then remembered until the library changes).
   */
  private hitsOf(phrase: MatchPhrase, rows: number, maxRowid: number): Hits {
    const { expression } = phrase;
    const known = this.commonCounts.get(expression);
    if (known !== undefined) return known;
    const { countCap } = this.budget;
    const { n } = this.statements.count.get(expression, countCap)!;
    if (n < countCap) {
      // A phrase kept out of the body (a section cue) is counted by reading the word's postings in
      // every column, however few it has in its own: worth remembering like a common one.
      if (!phrase.columns.includes('body')) this.remember(expression, { hits: n, exact: true });
      return { hits: n, exact: true };
    }
    const strata = rowidStrata(maxRowid, this.budget.strata);
    const cap = Math.max(1, Math.floor(countCap / strata.length));
    const hits = estimateHits(
      strata.map(({ from, to }) => {
        const counted = this.statements.countBetween.get(expression, from, to, cap)!;
        return { from, to, counted: counted.n, cap, last: counted.last ?? 0 };
      }),
      rows,
    );
    const estimated = { hits, exact: false };
    this.remember(expression, estimated);
    return estimated;
  }

  private remember(expression: string, hits: Hits): void {
    if (this.commonCounts.size >= COMMON_COUNTS_KEPT) this.commonCounts.clear();
    this.commonCounts.set(expression, hits);
  }

  /**
   * BM25 of the documents a MATCH expression finds, on its phrases (higher is better).
   * @param expression the MATCH expression: `counts[i]` belongs to its i-th phrase
   * @param counts each phrase's document count for evidentia_bm25, null where FTS5 should count it
   * @param weights the column weights
   * @param limit the best this many, or every match in no order
   */
  private scoreMatches(
    expression: string,
    counts: ReadonlyArray<number | null>,
    weights: Weights,
    limit?: number,
  ): Candidate[] {
    const w = [weights.title, weights.heading, weights.body] as const;
    // Either function is negative, better matches more negative.
    if (this.ranking === 'native') {
      const statements = this.nativeStatements(counts.length);
      if (limit !== undefined)
        return statements.limited
          .all(...w, ...counts, expression, limit)
          .map((r) => ({ rowid: r.rowid, score: -r.score, length: r.length }));
      // Rows as arrays: a large candidate set comes back faster than as objects.
      return statements.all
        .all(...w, ...counts, expression)
        .map(([rowid, score, length]) => ({ rowid, score: -score, length }));
    }
    const rows =
      limit === undefined
        ? this.statements.scoredAll.all(...w, expression)
        : this.statements.scored.all(...w, expression, limit);
    return rows.map((r) => ({ rowid: r.rowid, score: -r.score }));
  }

  /**
   * The columns each match has one of the expression's phrases in, by the phrase's place in it
   * (evidentia_columns: native ranking only).
   */
  private columnsWithin(): Database.Statement<[number, string], { rowid: number; mask: number }> {
    this.columnsWithinStatement ??= this.db.prepare<[number, string], { rowid: number; mask: number }>(
      'SELECT rowid, evidentia_columns(documents_fts, ?) AS mask FROM documents_fts WHERE documents_fts MATCH ?',
    );
    return this.columnsWithinStatement;
  }

  /** Each match's columns of every phrase from the first-th on, a byte each (evidentia_masks: native only). */
  private masksWithin(): Database.Statement<[number, string], { rowid: number; masks: Uint8Array }> {
    this.masksStatement ??= this.db.prepare<[number, string], { rowid: number; masks: Uint8Array }>(
      'SELECT rowid, evidentia_masks(documents_fts, ?) AS masks FROM documents_fts WHERE documents_fts MATCH ?',
    );
    return this.masksStatement;
  }

  /** The columns each of some documents has a phrase in (evidentia_columns: native ranking only). */
  private columnsAmong(): Database.Statement<[string, string], { rowid: number; mask: number }> {
    this.columnsStatement ??= this.db.prepare<[string, string], { rowid: number; mask: number }>(
      `SELECT rowid, evidentia_columns(documents_fts, 0) AS mask FROM documents_fts
       WHERE documents_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
    );
    return this.columnsStatement;
  }

  private nativeStatements(counts: number) {
    let statements = this.nativeScoring.get(counts);
    if (!statements) {
      // The row's length comes with its score (its sizes are read once for both).
      const score = `evidentia_bm25(documents_fts, ?, ?, ?${', ?'.repeat(counts)}) AS score, evidentia_length(documents_fts) AS length`;
      statements = {
        limited: this.db.prepare<unknown[], NativeRow>(
          `SELECT rowid, ${score} FROM documents_fts WHERE documents_fts MATCH ? ORDER BY score, rowid LIMIT ?`,
        ),
        all: this.db
          .prepare<unknown[], [number, number, number]>(
            `SELECT rowid, ${score} FROM documents_fts WHERE documents_fts MATCH ?`,
          )
          .raw(true),
      };
      this.nativeScoring.set(counts, statements);
    }
    return statements;
  }

  search(query: LexicalQuery, weights: Weights): ScoredDocument[] {
    const phrases = toMatchPhrases(query);
    if (phrases.length === 0) return [];
    const { rows, averageLength } = this.averages();
    const maxRowid = this.statements.maxRowid.get()?.m ?? 0;
    const { candidatePostings } = this.budget;
    const version = `${rows}:${maxRowid}:${averageLength}`;
    if (version !== this.countsVersion) {
      this.commonCounts.clear();
      this.countsVersion = version;
    }
    const counted = phrases.map((p) => this.hitsOf(p, rows, maxRowid));
    const hits = counted.map((c) => c.hits);
    const total = hits.reduce((a, b) => a + b, 0);
    if (total === 0) return [];
    const exact = total <= this.budget.exactPostings;
    const chosen = exact ? phrases.map((_, i) => i) : chooseCandidatePhrases(hits, candidatePostings);
    const scored =
      !exact && hits[chosen[0]!]! > candidatePostings
        ? this.searchCommon(phrases, hits, query.limit, weights, rows, averageLength)
        : this.searchRare(phrases, counted, chosen, query.limit, weights, rows, averageLength);
    scored.sort((a, b) => b.score - a.score || a.rowid - b.rowid);
    const top = scored.slice(0, query.limit);
    const ids = new Map(this.statements.ids.all(JSON.stringify(top.map((r) => r.rowid))).map((r) => [r.rowid, r.id]));
    return top.map((r) => ({ documentId: ids.get(r.rowid) ?? '', score: r.score }));
  }

  /**
   * The rarest phrases' documents are the candidates, scored exactly by FTS5 on those phrases; the
   * other phrases' contributions are added to them.
   * @param chosen indexes of the candidate phrases, rarest first
   */
  private searchRare(
    phrases: readonly MatchPhrase[],
    counted: readonly Hits[],
    chosen: readonly number[],
    limit: number,
    weights: Weights,
    rows: number,
    averageLength: number,
  ): Array<{ rowid: number; score: number }> {
    const candidateExpression = chosen.map((i) => phrases[i]!.expression).join(' OR ');
    const hits = counted.map((c) => c.hits);
    // A phrase no document has adds nothing: not worth a pass over the candidates.
    const rest = phrases.flatMap((phrase, i) =>
      chosen.includes(i) || hits[i] === 0 ? [] : [{ phrase, hits: hits[i]!, idf: fts5Idf(rows, hits[i]!) }],
    );
    // Only counts read to the end are passed: this path ranks exactly as FTS5 does.
    const counts = chosen.map((i) => (counted[i]!.exact ? counted[i]!.hits : null));
    const exact = this.scoreMatches(candidateExpression, counts, weights, rest.length === 0 ? limit : undefined);
    return rest.length === 0
      ? exact
      : this.rescore(exact, candidateExpression, chosen.length, rest, weights, averageLength, limit, false);
  }

  /**
   * Every phrase common: the candidates are the documents that have the rarest two (or three)
   * phrases together, scored exactly by FTS5 on those; the others add their contributions.
   */
  private searchCommon(
    phrases: readonly MatchPhrase[],
    hits: readonly number[],
    limit: number,
    weights: Weights,
    rows: number,
    averageLength: number,
  ): Array<{ rowid: number; score: number }> {
    const { candidatePostings } = this.budget;
    const rarest = conjunctionOrder(hits);
    let conjunction: number[] = [];
    let expression = '';
    const most = Math.min(3, rarest.length);
    for (let k = Math.min(2, rarest.length); k <= most; k++) {
      conjunction = rarest.slice(0, k);
      expression = conjunction.map((i) => phrases[i]!.expression).join(' AND ');
      // The last conjunction is taken whatever its size: counting its documents first is wasted.
      if (k === most || this.statements.count.get(expression, candidatePostings + 1)!.n <= candidatePostings) break;
    }
    const rest = phrases.flatMap((phrase, i) =>
      conjunction.includes(i) || hits[i] === 0 ? [] : [{ phrase, hits: hits[i]!, idf: fts5Idf(rows, hits[i]!) }],
    );
    // The conjunction's phrases are scored with the counts the other phrases get (estimated beyond
    // the cap), not counted again: bm25() would walk each of their long posting lists. With no
    // other phrase to add, only the best `limit` leave SQLite.
    const candidates = this.scoreMatches(
      expression,
      conjunction.map((i) => hits[i]!),
      weights,
      rest.length === 0 ? limit : undefined,
    );
    return rest.length === 0
      ? candidates
      : this.rescore(candidates, expression, conjunction.length, rest, weights, averageLength, limit, true);
  }

  /**
   * Adds the common phrases' BM25 contributions to the candidates. With the native functions and
   * not too many candidates, one pass finds them all (addInOnePass). Otherwise, phrase by phrase:
   * candidates that cannot reach the
   * best `limit` whatever those phrases add are left out first (bm25-scoring.ts `contenders`).
   * FTS5 tells which candidates have a phrase in which column (the candidate expression AND the
   * phrase, so the common phrase's long posting list is skipped through, not scored); each column
   * counts once. For a word with many documents per candidate, the title matches come from the
   * candidates' own titles instead: few of its postings are in a title, and FTS5 would walk them
   * all to find those. With the native functions no column is filtered: one pass (or one look-up
   * per candidate) tells every column the phrase is in.
   * @param candidates rowids with their scores on the rare phrases (and lengths, when known)
   * @param candidateExpression the MATCH expression the candidates came from
   * @param candidatePhrases how many phrases that expression has
   * @param phrases the phrases not yet scored, with their document counts and inverse document frequencies
   * @param limit how many documents the search returns
   * @param rowidLookups whether few candidates may be looked up one by one for a phrase in the
   *   body (when their expression is costly to evaluate again)
   */
  private rescore(
    candidates: readonly Candidate[],
    candidateExpression: string,
    candidatePhrases: number,
    phrases: ReadonlyArray<{ phrase: MatchPhrase; hits: number; idf: number }>,
    weights: Weights,
    averageLength: number,
    limit: number,
    rowidLookups: boolean,
  ): Array<{ rowid: number; score: number }> {
    const bounds = phrases.map(({ phrase, idf }) => ({
      idf,
      maxFrequency: phrase.columns.reduce((f, c) => f + weights[c], 0),
    }));
    // The phrases that can add most go first: the sooner the best candidates' scores grow, the
    // more of the others are left out before the next phrase is looked for.
    const order = phrases.map((_, p) => p).sort((a, b) => bounds[b]!.idf - bounds[a]!.idf || a - b);
    // Each kept candidate's score grows with the phrases found so far: a lower bound of its final score.
    const measured = this.withLengths(candidates);
    if (this.ranking === 'native' && measured.length <= (this.budget.onePassCandidates ?? 0))
      return this.addInOnePass(measured, candidateExpression, candidatePhrases, phrases, weights, averageLength);
    const before = new Map(measured.map((c) => [c.rowid, c.score]));
    let kept = contenders(measured, bounds, limit, averageLength);
    const frequency = new Map<number, number[]>();
    const amongCandidates = (column: FtsColumn, quoted: string) =>
      this.statements.matching.all(`(${candidateExpression}) AND ${column} : ${quoted}`);
    let inTitles: Database.Statement<[string], { rowid: number }> | undefined;
    order.forEach((p, step) => {
      const { phrase, hits, idf } = phrases[p]!;
      // Only once some were left out are the matches filtered (and the scores so far kept up).
      const pruning = kept.length > limit;
      const keptRowids = pruning || kept.length < measured.length ? new Set(kept.map((c) => c.rowid)) : undefined;
      const add = (rowid: number, column: FtsColumn) => {
        if (keptRowids && !keptRowids.has(rowid)) return;
        let perPhrase = frequency.get(rowid);
        if (!perPhrase) frequency.set(rowid, (perPhrase = phrases.map(() => 0)));
        perPhrase[p]! += weights[column];
      };
      const titleAndBody = phrase.columns.length === 2 && phrase.columns[0] === 'title' && phrase.columns[1] === 'body';
      const lookUp = rowidLookups && kept.length <= this.budget.rowidLookups;
      const { columnLookups = this.budget.rowidLookups } = this.budget;
      const columns = phrase.columns.map((column) => ({ column, bit: 1 << FTS_COLUMNS.indexOf(column) }));
      if (rowidLookups && this.ranking === 'native' && kept.length <= columnLookups) {
        // One look-up per candidate tells every column the phrase is in (no column filter, which
        // would walk on to the next posting having that column).
        for (const { rowid, mask } of this.columnsAmong().all(phrase.quoted, JSON.stringify(kept.map((c) => c.rowid))))
          for (const { column, bit } of columns) if ((mask & bit) !== 0) add(rowid, column);
      } else if (this.ranking === 'native') {
        // One pass over the candidates having the phrase tells every column it is in: the phrase
        // follows the candidate expression's own phrases.
        for (const { rowid, mask } of this.columnsWithin().all(
          candidatePhrases,
          `(${candidateExpression}) AND ${phrase.quoted}`,
        ))
          for (const { column, bit } of columns) if ((mask & bit) !== 0) add(rowid, column);
      } else if (!titleAndBody || hits <= this.budget.titleLookupRatio * kept.length) {
        for (const column of phrase.columns)
          for (const { rowid } of amongCandidates(column, phrase.quoted)) add(rowid, column);
      } else {
        inTitles ??= this.titleIndex(kept.map((c) => c.rowid));
        for (const { rowid } of inTitles.all(phrase.quoted)) add(rowid, 'title');
        const inBodies = lookUp
          ? this.statements.matchingAmong.all(`body : ${phrase.quoted}`, JSON.stringify(kept.map((c) => c.rowid)))
          : amongCandidates('body', phrase.quoted);
        for (const { rowid } of inBodies) add(rowid, 'body');
      }
      if (!pruning) return;
      for (const c of kept) c.score += bm25Contribution(idf, frequency.get(c.rowid)?.[p] ?? 0, c.length, averageLength);
      kept = contenders(
        kept,
        order.slice(step + 1).map((q) => bounds[q]!),
        limit,
        averageLength,
      );
    });
    // Summed in the phrases' own order, whatever order they were looked for in: the same sums.
    return kept.map(({ rowid, length }) => {
      const score = before.get(rowid)!;
      const perPhrase = frequency.get(rowid);
      if (!perPhrase) return { rowid, score };
      let total = score;
      perPhrase.forEach((f, q) => (total += bm25Contribution(phrases[q]!.idf, f, length, averageLength)));
      return { rowid, score: total };
    });
  }

  /**
   * Adds every phrase's contribution to the candidates from one pass over those having any of
   * them (the candidate expression AND the phrases OR-ed), which tells every column each is in.
   * @param candidates scores so far and lengths
   * @param candidatePhrases how many phrases the candidate expression has: the others follow them
   */
  private addInOnePass(
    candidates: ReadonlyArray<{ rowid: number; score: number; length: number }>,
    candidateExpression: string,
    candidatePhrases: number,
    phrases: ReadonlyArray<{ phrase: MatchPhrase; idf: number }>,
    weights: Weights,
    averageLength: number,
  ): Array<{ rowid: number; score: number }> {
    const expression = `(${candidateExpression}) AND (${phrases.map((p) => p.phrase.quoted).join(' OR ')})`;
    const columns = phrases.map(({ phrase }) =>
      phrase.columns.map((column) => ({ weight: weights[column], bit: 1 << FTS_COLUMNS.indexOf(column) })),
    );
    const found = new Map<number, Uint8Array>();
    for (const { rowid, masks } of this.masksWithin().all(candidatePhrases, expression)) found.set(rowid, masks);
    return candidates.map(({ rowid, score, length }) => {
      const masks = found.get(rowid);
      if (!masks) return { rowid, score };
      let total = score;
      phrases.forEach(({ idf }, p) => {
        let frequency = 0;
        for (const { weight, bit } of columns[p]!) if ((masks[p]! & bit) !== 0) frequency += weight;
        total += bm25Contribution(idf, frequency, length, averageLength);
      });
      return { rowid, score: total };
    });
  }

  /** The candidates with their lengths in tokens: read from FTS5's sizes where the scoring gave none. */
  private withLengths(candidates: readonly Candidate[]): Array<{ rowid: number; score: number; length: number }> {
    const missing = candidates.filter((c) => c.length === undefined);
    const lengths = new Map<number, number>();
    if (missing.length > 0)
      for (const { id, sz } of this.statements.sizes.all(JSON.stringify(missing.map((c) => c.rowid))))
        lengths.set(
          id,
          readVarints(sz).reduce((a, b) => a + b, 0),
        );
    return candidates.map(({ rowid, score, length }) => ({
      rowid,
      score,
      length: length ?? lengths.get(rowid) ?? 0,
    }));
  }
}
