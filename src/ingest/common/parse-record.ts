import type { z } from 'zod';
import type { JsonlRecord } from './jsonl.js';
import { describeIssue, malformed } from './malformed.js';

/** Validates one JSONL record against its schema; a bad field is FILE_MALFORMED at its line. */
export function parseRecord<S extends z.ZodType>(schema: S, path: string, record: JsonlRecord): z.output<S> {
  const result = schema.safeParse(record.value);
  if (!result.success) throw malformed(path, describeIssue(result.error.issues[0]), record.lineNumber);
  return result.data;
}
