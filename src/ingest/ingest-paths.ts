import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EvidentiaError } from '../domain/errors.js';
import { ZodError } from 'zod';
import type { DocumentStore, ImportCounts } from '../ports/store.js';
import type { ReadProgress } from './importer.js';
import { pickImporter } from './registry.js';

export interface FileReport extends ImportCounts {
  path: string;
  format: string;
}

export interface IngestCallbacks {
  onFileStart?: (path: string, format: string, index: number, total: number) => void;
  onProgress?: (path: string, progress: ReadProgress, documents: number) => void;
  onFileDone?: (report: FileReport) => void;
}

const IGNORED = /(^|\/)(\.|node_modules$)|(^|\/)README\.md$/i;

/** Files named by the user, with folders walked recursively in name order. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new EvidentiaError('FILE_NOT_FOUND', `${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      const children = entries.filter((e) => !IGNORED.test(e)).map((e) => join(path, e));
      files.push(...(await expandPaths(children)));
    } else {
      files.push(path);
    }
  }
  return files;
}

// Annual baseline and daily update files: pubmed26n0001.xml.gz … pubmed26n1400.xml.gz.
const PUBMED_FILE = /(?:^|\/)pubmed(\d+)n(\d+)\.xml(?:\.gz)?$/i;

/**
 * Puts PubMed baseline and update files in the order NCBI numbered them (a later file revises
 * or deletes what an earlier one added), whatever order they were named in; other files keep
 * their places.
 */
export function orderPubmedFiles(files: readonly string[]): string[] {
  const key = (file: string): [number, number] | undefined => {
    const match = PUBMED_FILE.exec(file);
    return match === null ? undefined : [Number(match[1]), Number(match[2])];
  };
  const slots = files.map((file, index) => ({ file, index, key: key(file) })).filter((s) => s.key !== undefined);
  const sorted = [...slots].sort((a, b) => a.key![0] - b.key![0] || a.key![1] - b.key![1] || a.index - b.index);
  const out = [...files];
  slots.forEach((slot, i) => {
    out[slot.index] = sorted[i]!.file;
  });
  return out;
}

/**
 * Ingests files one transaction each: a file either lands whole or not at all. Stops at the
 * first file that fails, after the files before it have landed.
 */
export async function ingestPaths(
  store: DocumentStore,
  paths: readonly string[],
  callbacks: IngestCallbacks = {},
): Promise<FileReport[]> {
  const files = orderPubmedFiles(await expandPaths(paths));
  if (files.length === 0) throw new EvidentiaError('INPUT_INVALID', `no files to ingest in ${paths.join(', ')}`);
  const reports: FileReport[] = [];
  for (const [index, path] of files.entries()) {
    const importer = await pickImporter(path);
    callbacks.onFileStart?.(path, importer.name, index, files.length);
    let seen = 0;
    const counts = await store.importDocuments(async (session) => {
      for await (const item of importer.read(path, {
        onProgress: (progress) => callbacks.onProgress?.(path, progress, seen),
      })) {
        seen++;
        if (item.op === 'delete') {
          await session.delete(item.documentId);
          continue;
        }
        // The store validates each document (once: parsing it here as well cost as much again).
        try {
          await session.put(item.document);
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
          const issue = error.issues[0];
          throw new EvidentiaError(
            'FILE_MALFORMED',
            `${path}: document ${seen}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
          );
        }
      }
    });
    const report = { path, format: importer.name, ...counts };
    reports.push(report);
    callbacks.onFileDone?.(report);
  }
  return reports;
}
