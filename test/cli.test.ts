import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Article } from '../src/domain/article.js';
import { evidentia, EXAMPLE_QUESTION, SAMPLE_LIBRARY, tempDir } from './helpers.js';

describe('the evidentia command', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  beforeAll(() => {
    tmp = tempDir();
    db = join(tmp.dir, 'cli.db');
  });
  afterAll(() => tmp.cleanup());

  it('says how to load a library when asked on an empty one', () => {
    const r = evidentia(['--db', db, 'ask', EXAMPLE_QUESTION]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('evidentia ingest');
  });

  it('ingests the sample library and reports stats as JSON', () => {
    const r = evidentia(['--db', db, 'ingest', SAMPLE_LIBRARY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ingested \d+ file/);
    const stats = JSON.parse(evidentia(['--db', db, 'stats', '--json']).stdout);
    expect(stats.documents).toBeGreaterThanOrEqual(12);
    expect(stats.passages).toBeGreaterThan(stats.documents);
  });

  it('optimizes the library search indexes and still answers from them', () => {
    const before = evidentia(['--db', db, 'stats', '--json']).stdout;
    const r = evidentia(['--db', db, 'library', 'optimize']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^search indexes optimized in \d+\.\d s\n$/);
    expect(evidentia(['--db', db, 'stats', '--json']).stdout).toBe(before);
  });

  it('answers in JSON that matches the article schema, and in Markdown', () => {
    const json = evidentia(['--db', db, 'ask', EXAMPLE_QUESTION, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const article = Article.parse(JSON.parse(json.stdout));
    expect(article.sections.length).toBeGreaterThanOrEqual(4);
    const md = evidentia([
      '--db',
      db,
      'ask',
      'How is uncomplicated cystitis in women treated?',
      '--audience',
      'patient',
    ]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# /);
    expect(md.stdout).toContain('## References');
  });

  it('reads the database path from EVIDENTIA_DB', () => {
    const r = evidentia(['stats', '--json'], { EVIDENTIA_DB: db });
    expect(JSON.parse(r.stdout).documents).toBeGreaterThanOrEqual(12);
  });

  it('prints the article JSON Schema', () => {
    const r = evidentia(['schema', 'article']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe('object');
    for (const field of [
      'id',
      'version',
      'question',
      'directAnswer',
      'sections',
      'references',
      'verification',
      'review',
    ]) {
      expect(schema.required).toContain(field);
    }
    expect(evidentia(['schema', 'nothing']).code).toBe(1);
  });

  it('gives one-line errors and exit code 1 for user mistakes', () => {
    const missing = evidentia(['--db', db, 'ingest', join(tmp.dir, 'nope.xml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^evidentia: .*nope\.xml: no such file/);
    const bad = join(tmp.dir, 'bad.xml');
    writeFileSync(bad, '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>\n');
    const malformed = evidentia(['--db', db, 'ingest', bad]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('bad.xml');
    expect(malformed.stderr).not.toMatch(/\n\s+at /);
    expect(evidentia(['--db', db, 'ask', 'x']).code).toBe(1);
    expect(evidentia(['--db', db, 'ask', 'q?', '--format', 'pdf']).code).toBe(1);
    expect(evidentia(['frobnicate']).code).toBe(1);
  });
});
