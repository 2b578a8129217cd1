import { z } from 'zod';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { contentName, hasExtension } from '../common/file-name.js';
import { readJsonl } from '../common/jsonl.js';
import { parseRecord } from '../common/parse-record.js';

const optionalText = z.string().nullish();

/** One NGC summary row (only the fields Evidentia reads; others are ignored). */
export const NgcRow = z.object({
  ngc_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String),
  guideline_title: z.string().min(1),
  licence_tier: optionalText,
  date_released: optionalText,
  guideline_developers: optionalText,
  bibliographic_sources: optionalText,
  guideline_category: optionalText,
  clinical_specialty: optionalText,
  major_recommendations: optionalText,
  target_population: optionalText,
  interventions_and_practices_considered: optionalText,
  potential_benefits: optionalText,
  potential_harms: optionalText,
  contraindications: optionalText,
  qualifying_statements: optionalText,
  rating_scheme_for_the_strength_of_the_recommendations: optionalText,
  disease_conditions: optionalText,
  guideline_objectives: optionalText,
});
export type NgcRow = z.output<typeof NgcRow>;

/** The summary fields that become sections, in reading order, with the heading shown. */
export const NGC_SECTIONS: ReadonlyArray<readonly [keyof NgcRow, string]> = [
  ['major_recommendations', 'Major recommendations'],
  ['target_population', 'Target population'],
  ['interventions_and_practices_considered', 'Interventions considered'],
  ['potential_benefits', 'Potential benefits'],
  ['potential_harms', 'Potential harms'],
  // Not in the first list, but it is what "who must not" questions need.
  ['contraindications', 'Contraindications'],
  ['qualifying_statements', 'Qualifying statements'],
  ['rating_scheme_for_the_strength_of_the_recommendations', 'Strength of recommendations'],
  ['disease_conditions', 'Conditions'],
  ['guideline_objectives', 'Objectives'],
];

// NGC's placeholders for an empty field.
const EMPTY_VALUES = new Set(['none available', 'not stated', 'not applicable']);

export function isUsefulNgcValue(value: string | null | undefined): value is string {
  if (value === null || value === undefined) return false;
  const trimmed = value.trim().replace(/\.$/, '').toLowerCase();
  return trimmed !== '' && !EMPTY_VALUES.has(trimmed);
}

/** The latest year in "1996 (revised 2013 Mar 19)" — the revision is the version in force. */
export function latestYear(value: string | null | undefined): number | undefined {
  const years = [...(value ?? '').matchAll(/\b(1[89]\d\d|20\d\d)\b/g)].map((m) => Number(m[1]));
  return years.length === 0 ? undefined : Math.max(...years);
}

/** "U.S. Preventive Services Task Force - Independent Expert Panel" → the body's name. */
export function developerName(line: string): string {
  return squash(
    line.replace(/\s+-\s+[^-]*(Agency|Panel|Society|Association|Organization|Organisation)(\s*\[[^\]]*\])?\s*$/, ''),
  );
}

function lines(value: string | null | undefined): string[] {
  return (value ?? '')
    .split('\n')
    .map((l) => squash(l))
    .filter((l) => l !== '');
}

export function ngcRowToDocument(row: NgcRow): SourceDocumentInput {
  const parts = NGC_SECTIONS.flatMap(([field, heading]) => {
    const value = row[field];
    return isUsefulNgcValue(value) ? [{ heading, text: value }] : [];
  });
  const { text, sections } = layoutSections(parts);
  const developers = lines(row.guideline_developers);
  const metadata: Record<string, unknown> = { ngcId: row.ngc_id };
  if (isUsefulNgcValue(row.bibliographic_sources)) metadata.bibliographicSources = row.bibliographic_sources.trim();
  if (row.guideline_category) metadata.guidelineCategory = lines(row.guideline_category);
  if (row.clinical_specialty) metadata.clinicalSpecialty = lines(row.clinical_specialty);
  if (row.date_released) metadata.dateReleased = squash(row.date_released);
  if (developers.length > 0) metadata.developers = developers;
  return {
    id: `ngc:${row.ngc_id}`,
    kind: 'guideline',
    kindRule: 'NGC guideline summary',
    title: squash(row.guideline_title),
    source: developers[0] === undefined ? undefined : developerName(developers[0]),
    year: latestYear(row.date_released),
    // guideline.gov closed in July 2018: no URL of the summary still resolves.
    url: undefined,
    licence: row.licence_tier ?? undefined,
    text,
    sections,
    // Recommendations are extracted from the text by a later stage, not here.
    recommendations: [],
    metadata,
  };
}

/** National Guideline Clearinghouse summaries converted to JSONL (file name contains "ngc"). */
export const ngcImporter: Importer = {
  name: 'ngc',
  accepts: (path) => {
    const name = contentName(path).toLowerCase();
    return name.includes('ngc') && hasExtension(path, '.jsonl');
  },
  read: readNgc,
};

export async function* readNgc(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  for await (const record of readJsonl(path, options)) {
    yield { op: 'put', document: ngcRowToDocument(parseRecord(NgcRow, path, record)) };
  }
}
