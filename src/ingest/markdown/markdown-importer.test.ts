import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { markdownImporter, readMarkdown, slugFromFileName } from './markdown-importer.js';
import { cleanInline, markdownParts } from './markdown-text.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const samplesDir = path.join(repoRoot, 'samples', 'library');

async function writeTemp(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'evidentia-md-')), name);
  await writeFile(file, content);
  return file;
}

async function importOne(file: string): Promise<SourceDocumentInput> {
  const items = await collect(readMarkdown(file));
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item?.op !== 'put') throw new Error('expected a document');
  return item.document;
}

async function importError(file: string): Promise<EvidentiaError> {
  const error: unknown = await collect(readMarkdown(file)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvidentiaError);
  expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
  return error as EvidentiaError;
}

function sections(doc: SourceDocumentInput): Array<[string, string]> {
  return (doc.sections ?? []).map((s) => [s.heading, doc.text.slice(s.start, s.end)]);
}

const PROTOCOL = `---
id: knee-pain-first-visit
title: Knee pain at the first visit
kind: guideline
issuer: Northside Health Centre
year: 2023
url: https://example.org/protocols/knee
pmid: 12345
doi: 10.1234/knee.2023.1
licence: CC BY 4.0
topic: knee pain
audience: [clinician, nurse]
population: Adults over 40 with knee pain for more than 3 months
funding:
  - Regional health board grant
conflictOfInterest: The authors declare none.
owner: Physiotherapy team
recommendations:
  - statement: Offer a supervised exercise programme.
    direction: for
    strength: Strong
    certainty: Moderate
  - statement: Avoid routine knee imaging before 6 weeks.
    direction: against
    strength: Conditional
---
# Knee pain at the first visit

Ask about **onset**, swelling and
*locking* at the first visit.

## Examination

- Check the range of movement
- Look for \`effusion\` and [warmth](https://example.org/warmth)
  over the joint
* Note the gait

## About this document

Written by the <b>physiotherapy team</b> for local use.
`;

