import type { Bullet, Recommendation, Reference, Section, SupportSpan } from '../../domain/article.js';
import type { Sentence } from '../../domain/passage.js';
import type { ParsedQuestion } from '../../domain/question.js';
import { labelForKind } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { GradedDocument } from '../grade/grade.js';
import type { Draft } from './draft.js';
import { layoutFor, type Facet } from './layouts.js';
import { coverage, jaccard, lightStem, stemSet } from './text-match.js';

/** One retrieved, graded document with its sentences: the evidence compose chooses from. */
export interface Evidence {
  graded: GradedDocument;
  retrievalScore: number;
  sentences: Sentence[];
}

export interface ComposeOptions {
  /** A document whose weighted coverage of the question's terms is below this is not used. */
  minDocumentCoverage: number;
  /** Bullets per section at most. */
  maxBulletsPerSection: number;
  /** Two sentences more alike than this (Jaccard of stems) are one statement said twice. */
  maxSimilarity: number;
  /** Sentences shorter or longer than these are not bullets. */
  minSentenceChars: number;
  maxSentenceChars: number;
  maxRelatedQuestions: number;
}

export const DEFAULT_COMPOSE_OPTIONS: ComposeOptions = {
  minDocumentCoverage: 0.5,
  maxBulletsPerSection: 4,
  maxSimilarity: 0.5,
  minSentenceChars: 30,
  maxSentenceChars: 420,
  maxRelatedQuestions: 6,
};

// Sections that describe the document itself rather than the evidence.
const SKIP_SECTION = /^(about this document|references?|acknowledg|disclosures?|copyright)/i;
// Sentences about the document rather than the evidence ("This summary describes…").
const ABOUT_THE_DOCUMENT = /^(this|the present) (summary|document|review|article|protocol|explainer|page)\b/i;
const RECOMMENDATION_CUE = /\b(recommend\w*|should|offer|first-line|indicated|suggest\w*)\b/i;

interface Candidate {
  sentence: Sentence;
  evidence: Evidence;
  heading: string;
  stems: Set<string>;
  relevance: number;
  facet: Facet | undefined;
  score: number;
}

/** Question terms with weights: the focus counts double, expansions count like the user's words. */
function weightedTerms(question: ParsedQuestion): Array<{ stem: string; weight: number }> {
  const focus = stemSet(question.focus);
  const terms = new Map<string, number>();
  for (const t of question.terms) {
    const stem = lightStem(t);
    terms.set(stem, focus.has(stem) ? 2 : 1);
  }
  return [...terms].map(([stem, weight]) => ({ stem, weight }));
}

// A sentence that advises against something is about who must not have it, whatever its section.
const ADVISES_AGAINST =
  /\b(contraindicat\w*|should not|must not|do not (?:offer|use|give|perform)|not be (?:performed|offered|used))\b/i;

function facetOf(
  heading: string,
  text: string,
  facets: readonly Facet[],
): { facet: Facet; byHeading: boolean } | undefined {
  const against = ADVISES_AGAINST.test(text) ? facets.find((f) => f.id === 'contraindications') : undefined;
  if (against) return { facet: against, byHeading: false };
  const byHeading = facets.find((f) => f.headingCue.test(heading));
  if (byHeading) return { facet: byHeading, byHeading: true };
  const bySentence = facets.find((f) => f.sentenceCue.test(text));
  return bySentence ? { facet: bySentence, byHeading: false } : undefined;
}

export function referenceId(documentId: string): string {
  return documentId.replace(/[^A-Za-z0-9_.:-]/g, '-');
}

function toReference(graded: GradedDocument): Reference {
  const d = graded.document;
  return {
    id: referenceId(d.id),
    documentId: d.id,
    kind: graded.kind,
    label: labelForKind(graded.kind),
    title: d.title,
    kindRule: graded.kindRule,
    ...(d.source ? { source: d.source } : {}),
    ...(d.year !== undefined ? { year: d.year } : {}),
    ...(d.pmid ? { pmid: d.pmid } : {}),
    ...(d.doi ? { doi: d.doi } : {}),
    ...(d.url ? { url: d.url } : {}),
  };
}

function supportOf(sentence: Sentence): SupportSpan {
  return { documentId: sentence.documentId, start: sentence.start, end: sentence.end, quote: sentence.text };
}

