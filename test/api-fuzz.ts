import fc from 'fast-check';
import { expect } from 'vitest';
import { ERROR_CODES } from '../src/domain/errors.js';

/** One HTTP request as the fuzzer builds it. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** One route of the served OpenAPI document: `/api/articles/{id}` and its method. */
export interface Route {
  method: string;
  path: string;
}

/** The routes /openapi.json lists, so a route added later is fuzzed without touching the tests. */
export function routesOf(document: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** What the fuzzer can use that the server knows: an article, a conversation, tokens per role. */
export interface FuzzFixtures {
  articleId: string;
  threadId: string;
  tokens: Record<'reviewer' | 'editor' | 'admin', string>;
}

const MB = 1024 * 1024;

/** Path segments: real ids, random text (encoded), and raw segments that are odd on the wire. */
function pathSegment(f: FuzzFixtures): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(f.articleId),
    fc.constant(f.threadId),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
    fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x'),
    fc.constantFrom(
      '%ff%fe',
      '%C0%80',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      '%E2%80%AE',
      'a'.repeat(5000),
      '%',
      '%zz',
      't-00000000-0000-0000-0000-000000000000',
    ),
  );
}

const QUERY_KEYS = ['q', 'topic', 'kind', 'status', 'since', 'limit', 'version', 'from', 'to', 'offset'];

/** Query strings: known and unknown keys with values from sane to hostile, some left raw. */
function queryString(): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
    fc.integer({ min: -1_000_000, max: 1_000_000_000 }).map(String),
    fc.constantFrom('2024-01-01', 'approved', 'guideline', '1e309', 'NaN', '-0', '0x10', '%ff', '%', '[]'),
    fc.constant('y'.repeat(10_000)),
  );
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 }).map(encodeURIComponent)),
    value,
  );
  return fc
    .array(pair, { maxLength: 5 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

const FIELD_NAMES = [
  'question',
  'audience',
  'threadId',
  'to',
  'comment',
  'version',
  'text',
  'section',
  'bullet',
  'username',
  'password',
  'role',
  'label',
  '__proto__',
  'constructor',
];

/** Field values: plausible ones (so some requests get far) and wrong types, nesting, huge text. */
function fieldValue(f: FuzzFixtures): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(
      'clinician',
      'patient',
      'under_review',
      'approved',
      'rejected',
      'submitted',
      'reviewer',
      'admin',
      f.threadId,
      'How is uncomplicated cystitis in women treated?',
    ),
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.integer({ min: -5, max: 50 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant('q'.repeat(200_000)),
  );
}

/** Bodies: near-valid objects, arbitrary JSON, truncated JSON, invalid UTF-8, deep nesting, huge ones. */
function body(f: FuzzFixtures): fc.Arbitrary<Buffer | undefined> {
  const object = fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue(f), { maxKeys: 5 });
  return fc.oneof(
    { weight: 4, arbitrary: object.map((o) => Buffer.from(JSON.stringify(o))) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    {
      weight: 2,
      arbitrary: fc.tuple(object, fc.nat()).map(([o, cut]) => {
        const text = JSON.stringify(o);
        return Buffer.from(text.slice(0, cut % Math.max(1, text.length)));
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 200 })
        .map((bytes) =>
          Buffer.concat([
            Buffer.from('{"question":"'),
            Buffer.from(bytes),
            Buffer.from([0xff, 0xc0]),
            Buffer.from('"}'),
          ]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 100_000 })
        .chain((depth) =>
          fc.constantFrom(
            '['.repeat(depth) + ']'.repeat(depth),
            '{"text":'.repeat(depth) + '1' + '}'.repeat(depth),
            '['.repeat(depth),
          ),
        )
        .map((s) => Buffer.from(s)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        // A 1 MB question, and one just under the body limit.
        Buffer.from(JSON.stringify({ question: 'a '.repeat(MB / 2) })),
        Buffer.from(JSON.stringify({ question: 'back pain '.repeat(25_000) })),
        Buffer.from(JSON.stringify({ text: 'z'.repeat(250_000), section: 0, bullet: 0 })),
        Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbb"><!ENTITY c "&b;&b;&b;&b;">]><a>&c;</a>'),
        Buffer.from(''),
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/json;;;',
];

/** Authorization headers: none, each role's token, unknown tokens, malformed schemes. */
function authorization(f: FuzzFixtures): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(f.tokens.reviewer, f.tokens.editor, f.tokens.admin).map((t) => `Bearer ${t}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Bearer not-a-token',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        'bearer\t' + 'x'.repeat(4000),
        `Bearer ${f.tokens.admin}x`,
      ),
    },
  );
}

/**
 * Requests to the listed routes: usually the listed method, sometimes another one; path, query,
 * body, content type and authorization drawn independently.
 */
export function apiRequest(routes: readonly Route[], f: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      route: fc.constantFrom(...routes),
      otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), { freq: 6 }),
      segment: pathSegment(f),
      query: queryString(),
      body: body(f),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 6 }),
      auth: authorization(f),
    })
    .map(({ route, otherMethod, segment, query, body: payload, contentType, auth }) => {
      const method = otherMethod ?? route.method;
      const sendsBody = method !== 'GET' && payload !== undefined;
      const headers: Record<string, string> = {};
      if (sendsBody) headers['content-type'] = contentType ?? 'application/json';
      if (auth !== undefined) headers['authorization'] = auth;
      return {
        method,
        url: route.path.replace('{id}', segment) + query,
        headers,
        ...(sendsBody ? { body: payload } : {}),
      };
    });
}

/** A short description of a request for failure messages. */
export function describeRequest(r: FuzzRequest): string {
  return `${r.method} ${r.url.slice(0, 120)} [${r.headers['content-type'] ?? '-'}] auth=${r.headers['authorization']?.slice(0, 12) ?? '-'} body=${r.body?.subarray(0, 80).toString('latin1') ?? '-'} (${r.body?.length ?? 0} bytes)`;
}

/**
 * The contract every API answer keeps, whatever was sent: a 2xx or 4xx, JSON, and for an error
 * `{ error: { code, message } }` with a catalogued code and no stack trace or file path.
 */
export function expectCleanApiAnswer(request: FuzzRequest, status: number, contentType: string, text: string): void {
  const what = `${describeRequest(request)} -> ${status} ${text.slice(0, 200)}`;
  expect(status, what).toBeGreaterThanOrEqual(200);
  expect(status, what).toBeLessThan(500);
  expect(contentType, what).toMatch(/^application\/json/);
  const parsed: unknown = JSON.parse(text);
  if (status >= 400) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
    expect(Object.keys(ERROR_CODES), what).toContain(error?.code);
    expect(typeof error?.message, what).toBe('string');
    expect(error?.message as string, what).not.toMatch(/\n\s+at |node_modules|\/work\/|\.ts:\d/);
  }
}
