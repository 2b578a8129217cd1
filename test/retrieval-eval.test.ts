import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { createApp } from '../src/app/app.js';
import { loadEvalSet } from '../src/eval/beir-set.js';
import { dataPath, HAS_SHARED_DATA, REPO_ROOT, tempDir } from './helpers.js';

/** A small BEIR folder in our own words: each question names its document's subject. */
function writeCollection(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const corpus = [
    {
      _id: 'd1',
      title: 'Gout',
      text: 'Gout causes sudden pain and swelling in the big toe.',
      metadata: { qtype: 'symptoms' },
    },
    {
      _id: 'd2',
      title: 'Gout',
      text: 'Medicines that lower urate prevent gout flares.',
      metadata: { qtype: 'treatment' },
    },
    {
      _id: 'd3',
      title: 'Asthma',
      text: 'Asthma narrows the airways and causes wheezing.',
      metadata: { qtype: 'symptoms' },
    },
    { _id: 'd4', title: 'Anemia', text: 'Anemia means too few red blood cells; it causes tiredness.' },
  ];
  writeFileSync(join(dir, 'corpus.jsonl'), corpus.map((d) => JSON.stringify(d)).join('\n'));
  const queries = [
    { _id: 'q1', text: 'What are the treatments for gout ?' },
    { _id: 'q2', text: 'What are the symptoms of asthma ?' },
    { _id: 'q3', text: 'Which question has no judged document?' },
  ];
  writeFileSync(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n'));
  writeFileSync(join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td2\t1\nq2\td3\t2\nq3\td1\t0\n');
}

describe('retrieval evaluation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let collection: string;
  beforeAll(() => {
    tmp = tempDir();
    collection = join(tmp.dir, 'tiny');
    writeCollection(collection);
  });
  afterAll(() => tmp.cleanup());

  it('reads a BEIR folder: queries with judgements, graded qrels, the corpus on demand', async () => {
    const set = await loadEvalSet(collection);
    expect(set.name).toBe('tiny');
    expect(set.queries.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    expect(set.qrels.get('q2')?.get('d3')).toBe(2);
    const docs = [];
    for await (const d of set.documents()) docs.push(d);
    expect(docs.map((d) => d.corpusId)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(docs[1]?.document.sections?.[0]?.heading).toBe('treatment');
  });

  it('scores Evidentia and the BM25 baseline in one run', async () => {
    const app = createApp(openSqliteStore(join(tmp.dir, 'eval.db')));
    try {
      const report = await app.evaluateRetrieval(collection);
      for (const system of [report.evidentia, report.bm25]) {
        expect(system.queries).toBe(2);
        expect(system.documents).toBe(4);
        expect(system.recall100).toBe(1);
        expect(system.p95Ms).toBeGreaterThanOrEqual(system.p50Ms);
      }
      // The section cue puts the treatment page first; plain BM25 cannot tell the two gout pages apart by "treatments".
      expect(report.evidentia.ndcg10).toBe(1);
      expect(report.evidentia.mrr10).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('prints one JSON object from the command, and a one-line error for a missing folder', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(REPO_ROOT, 'bin/evidentia.js'), ...args], {
        encoding: 'utf8',
        timeout: 120_000,
      });
    const ok = run(['eval', 'retrieval', collection, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(report)).toEqual(['evidentia', 'bm25']);
    expect(Object.keys(report['evidentia']!).sort()).toEqual(
      ['documents', 'mrr10', 'ndcg10', 'p50Ms', 'p95Ms', 'queries', 'recall100'].sort(),
    );
    const perQuery = join(tmp.dir, 'per-query.tsv');
    const table = run(['eval', 'retrieval', collection, '--per-query', perQuery]);
    expect(table.stdout).toMatch(/nDCG@10/);
    // One line per judged query (q3 has no relevant document), with both systems' figures.
    const [header, ...lines] = readFileSync(perQuery, 'utf8').trim().split('\n');
    expect(header?.split('\t')).toEqual([
      'query-id',
      'evidentia-ndcg10',
      'evidentia-recall100',
      'evidentia-mrr10',
      'bm25-ndcg10',
      'bm25-recall100',
      'bm25-mrr10',
      'question',
    ]);
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['q1', 'q2']);
    const q1 = lines[0]!.split('\t');
    expect(q1[1]).toBe('1.0000');
    expect(q1[7]).toBe('What are the treatments for gout ?');
    const missing = run(['eval', 'retrieval', join(tmp.dir, 'nowhere')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('retrieval on PubMedQA (needs ../shared/data)', () => {
  it('finds each question’s own abstract near the top', async () => {
    const tmp = tempDir();
    const app = createApp(openSqliteStore(join(tmp.dir, 'pubmedqa.db')));
    try {
      const report = await app.evaluateRetrieval(dataPath('pubmedqa'));
      expect(report.evidentia.queries).toBe(500);
      expect(report.evidentia.documents).toBe(1000);
      expect(report.bm25.ndcg10).toBeGreaterThan(0.95);
      expect(report.evidentia.ndcg10).toBeGreaterThan(0.97);
      expect(report.evidentia.recall100).toBeGreaterThan(0.99);
      // The target: no loss against plain BM25 on these questions.
      expect(report.evidentia.ndcg10).toBeGreaterThanOrEqual(report.bm25.ndcg10);
      expect(report.perQuery).toHaveLength(500);
    } finally {
      await app.close();
      tmp.cleanup();
    }
  }, 300_000);
});
