import { kindFromText } from '../../domain/evidence-kind.js';
import type { EvidenceKind, StoredDocument } from '../../domain/source.js';

/** What the grade stage knows about one document's evidence. */
export interface GradedDocument {
  document: StoredDocument;
  kind: EvidenceKind;
  kindRule: string;
  /** 0–1: how much this kind of evidence should count when choosing statements. */
  weight: number;
  /** Years since publication, when the year is known. */
  ageYears: number | undefined;
  industryFunded: boolean;
}

/**
 * Relative trust in each kind of evidence when sentences compete. Guidelines and syntheses
 * first, single studies next, narrative and consumer material last; a clinic's own protocol
 * ranks with guidelines because the clinic chose to follow it.
 */
export const EVIDENCE_WEIGHTS: Readonly<Record<EvidenceKind, number>> = {
  guideline: 1,
  'local-protocol': 0.95,
  'systematic-review': 0.9,
  'meta-analysis': 0.9,
  rct: 0.8,
  cohort: 0.6,
  'case-control': 0.55,
  'narrative-review': 0.5,
  'consumer-health': 0.5,
  'case-series': 0.4,
  other: 0.4,
};

const INDUSTRY = /\b(industry|manufacturer|sponsor(?:ed)? by|pharmaceutical|inc\.|ltd|corporation|medical devices?)\b/i;

/** The grade stage for one document. */
export function gradeDocument(document: StoredDocument, now: Date): GradedDocument {
  const decided =
    document.kind === 'other'
      ? kindFromText(document.title, document.text)
      : { kind: document.kind, rule: document.kindRule };
  const kind = decided.kind;
  const fundingText = [...document.funding, document.conflictOfInterest ?? ''].join(' ');
  return {
    document,
    kind,
    kindRule: decided.rule ?? `stored kind: ${kind}`,
    weight: EVIDENCE_WEIGHTS[kind],
    ageYears: document.year === undefined ? undefined : Math.max(0, now.getUTCFullYear() - document.year),
    industryFunded: INDUSTRY.test(fundingText) && !/\bno (industry|commercial)\b/i.test(fundingText),
  };
}
