import type { EvidenceKind } from './source.js';

/** An evidence kind with the rule that decided it, kept on the reference for reviewers. */
export interface KindDecision {
  kind: EvidenceKind;
  rule: string;
}

// PubMed publication types, strongest first; the first one present decides.
const PUBLICATION_TYPE_KINDS: ReadonlyArray<[string, EvidenceKind]> = [
  ['practice guideline', 'guideline'],
  ['guideline', 'guideline'],
  ['consensus development conference', 'guideline'],
  ['consensus development conference, nih', 'guideline'],
  ['meta-analysis', 'meta-analysis'],
  ['systematic review', 'systematic-review'],
  ['randomized controlled trial', 'rct'],
  ['pragmatic clinical trial', 'rct'],
  ['equivalence trial', 'rct'],
  ['clinical trial, phase iii', 'rct'],
  ['observational study', 'cohort'],
  ['multicenter study', 'cohort'],
  ['comparative study', 'cohort'],
  ['case reports', 'case-series'],
  ['review', 'narrative-review'],
];

/** Decides the kind from PubMed publication types, or returns null when none is telling. */
export function kindFromPublicationTypes(types: readonly string[]): KindDecision | null {
  const present = new Set(types.map((t) => t.trim().toLowerCase()));
  for (const [type, kind] of PUBLICATION_TYPE_KINDS) {
    if (present.has(type)) return { kind, rule: `publication type: ${type}` };
  }
  return null;
}

// Phrases in a title or abstract, strongest design first.
const TEXT_CUES: ReadonlyArray<[RegExp, EvidenceKind, string]> = [
  [
    /\b(practice guidelines?|clinical guidelines?|recommendation statement|consensus statement)\b/i,
    'guideline',
    'guideline',
  ],
  [/\bmeta-?analys[ie]s\b/i, 'meta-analysis', 'meta-analysis'],
  [/\bsystematic review\b/i, 'systematic-review', 'systematic review'],
  [/\brandomi[sz]ed\b[^.]{0,60}\b(trial|study)\b|\brandomly assigned\b|\bRCT\b/i, 'rct', 'randomised trial'],
  [/\bcase[- ]control\b/i, 'case-control', 'case-control'],
  [/\b(cohort|prospective(ly)?|retrospective(ly)?|longitudinal)\b/i, 'cohort', 'cohort'],
  [/\bcase (series|report)\b/i, 'case-series', 'case series'],
];

/** Decides the kind from wording in the title and text; `other` when nothing is telling. */
export function kindFromText(title: string, text: string): KindDecision {
  const head = `${title}\n${text.slice(0, 4000)}`;
  for (const [pattern, kind, name] of TEXT_CUES) {
    const match = pattern.exec(head);
    if (match) return { kind, rule: `text mentions ${name} ("${match[0]}")` };
  }
  return { kind: 'other', rule: 'no design stated' };
}