function titleFor(question: ParsedQuestion): string {
  const focus = question.focus || question.text;
  return focus.charAt(0).toUpperCase() + focus.slice(1);
}

/**
 * The compose stage: chooses, for each facet of the question's layout, the best non-redundant
 * source sentences (stronger evidence, closer to the question, numbers preferred), writes the
 * direct answer from the strongest statement, and builds the reference list in reading order.
 * Pure: everything it needs is in its input.
 */
export function compose(
  question: ParsedQuestion,
  evidence: readonly Evidence[],
  options: ComposeOptions = DEFAULT_COMPOSE_OPTIONS,
): Draft {
  const layout = layoutFor(question.type);
  const terms = weightedTerms(question);
  const topScore = Math.max(0, ...evidence.map((e) => e.retrievalScore));
  const base: Pick<Draft, 'question' | 'audience' | 'title' | 'questionType' | 'conflicts'> = {
    question: question.text,
    audience: question.audience,
    title: titleFor(question),
    questionType: question.type,
    conflicts: [],
  };

  const relevant = evidence.filter((e) => {
    const docStems = stemSet(`${e.graded.document.title}\n${e.graded.document.text}`);
    return coverage(terms, docStems) >= options.minDocumentCoverage;
  });
  if (relevant.length === 0) return insufficient(question, evidence, base);

  const candidates: Candidate[] = [];
  for (const e of relevant) {
    const doc = e.graded.document;
    const docRelevance = topScore > 0 ? e.retrievalScore / topScore : 0;
    for (const sentence of e.sentences) {
      const heading = doc.sections[sentence.sectionIndex]?.heading ?? '';
      if (SKIP_SECTION.test(heading)) continue;
      const text = squash(sentence.text);
      if (text.length < options.minSentenceChars || text.length > options.maxSentenceChars) continue;
      if (!/[.!?)]$/.test(text) || /^[a-z]/.test(text) || ABOUT_THE_DOCUMENT.test(text)) continue;
      const stems = stemSet(text);
      const relevance = coverage(terms, stems);
      const found = facetOf(heading, text, layout.facets);
      const score =
        0.35 * docRelevance +
        0.3 * relevance +
        0.2 * e.graded.weight +
        (/\d/.test(text) ? 0.08 : 0) +
        (found ? (found.byHeading ? 0.12 : 0.05) : 0);
      candidates.push({ sentence, evidence: e, heading, stems, relevance, facet: found?.facet, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score);

  const direct = chooseDirectAnswer(candidates);
  const chosen: Candidate[] = direct ? [direct] : [];
  const sections: Section[] = [];
  for (const facet of layout.facets) {
    const bullets: Bullet[] = [];
    for (const c of candidates) {
      if (bullets.length >= options.maxBulletsPerSection) break;
      if (c.facet !== facet) continue;
      if (chosen.some((x) => jaccard(x.stems, c.stems) > options.maxSimilarity)) continue;
      chosen.push(c);
      bullets.push({
        text: squash(c.sentence.text),
        citations: [referenceId(c.sentence.documentId)],
        support: [supportOf(c.sentence)],
        facet: facet.id,
      });
    }
    if (bullets.length > 0) sections.push({ heading: facet.heading, bullets });
  }

  const gradedById = new Map(relevant.map((e) => [e.graded.document.id, e.graded]));
  const recommendations = collectRecommendations(relevant);
  const references = orderReferences(
    [
      ...(direct ? [direct.sentence.documentId] : []),
      ...sections.flatMap((s) => s.bullets.flatMap((b) => b.support.map((x) => x.documentId))),
      ...recommendations.map((r) => r.documentId),
    ],
    gradedById,
  );
  const covered = new Set(sections.map((s) => s.heading));
  const focus = question.focus || 'this';
  return {
    ...base,
    status: 'answered',
    directAnswer: direct
      ? {
          text: squash(direct.sentence.text),
          citations: [referenceId(direct.sentence.documentId)],
          support: [supportOf(direct.sentence)],
        }
      : { text: 'The sources found do not state a direct answer; see the sections below.', citations: [] },
    sections,
    recommendations: recommendations.map((r) => r.recommendation),
    limitations: deriveLimitations(references, gradedById),
    references,
    relatedQuestions: layout.facets
      .filter((f) => !covered.has(f.heading))
      .map((f) => f.relatedQuestion.replace('{focus}', focus))
      .slice(0, options.maxRelatedQuestions),
  };
}

// The strongest statement: a recommendation-like sentence from the best evidence that covers the question.
function chooseDirectAnswer(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestScore = -Infinity;
  for (const c of candidates.slice(0, 60)) {
    const kind = c.evidence.graded.kind;
    const score =
      c.score +
      0.4 * c.relevance +
      (RECOMMENDATION_CUE.test(c.sentence.text) ? 0.25 : 0) +
      (kind === 'guideline' || kind === 'local-protocol' ? 0.15 : 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

function collectRecommendations(
  relevant: readonly Evidence[],
): Array<{ documentId: string; recommendation: Recommendation }> {
  const result: Array<{ documentId: string; recommendation: Recommendation }> = [];
  const ordered = [...relevant].sort(
    (a, b) => b.graded.weight - a.graded.weight || b.retrievalScore - a.retrievalScore,
  );
  for (const e of ordered) {
    const d = e.graded.document;
    for (const r of e.graded.recommendations) {
      result.push({
        documentId: d.id,
        recommendation: {
          statement: r.statement,
          direction: r.direction,
          strength: r.strength,
          ...(r.certainty ? { certainty: r.certainty } : {}),
          ...(d.source ? { issuer: d.source } : {}),
          ...(d.year !== undefined ? { year: d.year } : {}),
          citations: [referenceId(d.id)],
        },
      });
    }
  }
  return result.slice(0, 6);
}

function orderReferences(documentIds: readonly string[], graded: ReadonlyMap<string, GradedDocument>): Reference[] {
  const seen = new Set<string>();
  const references: Reference[] = [];
  for (const id of documentIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    const g = graded.get(id);
    if (g) references.push(toReference(g));
  }
  return references;
}

const STRONG_DESIGNS = new Set(['rct', 'systematic-review', 'meta-analysis']);
const GUIDELINE_AGE_LIMIT_YEARS = 10;

/** Limits that follow from the grades of the cited sources, stated with the sources they concern. */
export function deriveLimitations(
  references: readonly Reference[],
  graded: ReadonlyMap<string, GradedDocument>,
): Array<{ text: string; citations: string[] }> {
  const limits: Array<{ text: string; citations: string[] }> = [];
  const cited = references.map((r) => graded.get(r.documentId)).filter((g): g is GradedDocument => g !== undefined);
  const research = cited.filter((g) => !['guideline', 'local-protocol', 'consumer-health'].includes(g.kind));
  if (cited.length > 0 && !cited.some((g) => STRONG_DESIGNS.has(g.kind))) {
    limits.push({
      text: 'No randomised trial or systematic review is among the sources of this answer.',
      citations: [],
    });
  }
  if (research.length > 0 && research.every((g) => g.industryFunded)) {
    limits.push({
      text: 'Every cited study reports industry funding; independent confirmation is lacking.',
      citations: research.map((g) => referenceId(g.document.id)),
    });
  }
  for (const g of cited) {
    if (g.kind === 'guideline' && g.ageYears !== undefined && g.ageYears > GUIDELINE_AGE_LIMIT_YEARS) {
      limits.push({
        text: `A cited guideline dates from ${g.document.year}; its advice may have been superseded.`,
        citations: [referenceId(g.document.id)],
      });
    }
  }
  if (cited.length === 1)
    limits.push({ text: 'This answer rests on a single source.', citations: [referenceId(cited[0]!.document.id)] });
  return limits;
}

function insufficient(
  question: ParsedQuestion,
  evidence: readonly Evidence[],
  base: Pick<Draft, 'question' | 'audience' | 'title' | 'questionType' | 'conflicts'>,
): Draft {
  const nearest = evidence.slice(0, 3).map((e) => e.graded);
  const references = nearest.map(toReference);
  const found =
    nearest.length === 0
      ? 'Nothing in the library matched the question.'
      : `The closest documents in the library do not address it: ${nearest.map((g) => g.document.title).join('; ')}.`;
  return {
    ...base,
    status: 'insufficient_evidence',
    directAnswer: {
      text: `The library does not hold enough evidence to answer "${question.text}". ${found}`,
      citations: references.map((r) => r.id),
    },
    sections: [],
    recommendations: [],
    limitations: [
      { text: 'No source in the library addresses this question closely enough to answer it.', citations: [] },
    ],
    references,
    relatedQuestions: [],
  };
}
