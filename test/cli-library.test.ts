import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidentia, SAMPLE_LIBRARY, tempDir } from './helpers.js';

describe('evidentia library status and optimize after a document changed', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'lib.db');
  const folder = join(tmp.dir, 'library');
  let documents = 0;

  beforeAll(() => {
    cpSync(SAMPLE_LIBRARY, folder, { recursive: true });
    expect(evidentia(['--db', db, 'ingest', folder]).code).toBe(0);
    documents = (JSON.parse(evidentia(['--db', db, 'stats', '--json']).stdout) as { documents: number }).documents;
    expect(documents).toBeGreaterThan(10);
    appendFileSync(
      join(folder, 'acute-low-back-pain-paracetamol-trial.md'),
      '\n## Follow-up\n\nParticipants were asked about their pain again after three months.\n',
    );
    const again = evidentia(['--db', db, 'ingest', folder]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/1 updated/);
    expect(again.stderr).toMatch(
      /\nsearch ranking statistics drifted \(documents by 1 rows, passages by \d+ rows\) after changes or deletes; `evidentia library optimize` repairs them\n$/,
    );
  });
  afterAll(() => tmp.cleanup());

  it('reports the drifted statistics, repairs them on optimize, then reports them in step', () => {
    const status = evidentia(['--db', db, 'library', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [docs, passages] = JSON.parse(status.stdout) as Array<{ index: string; counted: number; rows: number }>;
    // Rewriting one document deleted and re-inserted its rows: one more counted than held.
    expect(docs).toEqual({ index: 'documents', counted: documents + 1, rows: documents });
    expect(passages!.index).toBe('passages');
    expect(passages!.counted).toBeGreaterThan(passages!.rows);
    const text = evidentia(['--db', db, 'library', 'status']);
    expect(text.stdout).toContain(
      `documents index: ${documents} rows, ranking statistics count ${documents + 1} (drifted by 1); \`evidentia library optimize\` repairs them\n`,
    );

    const optimize = evidentia(['--db', db, 'library', 'optimize']);
    expect(optimize.code, optimize.stderr).toBe(0);
    expect(optimize.stdout).toBe(
      `documents index rebuilt: ranking statistics counted ${documents + 1} rows, now ${documents} as held\n` +
        `passages index rebuilt: ranking statistics counted ${passages!.counted} rows, now ${passages!.rows} as held\n` +
        optimize.stdout.slice(optimize.stdout.indexOf('search indexes optimized')),
    );
    expect(optimize.stdout).toMatch(/\nsearch indexes optimized in \d+\.\d s\n$/);
    // Progress goes to stderr, ending with every document.
    expect(optimize.stderr).toContain(`rebuilding search indexes: ${documents}/${documents} documents\n`);

    const after = evidentia(['--db', db, 'library', 'status']);
    expect(after.stdout).toBe(
      `documents index: ${documents} rows, ranking statistics in step\n` +
        `passages index: ${passages!.rows} rows, ranking statistics in step\n`,
    );
    const again = evidentia(['--db', db, 'library', 'optimize']);
    expect(again.stdout).toMatch(/^search indexes optimized in \d+\.\d s\n$/);
  });
});
