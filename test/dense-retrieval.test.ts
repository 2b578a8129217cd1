import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOnnxEmbedder, type ModelEmbedder } from '../src/adapters/vector/onnx-embedder.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { openApp } from '../src/app/app.js';
import { openDenseSetup } from '../src/app/dense-setup.js';
import { loadConfig } from '../src/config/config.js';
import type { SourceDocument } from '../src/domain/source.js';
import { benchmarkRetrieveOptions, DEFAULT_RETRIEVE_OPTIONS, retrieve } from '../src/pipeline/retrieve/retrieve.js';
import { understand } from '../src/pipeline/understand/understand.js';
import { evidentia, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { TINY_DIMENSION, writeTinyEmbeddingModel } from './tiny-embedding-model.js';

const doc = (id: string, title: string, text: string): SourceDocument => ({
  id,
  kind: 'consumer-health',
  title,
  text,
  meshTerms: [],
  publicationTypes: [],
  funding: [],
  sections: [],
  recommendations: [],
  metadata: {},
});

/**
 * A library where the question's words miss the document that answers it: "myocardial
 * infarction" is a heart attack, but only the kidney page shares a word ("infarction").
 */
const LIBRARY = [
  doc(
    'heart',
    'Heart attack',
    'A heart attack happens when blood stops reaching part of the heart. Chest pain is common.',
  ),
  doc(
    'kidney',
    'Kidney infarction',
    'A kidney infarction is rare. Renal stones are far more common causes of flank pain.',
  ),
  doc('skin', 'Eczema', 'Eczema makes the skin dry and itchy. A rash may come and go.'),
  doc('lungs', 'Asthma', 'Asthma narrows the airways. Wheezing and short breath are typical.'),
];
const QUESTION = 'What is a myocardial infarction?';

/** The library as a BEIR folder, with the question judged to have the heart page as its answer. */
function writeCollection(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'corpus.jsonl'),
    LIBRARY.map((d) => JSON.stringify({ _id: d.id, title: d.title, text: d.text })).join('\n'),
  );
  writeFileSync(join(dir, 'queries.jsonl'), JSON.stringify({ _id: 'q1', text: QUESTION }));
  writeFileSync(join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\theart\t1\n');
  return dir;
}

