import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layoutSections, type SourceDocument } from '../src/domain/source.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const SAMPLE_LIBRARY = join(REPO_ROOT, 'samples/library');
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);
if (!HAS_SHARED_DATA && process.env['CI']) {
  throw new Error(`the shared datasets are missing at ${SHARED_DATA}; CI must have them`);
}
export const NO_SHARED_DATA_MESSAGE = `shared datasets not found at ${SHARED_DATA}: dataset tests skipped`;

export function dataPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'evidentia-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const EXAMPLE_QUESTION =
  'What are the considerations and procedures for a patient with chronic back pain undergoing basivertebral nerve ablation?';

/**
 * A source document laid out from headed parts, with no metadata: a consumer-health page titled
 * by its id unless `extra` says otherwise.
 */
export function testDocument(
  id: string,
  parts: Array<{ heading: string; text: string }>,
  extra: Partial<SourceDocument> = {},
): SourceDocument {
  const { text, sections } = layoutSections(parts);
  return {
    id,
    kind: 'consumer-health',
    title: id,
    meshTerms: [],
    publicationTypes: [],
    funding: [],
    recommendations: [],
    metadata: {},
    text,
    sections,
    ...extra,
  };
}

/** Runs the built command exactly as a user would (`npm test` builds first). */
export function evidentia(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/evidentia.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
