import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { developerName, isUsefulNgcValue, latestYear, ngcImporter, readNgc } from './ngc-importer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const ngcFile = path.join(dataDir, 'ngc_guideline_summaries', 'ngc_permissive_summaries.jsonl');

type Row = Record<string, string | number>;

async function rows(): Promise<Map<string, Row>> {
  const text = await readFile(ngcFile, 'utf8');
  const parsed = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
  return new Map(parsed.map((r) => [String(r.ngc_id), r]));
}

async function documents(): Promise<Map<string, SourceDocumentInput>> {
  const items = await collect(readNgc(ngcFile));
  return new Map(
    items.map((item) => {
      if (item.op !== 'put') throw new Error('NGC never deletes');
      return [item.document.id, item.document];
    }),
  );
}

function sectionText(doc: SourceDocumentInput | undefined, heading: string): string | undefined {
  const span = doc?.sections?.find((s) => s.heading === heading);
  return span === undefined ? undefined : doc?.text.slice(span.start, span.end);
}

describe.skipIf(!existsSync(ngcFile))('NGC importer on the permissive summaries (needs ../shared/data)', () => {
  it('reads all 116 summaries as valid guideline documents', async () => {
    const docs = await documents();
    expect(docs.size).toBe(116);
    for (const doc of docs.values()) {
      expect(SourceDocument.safeParse(doc).success).toBe(true);
      expect(doc.kind).toBe('guideline');
      expect(doc.kindRule).toBe('NGC guideline summary');
      expect(doc.url).toBeUndefined();
      expect(doc.recommendations).toEqual([]);
      expect(doc.sections?.[0]?.heading).toBe('Major recommendations');
      expect(doc.year).toBeGreaterThanOrEqual(2013);
    }
  });

  it('maps a USPSTF statement (ngc 9568) field by field', async () => {
    const doc = (await documents()).get('ngc:9568');
    const row = (await rows()).get('9568') as Row;
    expect(doc?.title).toBe(
      'Screening for intimate partner violence and abuse of elderly and vulnerable adults: U.S. Preventive Services Task Force recommendation statement.',
    );
    expect(doc?.source).toBe('U.S. Preventive Services Task Force');
    expect(doc?.year).toBe(2013);
    expect(doc?.licence).toBe('us_federal_ahrq_uspstf_presumed_public_domain');
    expect(doc?.sections?.map((s) => s.heading)).toEqual([
      'Major recommendations',
      'Target population',
      'Interventions considered',
      'Potential benefits',
      'Potential harms',
      'Qualifying statements',
      'Strength of recommendations',
      'Conditions',
      'Objectives',
    ]);
    expect(sectionText(doc, 'Major recommendations')).toBe(String(row.major_recommendations).trim());
    expect(sectionText(doc, 'Objectives')).toBe(String(row.guideline_objectives).trim());
    expect(doc?.metadata).toEqual({
      ngcId: '9568',
      bibliographicSources: String(row.bibliographic_sources).trim(),
      guidelineCategory: ['Prevention', 'Screening'],
      clinicalSpecialty: String(row.clinical_specialty).split('\n'),
      dateReleased: '1996 (revised 2013 Mar 19)',
      developers: ['U.S. Preventive Services Task Force - Independent Expert Panel'],
    });
  });

  it('skips placeholder fields and keeps contraindications (ngc 10413)', async () => {
    const doc = (await documents()).get('ngc:10413');
    expect(doc?.title).toBe('Conservative care options for work-related mechanical shoulder conditions.');
    expect(doc?.source).toBe('Washington State Department of Labor and Industries');
    expect(doc?.year).toBe(2014);
    expect(doc?.licence).toBe('explicit_public_domain');
    const headings = doc?.sections?.map((s) => s.heading) ?? [];
    expect(headings).not.toContain('Potential harms'); // "Not stated"
    expect(headings).not.toContain('Strength of recommendations'); // "Not applicable"
    expect(headings).toContain('Contraindications');
    expect(doc?.text).not.toMatch(/^Not stated$/m);
  });

  it('names the first of several developers as the source (ngc 10536)', async () => {
    const doc = (await documents()).get('ngc:10536');
    expect(doc?.source).toBe('Department of Defense');
    expect(doc?.year).toBe(2014);
    expect(doc?.metadata?.developers).toHaveLength(3);
  });

  it('is accepted by its name only', () => {
    expect(ngcImporter.accepts(ngcFile, '')).toBe(true);
    expect(ngcImporter.accepts('/x/ngc_permissive_summaries.jsonl.gz', '')).toBe(true);
    expect(ngcImporter.accepts('/x/ngc_summaries.json', '')).toBe(false);
    expect(ngcImporter.accepts('/x/guidelines.jsonl', '')).toBe(false);
  });
});

describe('NGC helpers', () => {
  it('takes the latest year of a release date', () => {
    expect(latestYear('1996 (revised 2013 Mar 19)')).toBe(2013);
    expect(latestYear('2017 Nov 30')).toBe(2017);
    expect(latestYear('2004 Mar 16 (revised 2013 Sep 3)')).toBe(2013);
    expect(latestYear('undated')).toBeUndefined();
    expect(latestYear(undefined)).toBeUndefined();
  });

  it('strips the NGC organisation type from a developer line', () => {
    expect(developerName('Centers for Disease Control and Prevention - Federal Government Agency [U.S.]')).toBe(
      'Centers for Disease Control and Prevention',
    );
    expect(developerName('National Health Care for the Homeless Council, Inc. - Nonprofit Organization')).toBe(
      'National Health Care for the Homeless Council, Inc.',
    );
    expect(developerName('Some Body')).toBe('Some Body');
  });

  it('treats NGC placeholders as empty', () => {
    for (const v of ['None available', 'Not stated', 'Not applicable.', '  ', undefined, null])
      expect(isUsefulNgcValue(v)).toBe(false);
    expect(isUsefulNgcValue('Adults over 50')).toBe(true);
  });

  it('names the line and field of a row without a title', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'evidentia-ngc-')), 'ngc_test.jsonl');
    await writeFile(file, '{"ngc_id": 1, "guideline_title": "A title"}\n{"ngc_id": 2}\n');
    const error = (await collect(readNgc(file)).catch((e: unknown) => e)) as EvidentiaError;
    expect(error).toBeInstanceOf(EvidentiaError);
    expect(error.code).toBe('FILE_MALFORMED');
    expect(error.message).toMatch(/ngc_test\.jsonl:2: field "guideline_title": /);
  });
});
