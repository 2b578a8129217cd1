import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { EvidentiaError } from '../../domain/errors.js';
import type { EvidenceKind } from '../../domain/source.js';
import type { ScoredDocument } from '../../ports/store.js';
import type { EmbeddingModel, PassageToEmbed, VectorIndex } from '../../ports/vector-index.js';

/** sqlite-vec answers at most this many neighbours per query. */
const MAX_NEIGHBOURS = 4096;
/** Passages fetched per wanted document: a document can own several of the nearest passages (more costs time: sqlite-vec sorts every candidate). */
const PASSAGES_PER_DOCUMENT = 2;

const SQL = {
  hasSchema:
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('vector_model', 'vector_stale')",
  hasVectors: "SELECT count(*) AS n FROM sqlite_master WHERE name = 'passage_vectors'",
  model: 'SELECT name, dimension FROM vector_model WHERE id = 1',
  recordModel: 'INSERT INTO vector_model (id, name, dimension) VALUES (1, ?, ?)',
  forgetModel: 'DELETE FROM vector_model',
  createVectors: (dimension: number) =>
    `CREATE VIRTUAL TABLE passage_vectors USING vec0(passage INTEGER PRIMARY KEY, embedding float[${dimension}] distance_metric=cosine)`,
  dropVectors: 'DROP TABLE IF EXISTS passage_vectors',
  dropStaleVectors: 'DELETE FROM passage_vectors WHERE passage IN (SELECT passage FROM vector_stale)',
  forgetStale: 'DELETE FROM vector_stale',
  deleteVector: 'DELETE FROM passage_vectors WHERE passage = ?',
  insertVector: 'INSERT INTO passage_vectors (passage, embedding) VALUES (?, ?)',
  embeddedPassages: 'SELECT passage FROM passage_vectors',
  passagesFrom: `SELECT p.rowid AS passage, p.doc AS doc, d.title AS title, p.heading AS heading, p.start AS start, p.end AS end
    FROM passages p JOIN documents d ON d.rowid = p.doc WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?`,
  countPassages: 'SELECT count(*) AS n FROM passages',
  countVectors: 'SELECT count(*) AS n FROM passage_vectors',
  body: 'SELECT body FROM documents WHERE rowid = ?',
  nearest: (kinds: number) => `
    SELECT d.id AS documentId, min(knn.distance) AS distance
    FROM (SELECT passage, distance FROM passage_vectors WHERE embedding MATCH ? AND k = ?) knn
    JOIN passages p ON p.rowid = knn.passage JOIN documents d ON d.rowid = p.doc
    WHERE knn.passage NOT IN (SELECT passage FROM vector_stale)
      ${kinds > 0 ? `AND d.kind IN (${Array.from({ length: kinds }, () => '?').join(',')})` : ''}
    GROUP BY d.id ORDER BY distance, d.id LIMIT ?`,
} as const;

/**
 * Opens the vector index of an Evidentia SQLite library: a second connection to the same file
 * that loads sqlite-vec (the store's own connection never needs the extension). Open the store
 * first: its migrations create the tables this relies on.
 * @param file the library database file
 */
