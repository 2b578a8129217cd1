import { z } from 'zod';

/** The kinds of evidence a source document can be, strongest designs first within each family. */
export const EVIDENCE_KINDS = [
  'guideline',
  'systematic-review',
  'meta-analysis',
  'rct',
  'cohort',
  'case-control',
  'case-series',
  'narrative-review',
  'consumer-health',
  'local-protocol',
  'other',
] as const;
export const EvidenceKind = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/** Labels shown beside a reference, as in the reference list of an answer page. */
export const REFERENCE_LABELS = ['Guideline', 'Research', 'Consumer health', 'Local protocol'] as const;
export type ReferenceLabel = (typeof REFERENCE_LABELS)[number];

export function labelForKind(kind: EvidenceKind): ReferenceLabel {
  switch (kind) {
    case 'guideline':
      return 'Guideline';
    case 'consumer-health':
      return 'Consumer health';
    case 'local-protocol':
      return 'Local protocol';
    default:
      return 'Research';
  }
}

/** A recommendation as its issuer stated it; strength and certainty are kept verbatim. */
export const SourceRecommendation = z.object({
  statement: z.string().min(1),
  direction: z.enum(['for', 'against', 'none']),
  strength: z.string().min(1),
  certainty: z.string().optional(),
});
export type SourceRecommendation = z.infer<typeof SourceRecommendation>;

/** A titled span of a document's text: `text.slice(start, end)` is the section body. */
export const SectionSpan = z.object({
  heading: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type SectionSpan = z.infer<typeof SectionSpan>;

export const SourceDocument = z.object({
  /** Stable across versions: `pmid:123`, `md:<slug>`, `ngc:9568`, `beir:<set>:<id>`… */
  id: z.string().min(1),
  kind: EvidenceKind,
  /** How the kind was decided (e.g. "publication type: Randomized Controlled Trial"). */
  kindRule: z.string().optional(),
  title: z.string(),
  /** Journal for research, issuing body for guidelines and protocols. */
  source: z.string().optional(),
  year: z.number().int().optional(),
  pmid: z.string().optional(),
  doi: z.string().optional(),
  url: z.string().optional(),
  licence: z.string().optional(),
  meshTerms: z.array(z.string()).default([]),
  publicationTypes: z.array(z.string()).default([]),
  funding: z.array(z.string()).default([]),
  conflictOfInterest: z.string().optional(),
  /** The whole body; every passage and support span is an offset into this string. */
  text: z.string(),
  sections: z.array(SectionSpan).default([]),
  recommendations: z.array(SourceRecommendation).default([]),
  /** Anything else worth keeping from the origin (e.g. BEIR metadata, MedQuAD focus). */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type SourceDocument = z.infer<typeof SourceDocument>;
/** What importers produce: defaults may be left out. */
export type SourceDocumentInput = z.input<typeof SourceDocument>;

/** A stored document: the source plus its version bookkeeping. */
export interface StoredDocument extends SourceDocument {
  version: number;
  contentHash: string;
  updatedAt: string;
}

/**
 * Builds a document whose text is its sections joined by blank lines, with the offsets filled
 * in. Importers describe sections; this is the one place that lays them out.
 */
export function layoutSections(parts: ReadonlyArray<{ heading: string; text: string }>): {
  text: string;
  sections: SectionSpan[];
} {
  let text = '';
  const sections: SectionSpan[] = [];
  for (const part of parts) {
    const body = part.text.trim();
    if (body === '') continue;
    if (text !== '') text += '\n\n';
    const start = text.length;
    text += body;
    sections.push({ heading: part.heading.trim(), start, end: text.length });
  }
  return { text, sections };
}