describe('dense retrieval end to end (tiny generated ONNX model, real SQLite file)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let modelDir: string;
  beforeAll(() => {
    tmp = tempDir('evidentia-dense-');
    modelDir = writeTinyEmbeddingModel(join(tmp.dir, 'tiny-embedder'));
  });
  afterAll(() => tmp.cleanup());

  it('embeds the library, then the fused ranking has the document only the vectors find', async () => {
    const dbPath = join(tmp.dir, 'local.db');
    const config = loadConfig({ dbPath }, { EVIDENTIA_EMBEDDINGS_MODEL_DIR: modelDir });
    const app = openApp(config);
    try {
      await app.store.importDocuments(async (s) => {
        for (const d of LIBRARY) await s.put(d);
      });
      expect(app.retriever).toBe('BM25 + dense (tiny-embedder), reciprocal rank fusion');
      const seen: number[] = [];
      const report = await app.embed({ onProgress: (done) => seen.push(done) });
      const { passages } = await app.stats();
      expect(report).toEqual({ embedded: passages, model: 'tiny-embedder', dimension: TINY_DIMENSION });
      expect(seen.at(-1)).toBe(passages);
      expect((await app.embed()).embedded).toBe(0);
    } finally {
      await app.close();
    }

    const store = openSqliteStore(dbPath);
    const dense = openDenseSetup(config)!;
    try {
      const question = understand({ text: QUESTION });
      for (const options of [DEFAULT_RETRIEVE_OPTIONS, benchmarkRetrieveOptions()]) {
        const lexical = await retrieve(question, { index: store, documents: store }, options);
        const fused = await retrieve(question, { index: store, documents: store, dense: dense.retrieval }, options);
        expect(lexical.documents.map((d) => d.documentId)).toEqual(['kidney']);
        const ids = fused.documents.map((d) => d.documentId);
        expect(ids.slice(0, 2).sort()).toEqual(['heart', 'kidney']);
        expect(ids).toContain('heart');
      }
    } finally {
      await dense.close();
      await store.close();
    }
  });

  it('works the same with an OpenAI-compatible endpoint, sending passages in batches', async () => {
    const local: ModelEmbedder = await openOnnxEmbedder(modelDir);
    const batches: number[] = [];
    const server: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] };
        batches.push(body.input.length);
        void local.embed(body.input).then((vectors) => {
          const data = vectors.map((embedding, index) => ({ index, embedding }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const dbPath = join(tmp.dir, 'endpoint.db');
    const app = openApp(
      loadConfig({ dbPath }, { EVIDENTIA_EMBEDDINGS_URL: url, EVIDENTIA_EMBEDDINGS_MODEL: 'served-tiny' }),
    );
    try {
      await app.ingest([SAMPLE_LIBRARY]);
      await app.store.importDocuments(async (s) => {
        for (const d of LIBRARY) await s.put(d);
      });
      const report = await app.embed();
      expect(report.embedded).toBe((await app.stats()).passages);
      expect(report.model).toBe('served-tiny');
      expect(Math.max(...batches)).toBeLessThanOrEqual(32);
      expect(batches.length).toBeGreaterThan(1);
      // The answer path runs with dense retrieval on and still gives a valid article.
      const article = await app.ask(QUESTION, 'patient', { save: false });
      expect(article.question).toBe(QUESTION);
      expect(batches.at(-1)).toBe(1);
    } finally {
      await app.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('embeds from the command line and says in one line what is wrong', { timeout: 180_000 }, () => {
    const db = join(tmp.dir, 'cli.db');
    const env = { EVIDENTIA_EMBEDDINGS_MODEL_DIR: modelDir };
    const collection = writeCollection(join(tmp.dir, 'beir-cli'));
    expect(evidentia(['--db', db, 'ingest', join(collection, 'corpus.jsonl')]).code).toBe(0);

    const off = evidentia(['--db', db, 'embed']);
    expect(off.code).toBe(1);
    expect(off.stderr.trim().split('\n')).toHaveLength(1);
    expect(off.stderr).toContain('EVIDENTIA_EMBEDDINGS_MODEL_DIR');

    const first = evidentia(['--db', db, 'embed'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^embedded [1-9]\d* passage\(s\) with tiny-embedder \(8 dimensions\)/);

    const other = writeTinyEmbeddingModel(join(tmp.dir, 'another-model'));
    const changed = evidentia(['--db', db, 'embed'], { EVIDENTIA_EMBEDDINGS_MODEL_DIR: other });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/made by tiny-embedder.*embed --rebuild/);
    const asked = evidentia(['--db', db, 'ask', 'What is asthma?', '--no-save'], {
      EVIDENTIA_EMBEDDINGS_MODEL_DIR: other,
    });
    expect(asked.code).toBe(1);
    expect(asked.stderr.trim().split('\n')).toHaveLength(1);
    const rebuilt = evidentia(['--db', db, 'embed', '--rebuild'], { EVIDENTIA_EMBEDDINGS_MODEL_DIR: other });
    expect(rebuilt.stdout).toMatch(/with another-model/);

    const withPostgres = evidentia(['--db', db, 'stats'], { ...env, DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(withPostgres.code).toBe(1);
    expect(withPostgres.stderr.trim().split('\n')).toHaveLength(1);
    expect(withPostgres.stderr).toMatch(/SQLite library/);

    const missing = evidentia(['--db', db, 'embed'], { EVIDENTIA_EMBEDDINGS_MODEL_DIR: join(tmp.dir, 'no-model') });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/not found/);
  });

  it('evaluates retrieval with dense retrieval when configured, naming the retriever', { timeout: 180_000 }, () => {
    const collection = writeCollection(join(tmp.dir, 'beir-eval'));
    const evaluated = evidentia(['eval', 'retrieval', collection, '--json'], {
      EVIDENTIA_EMBEDDINGS_MODEL_DIR: modelDir,
    });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toContain('retriever: BM25 + dense (tiny-embedder), reciprocal rank fusion');
    const report = JSON.parse(evaluated.stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(report)).toEqual(['evidentia', 'bm25']);
    // Evidentia's lexical ranking (question words dropped) misses the heart page; with vectors it is found.
    expect(report['evidentia']!['recall100']).toBe(1);
    const lexicalOnly = evidentia(['eval', 'retrieval', collection]);
    expect(lexicalOnly.code, lexicalOnly.stderr).toBe(0);
    expect(lexicalOnly.stdout).toContain('evidentia retriever: BM25\n');
    expect(lexicalOnly.stdout).toMatch(/evidentia\s+0\.000\s+0\.000/);
  });
});
