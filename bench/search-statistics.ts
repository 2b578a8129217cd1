/**
 * What drift in the SQLite ranking statistics costs and what repairing it takes, on medquad_beir:
 * a library of every document, then a second import that changes every 5th document and removes
 * every 7th. Prints the averages records before and after `optimizeSearch`, beside a fresh
 * library of the same final documents, how far top-10 scores were off before the repair, and the
 * time of optimize with the rebuild beside optimize of the fresh library (no rebuild).
 *
 *   npm run bench:search-statistics [-- --limit N]
 */
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { readAveragesRecord } from '../src/adapters/store/sqlite/search-statistics.js';
import { SourceDocument } from '../src/domain/source.js';
import { loadEvalSet } from '../src/eval/beir-set.js';
import type { Store } from '../src/ports/store.js';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '1000000' } } });
const limit = Number(values.limit);
const data = join(import.meta.dirname, '..', '..', 'shared', 'data', 'medquad_beir');

/** Both averages records of a library file, read straight from it. */
function records(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (['documents_fts', 'passages_fts'] as const)
      .map((t) => {
        const r = readAveragesRecord(db, t);
        return `${t} rows ${r.rows} tokens [${r.columnTokens.join(', ')}]`;
      })
      .join('; ');
  } finally {
    db.close();
  }
}

/** A document with its text changed: the first half of its text, so shorter and different. */
function shortened(document: SourceDocument): SourceDocument {
  const cut = Math.max(1, Math.floor(document.text.length / 2));
  const sections = document.sections.filter((s) => s.start < cut).map((s) => ({ ...s, end: Math.min(s.end, cut) }));
  return SourceDocument.parse({ ...document, text: document.text.slice(0, cut), sections });
}

/**
 * Top-10 scores of each question, keyed by result, for comparing two libraries: passages and
 * documents of a kind (both FTS5's bm25(), exact), and documents by the bounded whole-library
 * search, which estimates common phrases' document counts from samples spread over the rowids
 * (so a library with gaps in its rowids can differ from a fresh one by those estimates alone).
 */
async function topScores(
  store: Store,
  questions: readonly string[],
  search: 'passages' | 'documents of a kind' | 'documents',
): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  for (const [q, text] of questions.entries()) {
    const query = { clauses: [{ text }], limit: 10 };
    const found =
      search === 'passages'
        ? await store.searchPassages(query)
        : await store.searchDocuments(search === 'documents' ? query : { ...query, kinds: ['other'] });
    for (const r of found) scores.set(`${q}:${r.documentId}@${'start' in r ? r.start : 0}`, r.score);
  }
  return scores;
}

const SEARCHES = ['passages', 'documents of a kind', 'documents'] as const;

/** One line per search: the largest relative score difference from the fresh library. */
async function compare(store: Store, fresh: Store, questions: readonly string[], when: string): Promise<void> {
  for (const search of SEARCHES) {
    const worst = largestDifference(
      await topScores(store, questions, search),
      await topScores(fresh, questions, search),
    );
    console.log(`top-10 ${search} scores ${when}: largest relative difference from fresh ${worst.toExponential(2)}`);
  }
}

/** The largest relative difference between the scores both maps hold. */
function largestDifference(a: Map<string, number>, b: Map<string, number>): number {
  let worst = 0;
  for (const [key, score] of a) {
    const other = b.get(key);
    if (other !== undefined) worst = Math.max(worst, Math.abs(score - other) / Math.abs(other));
  }
  return worst;
}

const set = await loadEvalSet(data);
const documents: SourceDocument[] = [];
for await (const { document } of set.documents()) {
  documents.push(SourceDocument.parse(document));
  if (documents.length >= limit) break;
}
const questions = set.queries.slice(0, 200).map((q) => q.text);
const changes = documents.filter((_, i) => i % 5 === 0).map(shortened);
const removed = new Set(documents.filter((_, i) => i % 7 === 0 && i % 5 !== 0).map((d) => d.id));
const changedIds = new Set(changes.map((d) => d.id));
const final = [
  ...documents.filter((d) => !changedIds.has(d.id) && !removed.has(d.id)),
  ...changes.filter((d) => !removed.has(d.id)),
];

const dir = mkdtempSync(join(tmpdir(), 'evidentia-bench-stats-'));
try {
  const changedFile = join(dir, 'changed.db');
  const freshFile = join(dir, 'fresh.db');
  const changed = openSqliteStore(changedFile);
  await changed.importDocuments(async (s) => {
    for (const d of documents) await s.put(d);
  });
  await changed.importDocuments(async (s) => {
    for (const d of changes) await s.put(d);
    for (const id of removed) await s.delete(id);
  });
  const fresh = openSqliteStore(freshFile);
  await fresh.importDocuments(async (s) => {
    for (const d of final) await s.put(d);
  });

  console.log(`medquad_beir: ${documents.length} documents, ${changes.length} changed, ${removed.size} removed`);
  console.log(`drifted: ${records(changedFile)}`);
  console.log(`fresh:   ${records(freshFile)}`);
  await compare(changed, fresh, questions, 'before repair');

  let started = performance.now();
  await fresh.optimizeSearch();
  const baseline = (performance.now() - started) / 1000;
  const load = loadavg()[0]!.toFixed(2);
  started = performance.now();
  const report = await changed.optimizeSearch();
  const repaired = (performance.now() - started) / 1000;
  console.log(`repaired: ${records(changedFile)}`);
  await compare(changed, fresh, questions, 'after repair');
  console.log(
    `optimize with rebuild of ${report.rebuilt.map((r) => r.index).join(' + ')}: ${repaired.toFixed(2)} s; optimize of the fresh library (no rebuild): ${baseline.toFixed(2)} s; load ${load}`,
  );
  await changed.close();
  await fresh.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