describe('Markdown importer', () => {
  it('maps front matter to document fields', async () => {
    const doc = await importOne(await writeTemp('knee.md', PROTOCOL));
    expect(SourceDocument.safeParse(doc).success).toBe(true);
    expect(doc).toMatchObject({
      id: 'md:knee-pain-first-visit',
      title: 'Knee pain at the first visit',
      kind: 'guideline',
      kindRule: 'front matter kind: guideline',
      source: 'Northside Health Centre',
      year: 2023,
      url: 'https://example.org/protocols/knee',
      pmid: '12345',
      doi: '10.1234/knee.2023.1',
      licence: 'CC BY 4.0',
      funding: ['Regional health board grant'],
      conflictOfInterest: 'The authors declare none.',
    });
    expect(doc.metadata).toEqual({
      topic: ['knee pain'],
      audience: ['clinician', 'nurse'],
      population: 'Adults over 40 with knee pain for more than 3 months',
      owner: 'Physiotherapy team',
    });
  });

  it('parses recommendations with direction, strength and certainty', async () => {
    const doc = await importOne(await writeTemp('knee.md', PROTOCOL));
    expect(doc.recommendations).toEqual([
      {
        statement: 'Offer a supervised exercise programme.',
        direction: 'for',
        strength: 'Strong',
        certainty: 'Moderate',
      },
      { statement: 'Avoid routine knee imaging before 6 weeks.', direction: 'against', strength: 'Conditional' },
    ]);
  });

  it('turns headings into sections and cleans inline markup', async () => {
    const doc = await importOne(await writeTemp('knee.md', PROTOCOL));
    expect(sections(doc)).toEqual([
      ['Knee pain at the first visit', 'Ask about onset, swelling and locking at the first visit.'],
      ['Examination', '- Check the range of movement\n- Look for effusion and warmth over the joint\n- Note the gait'],
      ['About this document', 'Written by the physiotherapy team for local use.'],
    ]);
  });

  it('uses defaults: id from the file name, title from the first # heading, kind local-protocol', async () => {
    const file = await writeTemp(
      'Wound Care (2024).md',
      'Text before any heading.\n\n# Wound care basics\n\nKeep the dressing dry.\n\n### Follow-up\n\nReview in 48 hours.\n',
    );
    const doc = await importOne(file);
    expect(doc.id).toBe('md:wound-care-2024');
    expect(doc.title).toBe('Wound care basics');
    expect(doc.kind).toBe('local-protocol');
    expect(doc.kindRule).toBe('no kind in front matter: local-protocol');
    expect(doc.recommendations).toEqual([]);
    expect(doc.funding).toEqual([]);
    expect(sections(doc)).toEqual([
      ['', 'Text before any heading.'],
      ['Wound care basics', 'Keep the dressing dry.'],
      ['Follow-up', 'Review in 48 hours.'],
    ]);
  });

  it('reads a gzipped file the same way', async () => {
    const plain = await importOne(await writeTemp('knee.md', PROTOCOL));
    const zipped = await importOne(await writeTemp('knee.md.gz', gzipSync(PROTOCOL)));
    expect(zipped).toEqual(plain);
  });

  it('refuses an unknown kind, naming the file, line and field', async () => {
    const file = await writeTemp('bad-kind.md', '---\ntitle: A\nkind: guidance\n---\nText.\n');
    const error = await importError(file);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:3: front matter field "kind": `));
  });

  it('refuses a recommendation with an unknown direction, naming the nested field', async () => {
    const file = await writeTemp(
      'bad-rec.md',
      '---\nrecommendations:\n  - statement: Do it.\n    direction: maybe\n    strength: A\n---\nText.\n',
    );
    const error = await importError(file);
    expect(error.message).toMatch(
      new RegExp(`^${escapeRegExp(file)}:2: front matter field "recommendations\\.0\\.direction": `),
    );
  });

  it('refuses bad field values', async () => {
    const cases: Array<[string, string]> = [
      ['year: twenty', 'year'],
      ['url: ftp://example.org/x', 'url'],
      ['pmid: PMC123', 'pmid'],
      ['doi: not-a-doi', 'doi'],
      ['id: has spaces in it', 'id'],
      ['funding: {a: 1}', 'funding'],
    ];
    for (const [line, field] of cases) {
      const error = await importError(await writeTemp('bad.md', `---\n${line}\n---\nText.\n`));
      expect(error.message).toContain(`:2: front matter field "${field}"`);
    }
  });

  it('refuses broken YAML with its line', async () => {
    const error = await importError(await writeTemp('yaml.md', '---\ntitle: A\nyear: [2021\n---\nText.\n'));
    expect(error.message).toMatch(/yaml\.md:\d+:\d+: front matter is not valid YAML: /);
  });

  it('never evaluates JavaScript front matter', async () => {
    const flag = '__evidentiaFrontMatterRan';
    const file = await writeTemp('js.md', `---js\n{ title: (globalThis.${flag} = true, "x") }\n---\nText.\n`);
    const error = await importError(file);
    expect(error.message).toContain('use YAML');
    expect((globalThis as Record<string, unknown>)[flag]).toBeUndefined();
  });

  it('accepts .md and .markdown files but not README.md', () => {
    expect(markdownImporter.accepts('/lib/knee.md', '')).toBe(true);
    expect(markdownImporter.accepts('/lib/knee.MARKDOWN', '')).toBe(true);
    expect(markdownImporter.accepts('/lib/knee.md.gz', '')).toBe(true);
    expect(markdownImporter.accepts('/lib/README.md', '')).toBe(false);
    expect(markdownImporter.accepts('/lib/readme.md', '')).toBe(false);
    expect(markdownImporter.accepts('/lib/knee.txt', '')).toBe(false);
  });

  it('makes URL-safe default ids', () => {
    expect(slugFromFileName('/x/Épaule — douleur.md')).toBe('epaule-douleur');
    expect(slugFromFileName('/x/---.md')).toBe('document');
  });
});

describe('Markdown text cleaning', () => {
  it('removes emphasis, code, links, images and tags but leaves arithmetic and snake_case alone', () => {
    expect(cleanInline('**bold** and __strong__, *em* and _em_, `code` and ~~old~~')).toBe(
      'bold and strong, em and em, code and old',
    );
    expect(cleanInline('See [the guide](https://x.org/a_(b) "T") and ![a chart](c.png) or <https://x.org>.')).toBe(
      'See the guide and a chart or https://x.org.',
    );
    expect(cleanInline('Dose <span class="x">5 mg</span><br/>daily &amp; 2 &lt; 3')).toBe('Dose 5 mg daily & 2 < 3');
    expect(cleanInline('2 * 3 * 4 and file_name_here and a*b*c')).toBe('2 * 3 * 4 and file_name_here and abc');
    expect(cleanInline('Escaped \\*stars\\* stay')).toBe('Escaped *stars* stay');
    expect(cleanInline('`a_b_c` and `**x**`')).toBe('a_b_c and **x**');
  });

  it('keeps list markers one item per line, joins wrapped lines, and ignores code fences and rules', () => {
    const parts = markdownParts(
      [
        'Para one line one',
        'line two.',
        '',
        '1. First',
        '2) Second',
        '   continued',
        '+ Plus item',
        '',
        '```',
        '# not a heading',
        '```',
        '***',
        '| A | B |',
        '|---|:-:|',
        '| 1 | 2 |',
        '#### Deep heading',
        '> Quoted',
        '<!-- hidden note -->',
        '[ref]: https://example.org',
      ].join('\n'),
    );
    expect(parts).toEqual([
      {
        heading: '',
        level: 0,
        text: 'Para one line one line two.\n\n1. First\n2. Second continued\n- Plus item\n# not a heading\nA | B\n1 | 2\nDeep heading\n\nQuoted',
      },
    ]);
  });
});

describe.skipIf(!existsSync(samplesDir))('sample library (samples/library)', () => {
  it('imports every Markdown file except README.md', async () => {
    const files = (await readdir(samplesDir)).filter(
      (f) => /\.(md|markdown)$/i.test(f) && f.toLowerCase() !== 'readme.md',
    );
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const file = path.join(samplesDir, name);
      expect(markdownImporter.accepts(file, '')).toBe(true);
      const doc = await importOne(file);
      expect(SourceDocument.safeParse(doc).success).toBe(true);
      expect(doc.id).toBe(`md:${name.replace(/\.(md|markdown)$/i, '')}`);
      expect(doc.text.length).toBeGreaterThan(0);
      // Every library document ends with this section (samples/library/README.md), kept as written.
      expect(doc.sections?.at(-1)?.heading).toBe('About this document');
      // No Markdown syntax survives into the text.
      expect(doc.text).not.toMatch(/\*\*|\]\(|`|^#/m);
    }
    expect(markdownImporter.accepts(path.join(samplesDir, 'README.md'), '')).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
