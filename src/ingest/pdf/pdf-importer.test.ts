import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { pickImporter } from '../registry.js';
import { readPdf } from './pdf-importer.js';
import { joinLines } from './pdf-text.js';

const HAS_PS2PDF = spawnSync('ps2pdf', ['--version']).error === undefined;
if (!HAS_PS2PDF && process.env['CI']) throw new Error('ps2pdf (Debian ghostscript) is missing; CI must install it');

/** One line of PostScript text: font, size, x, y, text (parentheses and backslashes escaped). */
type Text = [font: 'Helvetica' | 'Helvetica-Bold', size: number, x: number, y: number, text: string];
const ps = (pages: Text[][]) =>
  [
    '%!PS-Adobe-3.0',
    '<< /PageSize [612 792] >> setpagedevice',
    ...pages.flatMap((page) => [
      ...page.map(
        ([font, size, x, y, text]) =>
          `/${font} ${size} selectfont ${x} ${y} moveto (${text.replace(/[()\\]/g, '\\$&')}) show`,
      ),
      'showpage',
    ]),
  ].join('\n');

/** Body lines 14 points apart from `top` down, at `x`. */
const lines = (x: number, top: number, texts: string[]): Text[] =>
  texts.map((t, i) => ['Helvetica', 10, x, top - i * 14, t] as Text);
const runningHeader = (page: number): Text[] => [
  ['Helvetica', 8, 72, 760, 'Example Society - Walking guideline - version 2'],
  ['Helvetica', 8, 300, 30, `Page ${page} of 3`],
];

// A three-page guideline written for this test: running header and page numbers on every page,
// a word hyphenated across lines, and a two-column page.
const GUIDELINE: Text[][] = [
  [
    ...runningHeader(1),
    ['Helvetica-Bold', 18, 72, 700, 'Walking for Knee Osteoarthritis'],
    ['Helvetica-Bold', 14, 72, 660, '1. Background'],
    ...lines(72, 635, [
      'Regular walking is a low-cost form of ex-',
      'ercise that many adults can keep up over years.',
      'This document summarises advice for clinicians.',
    ]),
    ...lines(72, 580, ['A second paragraph starts after a wider gap.']),
  ],
  [
    ...runningHeader(2),
    ['Helvetica-Bold', 14, 72, 700, '2. Recommendations'],
    ...lines(72, 675, [
      'Left column line one about walking.',
      'Left column line two about pace.',
      'Left column ends here.',
    ]),
    ...lines(330, 675, [
      'Right column line one on follow-up.',
      'Right column line two on review.',
      'Right column ends here.',
    ]),
  ],
  [
    ...runningHeader(3),
    ['Helvetica-Bold', 14, 72, 700, '3. Evidence'],
    ...lines(72, 675, ['The advice rests on randomised trials of exercise.']),
  ],
];

describe.skipIf(!HAS_PS2PDF)('PDF importer on PDFs built by the test with ps2pdf', () => {
  let dir: string;
  let doc: SourceDocumentInput;
  const build = (name: string, pages: Text[][]) => {
    const source = path.join(dir, `${name}.ps`);
    const pdf = path.join(dir, `${name}.pdf`);
    writeFileSync(source, ps(pages));
    execFileSync('ps2pdf', [source, pdf]);
    return pdf;
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evidentia-pdf-'));
    const items = await collect(readPdf(build('walking-guideline', GUIDELINE)));
    expect(items).toHaveLength(1);
    doc = (items[0] as { document: SourceDocumentInput }).document;
  });

  it('is picked by content and valid under the domain schema', async () => {
    expect((await pickImporter(path.join(dir, 'walking-guideline.pdf'))).name).toBe('pdf');
    expect(SourceDocument.safeParse(doc).success).toBe(true);
    expect(doc.id).toBe('pdf:walking-guideline');
    expect(doc.metadata).toEqual({ format: 'pdf', pages: 3 });
  });

  it('takes the title from the first heading and makes the others sections', () => {
    expect(doc.title).toBe('Walking for Knee Osteoarthritis');
    expect(doc.sections?.map((s) => s.heading)).toEqual(['1. Background', '2. Recommendations', '3. Evidence']);
  });

  it('removes running headers, footers and page numbers', () => {
    expect(doc.text).not.toContain('Example Society');
    expect(doc.text).not.toMatch(/Page \d of 3/);
  });

  it('joins hyphenated words and keeps paragraphs apart', () => {
    const background = doc.text.slice(doc.sections?.[0]?.start, doc.sections?.[0]?.end);
    expect(background).toBe(
      'Regular walking is a low-cost form of exercise that many adults can keep up over years. This document summarises advice for clinicians.\n\nA second paragraph starts after a wider gap.',
    );
  });

  it('reads a two-column page column by column', () => {
    const recommendations = doc.text.slice(doc.sections?.[1]?.start, doc.sections?.[1]?.end);
    expect(recommendations).toBe(
      'Left column line one about walking. Left column line two about pace. Left column ends here. ' +
        'Right column line one on follow-up. Right column line two on review. Right column ends here.',
    );
  });

  it('reads a PDF as a guideline unless its text names another design', async () => {
    expect(doc.kind).toBe('guideline');
    expect(doc.kindRule).toBe('PDF read as a guideline (no other design stated)');
    const review = build('review', [
      [
        ['Helvetica-Bold', 16, 72, 700, 'Exercise and Knee Pain'],
        ...lines(72, 660, ['This meta-analysis pooled trials of supervised exercise.']),
      ],
    ]);
    const [item] = await collect(readPdf(review));
    const d = (item as { document: SourceDocumentInput }).document;
    expect(d.kind).toBe('meta-analysis');
    expect(d.text).toBe('This meta-analysis pooled trials of supervised exercise.');
    expect(d.sections).toEqual([{ heading: '', start: 0, end: d.text.length }]);
  });

  it('refuses a broken PDF with FILE_MALFORMED naming the file', async () => {
    const broken = path.join(dir, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.7\nthis is not a PDF body\n');
    const error: unknown = await collect(readPdf(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
    expect((error as EvidentiaError).message).toMatch(/broken\.pdf: /);
  });
});

describe('joining PDF lines', () => {
  it('mends a hyphenated word only when it goes on in lower case', () => {
    expect(joinLines('a low-cost form of ex-', 'ercise')).toBe('a low-cost form of exercise');
    expect(joinLines('see COVID-', '19 data')).toBe('see COVID- 19 data');
    expect(joinLines('non-', 'Hodgkin lymphoma')).toBe('non- Hodgkin lymphoma');
    expect(joinLines('one line', 'two')).toBe('one line two');
  });
});
