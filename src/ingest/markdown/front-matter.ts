import matter from 'gray-matter';
import { z } from 'zod';
import { EvidenceKind } from '../../domain/source.js';
import { malformed, oneLine } from '../common/malformed.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** YAML turns `2021` or `12345` into numbers; fields that are text take either. */
const textValue = z.union([z.string(), z.number()]).transform(String).pipe(nonEmpty);
const textList = z.union([textValue.transform((v) => [v]), z.array(textValue)]);

export const FrontMatterRecommendation = z.object({
  statement: textValue,
  direction: z.enum(['for', 'against', 'none']),
  strength: textValue,
  certainty: textValue.optional(),
});

/** The front matter Evidentia reads; other keys are kept as metadata when they are plain values. */
export const FrontMatter = z
  .looseObject({
    id: textValue.pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits, ".", "_", ":" or "-"')),
    title: textValue,
    kind: EvidenceKind,
    issuer: textValue,
    year: z
      .union([
        z.number(),
        z
          .string()
          .trim()
          .regex(/^\d{4}$/, 'must be a four-digit year')
          .transform(Number),
      ])
      .pipe(z.number().int('must be a whole year').min(1800).max(2200)),
    url: z.string().trim().pipe(z.httpUrl('must be an http(s) URL')),
    pmid: textValue.pipe(z.string().regex(/^\d+$/, 'must be digits only')),
    doi: textValue.pipe(z.string().regex(/^10\.\d{4,9}\/\S+$/, 'must look like 10.1234/…')),
    licence: textValue,
    topic: textList,
    audience: textList,
    population: textValue,
    funding: textList,
    conflictOfInterest: textValue,
    recommendations: z.array(FrontMatterRecommendation),
  })
  .partial();
export type FrontMatter = z.output<typeof FrontMatter>;

export const KNOWN_FRONT_MATTER_KEYS: ReadonlySet<string> = new Set(Object.keys(FrontMatter.shape));

export interface ParsedMarkdownFile {
  frontMatter: FrontMatter;
  /** Unknown keys whose values are plain (scalars or lists of scalars). */
  extra: Record<string, unknown>;
  body: string;
}

// gray-matter would eval `---js` front matter; only data languages are read.
const refuse = (language: string) => () => {
  throw new Error(`written in ${language}, which is not read; use YAML`);
};
const MATTER_OPTIONS = {
  engines: {
    js: refuse('JavaScript'),
    javascript: refuse('JavaScript'),
    coffee: refuse('CoffeeScript'),
    coffeescript: refuse('CoffeeScript'),
    cson: refuse('CSON'),
  },
};

/** Splits and validates the front matter; any problem is FILE_MALFORMED naming the line and field. */
export function parseMarkdownFile(path: string, source: string): ParsedMarkdownFile {
  let file: matter.GrayMatterFile<string>;
  try {
    // Options are always passed: without them gray-matter caches every input string forever.
    file = matter(source, MATTER_OPTIONS);
  } catch (error) {
    const { mark, reason } = error as { mark?: { line?: number; column?: number }; reason?: string };
    if (mark?.line === undefined) throw malformed(path, `front matter: ${oneLine((error as Error).message)}`, 1);
    // The YAML block starts on the line of the opening "---", so YAML's 0-based line is the file's 1-based one.
    const column = mark.column === undefined ? undefined : mark.column + 1;
    throw malformed(
      path,
      `front matter is not valid YAML: ${oneLine(reason ?? (error as Error).message)}`,
      mark.line + 1,
      column,
    );
  }
  const raw: unknown = file.data;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw malformed(path, 'front matter must be key: value pairs', 1);
  }
  const data = withoutNulls(raw as Record<string, unknown>);
  const result = FrontMatter.safeParse(data);
  const rawMatter = typeof file.matter === 'string' ? file.matter : '';
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const field = issue?.path.map(String).join('.') ?? key;
    throw malformed(path, `front matter field "${field}": ${issue?.message ?? 'invalid'}`, keyLine(rawMatter, key));
  }
  return { frontMatter: result.data, extra: plainExtras(data), body: file.content };
}

/** `key:` left empty in YAML is null; treat it as absent rather than as a bad value. */
function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined));
}

// Only plain values are kept: YAML aliases can make nested structures explode when serialised.
function plainExtras(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (KNOWN_FRONT_MATTER_KEYS.has(key)) continue;
    const plain = plainValue(value);
    if (plain !== undefined) out[key] = plain;
    else if (Array.isArray(value)) {
      const items = value.map(plainValue);
      if (items.every((i) => i !== undefined)) out[key] = items;
    }
  }
  return out;
}

function plainValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

/** The file line (1-based) where a top-level key is written; line 1 is the opening "---". */
function keyLine(rawMatter: string, key: string): number | undefined {
  if (key === '') return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^['"]?${escaped}['"]?\\s*:`, 'm').exec(rawMatter);
  return match === null ? undefined : lineCount(rawMatter.slice(0, match.index)) + 1;
}

function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
