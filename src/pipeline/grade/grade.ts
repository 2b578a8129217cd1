import { kindFromText } from '../../domain/evidence-kind.js';
import type { EvidenceKind, SourceRecommendation, StoredDocument } from '../../domain/source.js';
import { guidelineRecommendations } from './recommendations.js';

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
  /** What decided `industryFunded` (the funding or disclosure words), for reviewers. */
  fundingRule: string;
  /** A conflict of interest is declared (a disclosure that is not "none"). */
  conflictOfInterest: boolean;
  /** The text says its population was narrow (strict criteria, one centre, many exclusions). */
  narrowPopulation: boolean;
  /** The largest number of participants the text reports, when it reports one. */
  sampleSize: number | undefined;
  /** The issuer's recommendations: carried by the document, or found in a guideline's text. */
  recommendations: GradedRecommendation[];
}

/** A recommendation with, when it was found in the text, where it and its grade label sit. */
export type GradedRecommendation = SourceRecommendation & { start?: number; end?: number; labelEnd?: number };

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

const INDUSTRY =
  /\b(?:industry|manufacturer|sponsor(?:ed)? by|pharmaceuticals?\b|inc\.|ltd\b|corporation|medical devices?)/i;

// Funding statements in the text itself, for sources without structured grant data.
const FUNDING_IN_TEXT =
  /\b(?:funded|sponsored|supported) by (?:the )?(?:[A-Z][\w&.-]*\s?){0,4}(?:Inc\.?|Ltd|Corporation|Pharmaceuticals?|Medical|manufacturer|industry)|\bindustry[- ](?:funded|sponsored)\b|\bfunded by the (?:device )?manufacturer\b/;
const NO_CONFLICT = /\b(no|none|nothing to) (?:conflicts?|competing|declare|disclose)|^\s*none\b/i;
const CONFLICT_IN_TEXT =
  /\b(?:conflicts? of interest|consult(?:ing|ancy) fees?|received (?:grants?|honoraria|fees)|speakers?'? bureau)\b/i;
const NARROW =
  /\b(?:eligibility criteria were narrow|narrow (?:eligibility|inclusion|population)|strict (?:eligibility|inclusion) criteria|single[- ]cent(?:er|re)|highly selected)\b/i;
const PARTICIPANTS =
  /\b(?:n\s*=\s*(\d[\d,]*)|(\d[\d,]*)\s+(?:patients|participants|subjects|adults|children|women|men|individuals|people|persons|infants|volunteers))\b/gi;

/** The largest participant count a text states ("n = 120", "1,204 patients"); undefined when none. */
export function sampleSizeOf(text: string): number | undefined {
  let best: number | undefined;
  for (const m of text.matchAll(PARTICIPANTS)) {
    const n = Number((m[1] ?? m[2] ?? '').replace(/,/g, ''));
    if (Number.isFinite(n) && n > 0 && n < 10_000_000 && (best === undefined || n > best)) best = n;
  }
  return best;
}

/** Funding from grants and disclosures first, else from the text; with the words that decided it. */
export function fundingOf(document: Pick<StoredDocument, 'funding' | 'conflictOfInterest' | 'text'>): {
  industryFunded: boolean;
  rule: string;
} {
  const declared = [...document.funding, document.conflictOfInterest ?? ''].join(' ');
  const declaredHit = INDUSTRY.exec(declared);
  if (declaredHit && !/\bno (industry|commercial)\b/i.test(declared))
    return { industryFunded: true, rule: `funding or disclosure names "${declaredHit[0]}"` };
  const textHit = FUNDING_IN_TEXT.exec(document.text);
  if (textHit) return { industryFunded: true, rule: `text says "${textHit[0]}"` };
  return {
    industryFunded: false,
    rule: document.funding.length > 0 ? 'funding declared, none from industry' : 'no funding stated',
  };
}

/** The grade stage for one document. */
export function gradeDocument(document: StoredDocument, now: Date): GradedDocument {
  const decided =
    document.kind === 'other'
      ? kindFromText(document.title, document.text)
      : { kind: document.kind, rule: document.kindRule };
  const kind = decided.kind;
  const funding = fundingOf(document);
  const coi = document.conflictOfInterest ?? '';
  return {
    document,
    kind,
    kindRule: decided.rule ?? `stored kind: ${kind}`,
    weight: EVIDENCE_WEIGHTS[kind],
    ageYears: document.year === undefined ? undefined : Math.max(0, now.getUTCFullYear() - document.year),
    industryFunded: funding.industryFunded,
    fundingRule: funding.rule,
    conflictOfInterest: coi.trim() !== '' ? !NO_CONFLICT.test(coi) : CONFLICT_IN_TEXT.test(document.text),
    narrowPopulation: kind !== 'guideline' && kind !== 'consumer-health' && NARROW.test(document.text),
    sampleSize: kind === 'guideline' || kind === 'consumer-health' ? undefined : sampleSizeOf(document.text),
    recommendations:
      document.recommendations.length > 0 || kind !== 'guideline'
        ? document.recommendations
        : guidelineRecommendations(document).map(
            ({ statement, direction, strength, certainty, start, end, labelEnd }) => ({
              statement,
              direction,
              strength,
              ...(certainty ? { certainty } : {}),
              start,
              end,
              labelEnd,
            }),
          ),
  };
}
