import { EvidentiaError } from '../../domain/errors.js';

/**
 * The one way importers report bad input: a single line "file:line:column: what is wrong"
 * (line and column when known), so the user can open the file at the spot.
 */
export function malformed(path: string, what: string, line?: number, column?: number): EvidentiaError {
  const at = line === undefined ? '' : column === undefined ? `:${line}` : `:${line}:${column}`;
  return new EvidentiaError('FILE_MALFORMED', `${path}${at}: ${oneLine(what)}`);
}

/** Collapses a message to one line: error texts from parsers sometimes carry newlines. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** Minimal view of a zod issue, so this module needs no zod import. */
export interface IssueLike {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

/** Renders the first schema issue as `field "a.b": message`. */
export function describeIssue(issue: IssueLike | undefined): string {
  if (issue === undefined) return 'invalid record';
  const field = issue.path.map(String).join('.');
  return field === '' ? issue.message : `field "${field}": ${issue.message}`;
}