export function openSqliteVectorIndex(file: string): SqliteVectorIndex {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
    sqliteVec.load(db);
  } catch (cause) {
    throw new EvidentiaError(
      'STORE_UNAVAILABLE',
      `cannot open the vector index of ${file}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return new SqliteVectorIndex(db, file);
}

/** Passage vectors in a sqlite-vec `vec0` table (exact cosine kNN), beside the library's tables. */
export class SqliteVectorIndex implements VectorIndex {
  constructor(
    private readonly db: Database.Database,
    file: string,
  ) {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    if (db.prepare<[], { n: number }>(SQL.hasSchema).get()!.n !== 2) {
      db.close();
      throw new EvidentiaError(
        'STORE_UNAVAILABLE',
        `${file} is not an Evidentia library with vector tables: open it with this version of Evidentia first`,
      );
    }
  }

  private hasVectors(): boolean {
    return this.db.prepare<[], { n: number }>(SQL.hasVectors).get()!.n > 0;
  }

  async model(): Promise<EmbeddingModel | null> {
    return this.db.prepare<[], EmbeddingModel>(SQL.model).get() ?? null;
  }

  /** Drops vectors of passages that have gone since they were written. */
  private dropStale(): void {
    this.db.transaction(() => {
      if (this.hasVectors()) this.db.prepare(SQL.dropStaleVectors).run();
      this.db.prepare(SQL.forgetStale).run();
    })();
  }

  async countPending(): Promise<number> {
    this.dropStale();
    const passages = this.db.prepare<[], { n: number }>(SQL.countPassages).get()!.n;
    const vectors = this.hasVectors() ? this.db.prepare<[], { n: number }>(SQL.countVectors).get()!.n : 0;
    return Math.max(0, passages - vectors);
  }

  async pendingPassages(limit: number, after?: string): Promise<PassageToEmbed[]> {
    this.dropStale();
    const done = new Set<number>(
      this.hasVectors()
        ? this.db
            .prepare<[], { passage: number }>(SQL.embeddedPassages)
            .all()
            .map((r) => r.passage)
        : [],
    );
    const page = this.db.prepare<
      [number, number],
      { passage: number; doc: number; title: string; heading: string; start: number; end: number }
    >(SQL.passagesFrom);
    const body = this.db.prepare<[number], { body: string }>(SQL.body);
    const bodies = new Map<number, string>();
    const found: PassageToEmbed[] = [];
    let cursor = after === undefined ? 0 : Number(after);
    // Page through passages in rowid order, skipping those with a vector, until `limit` are found.
    while (found.length < limit) {
      const rows = page.all(cursor, 2000);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (found.length >= limit) break;
        cursor = r.passage;
        if (done.has(r.passage)) continue;
        let text = bodies.get(r.doc);
        if (text === undefined) {
          text = body.get(r.doc)?.body ?? '';
          bodies.set(r.doc, text);
        }
        // Offsets are JavaScript string offsets, so the text is cut here, not by SQL substr().
        found.push({
          passageId: String(r.passage),
          title: r.title,
          heading: r.heading,
          text: text.slice(r.start, r.end),
        });
      }
    }
    return found;
  }

  async upsertVectors(
    model: EmbeddingModel,
    entries: ReadonlyArray<{ passageId: string; vector: readonly number[] }>,
  ): Promise<void> {
    for (const { vector } of entries) {
      if (vector.length !== model.dimension) {
        throw new EvidentiaError(
          'CONFIG_INVALID',
          `embedding model ${model.name} gave a vector of ${vector.length} numbers, not ${model.dimension}`,
        );
      }
    }
    this.db.transaction(() => {
      const recorded = this.db.prepare<[], EmbeddingModel>(SQL.model).get();
      if (recorded && (recorded.name !== model.name || recorded.dimension !== model.dimension)) {
        throw new EvidentiaError(
          'CONFIG_INVALID',
          `the library's vectors were made by ${recorded.name} (${recorded.dimension} dimensions), not ${model.name} (${model.dimension}): run \`evidentia embed --rebuild\` to replace them`,
        );
      }
      if (!recorded) {
        this.db.prepare(SQL.recordModel).run(model.name, model.dimension);
        this.db.exec(SQL.dropVectors);
        this.db.exec(SQL.createVectors(model.dimension));
      }
      const remove = this.db.prepare(SQL.deleteVector);
      const insert = this.db.prepare(SQL.insertVector);
      for (const { passageId, vector } of entries) {
        // vec0 wants integer keys as BigInt and vectors as float32 bytes.
        const key = BigInt(passageId);
        remove.run(key);
        insert.run(key, new Float32Array(vector));
      }
    })();
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec(SQL.dropVectors);
      this.db.prepare(SQL.forgetModel).run();
      this.db.prepare(SQL.forgetStale).run();
    })();
  }

  async nearestDocuments(
    vector: readonly number[],
    limit: number,
    kinds: readonly EvidenceKind[] = [],
  ): Promise<ScoredDocument[]> {
    const model = await this.model();
    if (!model || !this.hasVectors() || limit <= 0) return [];
    if (vector.length !== model.dimension) {
      throw new EvidentiaError(
        'CONFIG_INVALID',
        `the query vector has ${vector.length} numbers but the library's vectors (${model.name}) have ${model.dimension}: run \`evidentia embed --rebuild\` after changing model`,
      );
    }
    const neighbours = Math.min(MAX_NEIGHBOURS, limit * PASSAGES_PER_DOCUMENT);
    const rows = this.db
      .prepare<unknown[], { documentId: string; distance: number }>(SQL.nearest(kinds.length))
      .all(new Float32Array(vector), neighbours, ...kinds, limit);
    // Cosine distance is 1 − similarity; the port promises higher is better.
    return rows.map((r) => ({ documentId: r.documentId, score: 1 - r.distance }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
