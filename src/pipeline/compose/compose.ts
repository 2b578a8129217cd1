import type { Bullet, Recommendation, Reference, Section, SupportSpan } from '../../domain/article.js';
import type { Sentence } from '../../domain/passage.js';
import type { ParsedQuestion } from '../../domain/question.js';
import { labelForKind } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { GradedDocument, GradedRecommendation } from '../grade/grade.js';
import { findConflicts } from './conflicts.js';
import type { Draft } from './draft.js';
import frameWordList from './frame-words.json' with { type: 'json' };
import { classifyFacet } from './facets.js';
import { CONDITION_LAYOUT, INTERVENTION_LAYOUT, KEY_EVIDENCE, layoutFor, type Facet } from './layouts.js';
import { DEFAULT_STANCE_OPTIONS, modelStance, stanceOf, type StanceOptions } from './stance.js';
import { stanceFeatures, type StanceInputs, type StanceSentence } from './stance-features.js';
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
  /**
   * The best sentence must cover at least this share of the question's weighted terms, or the
   * article abstains: a library that only mentions the words in passing has not answered.
   */
  minAnswerCoverage: number;
  /** Bullets in the leading "what the evidence says" section. */
  keyEvidenceBullets: number;
  /** In that section, how much the document's retrieval rank counts against the sentence's own closeness. */
  keyRankWeight: number;
  /** A sentence in that section covers at least this share of the question's weighted terms. */
  keyMinCoverage: number;
  /** Accept sentence fragments (no final stop, lower-case start), as snippet corpora hold. */
  allowFragments: boolean;
  /** How a yes/no stance is read from the closest sentences. */
  stance: StanceOptions;
  /** How many of the closest sentences the stance is read from. */
  stanceSentences: number;
  /** Read a subject word of the question that the closest evidence never mentions as a "no". */
  stanceMissingTerms: boolean;
  /**
   * How the stance is read: by the trained model over the stance features of the closest
   * sentences, or by the share of denying sentences alone.
   */
  stanceReader: 'model' | 'rules';
  /** How many candidate sentences the model's pool holds. */
  stancePool: number;
  /** The least closeness (share of the question's weighted terms, with its document's) a pool sentence has. */
  stancePoolRelevance: number;
  /** For a patient, sentences longer than this many words are not used: long sentences read hard. */
  patientMaxWords: number;
  /** Choose the direct answer by recommendation cues ("should", "first-line") rather than closeness alone. */
  directAnswerCue: boolean;
}

export const DEFAULT_COMPOSE_OPTIONS: ComposeOptions = {
  minDocumentCoverage: 0.3,
  maxBulletsPerSection: 4,
  maxSimilarity: 0.5,
  minSentenceChars: 30,
  maxSentenceChars: 1000,
  maxRelatedQuestions: 6,
  minAnswerCoverage: 0.4,
  keyEvidenceBullets: 8,
  keyRankWeight: 0.8,
  keyMinCoverage: 0.3,
  allowFragments: true,
  stance: DEFAULT_STANCE_OPTIONS,
  stanceSentences: 3,
  stanceMissingTerms: false,
  stanceReader: 'model',
  stancePool: 400,
  stancePoolRelevance: 0.4,
  patientMaxWords: 15,
  directAnswerCue: true,
};

// Words that frame a question ("role", "effect", "patients") rather than name its subject.
const FRAME_WORDS: ReadonlySet<string> = new Set(frameWordList.map(lightStem));

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
  /** The document's retrieval score relative to the best document's (0–1). */
  docRelevance: number;
  relevance: number;
  facet: Facet | undefined;
  score: number;
}

/**
 * Question terms with weights: the focus counts double, words that only frame the question
 * ("role", "effect", "patients") count little, so coverage measures the subject.
 */
export function weightedTerms(
  question: Pick<ParsedQuestion, 'terms' | 'focus'>,
): Array<{ stem: string; weight: number }> {
  const focus = stemSet(question.focus);
  const terms = new Map<string, number>();
  for (const t of question.terms) {
    const stem = lightStem(t);
    terms.set(stem, FRAME_WORDS.has(stem) ? 0.3 : focus.has(stem) ? 2 : 1);
  }
  return [...terms].map(([stem, weight]) => ({ stem, weight }));
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
  const base: Pick<Draft, 'question' | 'audience' | 'title' | 'questionType' | 'conflicts'> = {
    question: question.text,
    audience: question.audience,
    title: titleFor(question),
    questionType: question.type,
    conflicts: [],
  };

  const ranked = rankCandidates(question, evidence, options);
  if (!ranked) return insufficient(question, evidence, base);
  const { terms, relevant, candidates } = ranked;
  const forPatient = question.audience === 'patient';

  const recommendation = strongestRecommendation(relevant, terms, options.minAnswerCoverage);
  const directness = (c: Candidate) =>
    options.keyRankWeight * c.docRelevance + (1 - options.keyRankWeight) * c.relevance + 0.1 * c.evidence.graded.weight;
  const direct = recommendation
    ? undefined
    : options.directAnswerCue
      ? chooseDirectAnswer(candidates)
      : [...candidates].sort((a, b) => directness(b) - directness(a))[0];
  const chosen: Candidate[] = direct ? [direct] : [];
  if (recommendation) {
    const stems = stemSet(recommendation.quote);
    const same = candidates.find((c) => jaccard(c.stems, stems) > options.maxSimilarity);
    if (same) chosen.push(same);
  }
  const sections: Section[] = [];
  // First the sentences that answer the question most directly, whatever their facet.
  const keyBullets: Bullet[] = [];
  for (const c of [...candidates].sort((a, b) => directness(b) - directness(a))) {
    if (keyBullets.length >= (forPatient ? Math.min(2, options.keyEvidenceBullets) : options.keyEvidenceBullets)) break;
    if (c.relevance < options.keyMinCoverage) continue;
    if (chosen.some((x) => jaccard(x.stems, c.stems) > options.maxSimilarity)) continue;
    chosen.push(c);
    keyBullets.push(bulletOf(c, KEY_EVIDENCE.id));
  }
  if (keyBullets.length > 0) sections.push({ heading: KEY_EVIDENCE.heading, bullets: keyBullets });
  for (const facet of layout.facets) {
    const bullets: Bullet[] = [];
    for (const c of candidates) {
      if (bullets.length >= (forPatient ? Math.min(3, options.maxBulletsPerSection) : options.maxBulletsPerSection))
        break;
      if (c.facet !== facet) continue;
      if (chosen.some((x) => jaccard(x.stems, c.stems) > options.maxSimilarity)) continue;
      chosen.push(c);
      bullets.push(bulletOf(c, facet.id));
    }
    if (bullets.length > 0) sections.push({ heading: facet.heading, bullets });
  }

  const gradedById = new Map(relevant.map((e) => [e.graded.document.id, e.graded]));
  const recommendations = collectRecommendations(relevant, terms);
  const references = orderReferences(
    [
      ...(recommendation ? [recommendation.documentId] : []),
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
    ...(question.yesNo
      ? {
          stance: recommendation
            ? // A guideline that answers the question settles it: advice for is a yes, advice against a no.
              recommendation.direction === 'against'
              ? 'no'
              : 'yes'
            : yesNoStance(question, terms, candidates, options),
        }
      : {}),
    directAnswer: recommendation
      ? {
          text: squash(recommendation.quote),
          citations: [referenceId(recommendation.documentId)],
          support: [
            {
              documentId: recommendation.documentId,
              start: recommendation.start,
              end: recommendation.end,
              quote: recommendation.quote,
            },
          ],
        }
      : direct
        ? {
            text: squash(direct.sentence.text),
            citations: [referenceId(direct.sentence.documentId)],
            support: [supportOf(direct.sentence)],
          }
        : { text: 'The sources found do not state a direct answer; see the sections below.', citations: [] },
    sections,
    recommendations: recommendations.map((r) => r.recommendation),
    limitations: deriveLimitations(references, gradedById),
    conflicts: findConflicts(chosen.map((c) => ({ sentence: c.sentence, refId: referenceId(c.sentence.documentId) }))),
    references,
    relatedQuestions: relatedCandidates(layout.facets, covered, focus, question.text),
  };
}

/**
 * The sentences compose may use, scored and best first, from the documents that cover the
 * question well enough; undefined when the library has not answered (the article abstains).
 */
function rankCandidates(
  question: ParsedQuestion,
  evidence: readonly Evidence[],
  options: ComposeOptions,
): { terms: Array<{ stem: string; weight: number }>; relevant: Evidence[]; candidates: Candidate[] } | undefined {
  const terms = weightedTerms(question);
  const layout = layoutFor(question.type);
  const topScore = Math.max(0, ...evidence.map((e) => e.retrievalScore));
  const docCoverage = new Map(
    evidence.map((e) => [e, coverage(terms, stemSet(`${e.graded.document.title}\n${e.graded.document.text}`))]),
  );
  const relevant = evidence.filter((e) => (docCoverage.get(e) ?? 0) >= options.minDocumentCoverage);
  if (relevant.length === 0) return undefined;

  const forPatient = question.audience === 'patient';
  const candidates: Candidate[] = [];
  for (const e of relevant) {
    const doc = e.graded.document;
    const docRelevance = topScore > 0 ? e.retrievalScore / topScore : 0;
    for (const sentence of e.sentences) {
      const heading = doc.sections[sentence.sectionIndex]?.heading ?? '';
      if (SKIP_SECTION.test(heading)) continue;
      const text = squash(sentence.text);
      if (text.length < options.minSentenceChars || text.length > options.maxSentenceChars) continue;
      if (ABOUT_THE_DOCUMENT.test(text)) continue;
      if (!options.allowFragments && (!/[.!?)]$/.test(text) || /^[a-z]/.test(text))) continue;
      const words = text.split(' ').length;
      if (forPatient && words > options.patientMaxWords) continue;
      const stems = stemSet(text);
      // A sentence is read in its document: one that names the subject makes the next ones about it too.
      const relevance = 0.6 * coverage(terms, stems) + 0.4 * (docCoverage.get(e) ?? 0);
      const found = classifyFacet(heading, text, layout.facets);
      // Closeness to the question leads; stronger designs, numbers and a facet's own section follow.
      const score =
        0.3 * docRelevance +
        0.4 * relevance +
        0.15 * e.graded.weight +
        (/\d/.test(text) ? 0.06 : 0) +
        (found ? (found.byHeading ? 0.1 : 0.04) : 0) +
        // Patients read material written for them first, and short sentences before long ones.
        (forPatient ? (e.graded.kind === 'consumer-health' ? 0.3 : 0) - 0.005 * words - 0.6 * wordLength(text) : 0);
      candidates.push({ sentence, evidence: e, heading, stems, docRelevance, relevance, facet: found?.facet, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const bestCoverage = Math.max(0, ...candidates.map((c) => c.relevance));
  if (bestCoverage < options.minAnswerCoverage) return undefined;
  return { terms, relevant, candidates };
}

/**
 * Questions to suggest next, best first: the facets this article did not cover, what the subject
 * is, the covered facets asked on their own, then the other layout's facets. More than are shown:
 * the pipeline keeps only those the library can answer.
 */
export function relatedCandidates(
  facets: readonly Facet[],
  coveredHeadings: ReadonlySet<string>,
  focus: string,
  asked: string,
): string[] {
  const other = (facets === INTERVENTION_LAYOUT.facets ? CONDITION_LAYOUT : INTERVENTION_LAYOUT).facets;
  const definition = other.filter((f) => f.id === 'definition' && !facets.includes(f));
  // A procedure has no symptoms or causes: the other layout's questions come last, after the
  // questions that go deeper into facets this article already touched.
  const ordered = [
    ...facets.filter((f) => !coveredHeadings.has(f.heading)),
    ...definition,
    ...facets.filter((f) => coveredHeadings.has(f.heading)),
    ...other.filter((f) => !facets.includes(f) && f.id !== 'definition'),
  ];
  const questions = ordered.map((f) => f.relatedQuestion.replace('{focus}', focus));
  return [...new Set(questions)].filter((q) => q.toLowerCase() !== asked.toLowerCase());
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

// Syllable-like vowel groups per word above a plain-English 1.4: long words read hard.
function wordLength(text: string): number {
  const words = text.match(/[A-Za-z]+/g) ?? [];
  if (words.length === 0) return 0;
  const groups = words.reduce((n, w) => n + Math.max(1, (w.toLowerCase().match(/[aeiouy]+/g) ?? []).length), 0);
  return Math.max(0, groups / words.length - 1.4);
}

function bulletOf(c: Candidate, facet: string): Bullet {
  return {
    text: squash(c.sentence.text),
    citations: [referenceId(c.sentence.documentId)],
    support: [supportOf(c.sentence)],
    facet,
  };
}

// The sentences a yes/no stance is read from: the closest to the question, weighted by closeness.
function stanceEvidence(
  candidates: readonly Candidate[],
  options: ComposeOptions,
  minRelevance = options.minAnswerCoverage,
): StanceSentence[] {
  const byScore = [...new Set(candidates.map((c) => c.evidence))].sort((a, b) => b.retrievalScore - a.retrievalScore);
  const rank = new Map(byScore.map((e, k) => [e, k]));
  return [...candidates]
    .filter((c) => c.relevance >= minRelevance)
    .sort((a, b) => b.relevance + b.score - (a.relevance + a.score))
    .slice(0, options.stanceSentences)
    .map((c) => ({
      text: c.sentence.text,
      documentRank: rank.get(c.evidence) ?? 0,
      weight: c.relevance * c.evidence.graded.weight,
      documentId: c.sentence.documentId,
      kind: c.evidence.graded.kind,
      ...(c.evidence.graded.ageYears === undefined ? {} : { ageYears: c.evidence.graded.ageYears }),
    }));
}

/**
 * The stance features of a yes/no question over the evidence (see stance-features.ts), or
 * undefined when the article would abstain: what the stance model is trained on.
 */
export function yesNoFeatures(
  question: ParsedQuestion,
  evidence: readonly Evidence[],
  options: ComposeOptions = DEFAULT_COMPOSE_OPTIONS,
): number[] | undefined {
  const inputs = yesNoStanceInputs(question, evidence, options);
  return inputs && stanceFeaturesOf(inputs);
}

/**
 * What the stance features are read from, or undefined when the article would abstain: kept
 * whole so that other readings of the same evidence can be measured against the model.
 */
export function yesNoStanceInputs(
  question: ParsedQuestion,
  evidence: readonly Evidence[],
  options: ComposeOptions = DEFAULT_COMPOSE_OPTIONS,
): StanceInputs | undefined {
  const ranked = rankCandidates(question, evidence, options);
  return ranked && stanceInputsOf(question, ranked.terms, ranked.candidates, options);
}

function stanceInputsOf(
  question: ParsedQuestion,
  terms: ReadonlyArray<{ stem: string; weight: number }>,
  candidates: readonly Candidate[],
  options: ComposeOptions,
): StanceInputs {
  const subjectStems = new Set(terms.filter((t) => t.weight >= 1).map((t) => t.stem));
  const subject = question.terms.filter((t) => subjectStems.has(lightStem(t)));
  return {
    question: question.text,
    terms: [...terms],
    subject: subject.length > 0 ? subject : [...question.terms],
    pool: stanceEvidence(candidates, { ...options, stanceSentences: options.stancePool }, options.stancePoolRelevance),
  };
}

/** The stance features (STANCE_FEATURES order) of a question's stance inputs. */
export function stanceFeaturesOf(inputs: StanceInputs): number[] {
  return stanceFeatures(inputs.question, inputs.terms, inputs.subject, inputs.pool);
}

/**
 * The stance on a yes/no question. Subject words of the question (not framing words) that none
 * of the closest sentences contain are passed on as missing: evidence on a neighbouring subject
 * does not say yes.
 */
function yesNoStance(
  question: ParsedQuestion,
  terms: ReadonlyArray<{ stem: string; weight: number }>,
  candidates: readonly Candidate[],
  options: ComposeOptions,
): 'yes' | 'no' | 'uncertain' {
  if (options.stanceReader === 'model') {
    if (!candidates.some((c) => c.relevance >= options.minAnswerCoverage)) return 'uncertain';
    return modelStance(stanceFeaturesOf(stanceInputsOf(question, terms, candidates, options)));
  }
  const evidence = stanceEvidence(candidates, options);
  // What the closest documents say anywhere, not only in the chosen sentences.
  const docs = new Set(
    [...candidates]
      .sort((a, b) => b.relevance + b.score - (a.relevance + a.score))
      .slice(0, options.stanceSentences)
      .map((c) => c.evidence.graded.document),
  );
  const seen = stemSet([...docs].map((d) => `${d.title} ${d.text}`).join(' '));
  const missingTerms = options.stanceMissingTerms
    ? terms.filter((t) => t.weight >= 1 && !seen.has(t.stem) && !/^\d+$/.test(t.stem)).map((t) => t.stem)
    : [];
  return stanceOf(evidence, options.stance, { text: question.text, missingTerms });
}

// The top grade of the usual systems: strong (GRADE, VA/DoD), A (USPSTF, letters), class I (ACC/AHA).
const STRONG_GRADE =
  /^(?:strong\b|A\b|A recommendation|Level A|Grade A|Class I\b|Category IA|recommendation category: A)/i;

interface LocatedRecommendation {
  documentId: string;
  direction: Recommendation['direction'];
  start: number;
  end: number;
  quote: string;
}

/**
 * The recommendation the direct answer states: from a guideline or protocol, closest to the
 * question, advising for or against (not an "insufficient evidence" statement), quoted with its
 * grade label so its strength is stated in the issuer's words.
 */
function strongestRecommendation(
  relevant: readonly Evidence[],
  terms: ReadonlyArray<{ stem: string; weight: number }>,
  minCoverage: number,
): LocatedRecommendation | undefined {
  let best: (LocatedRecommendation & { score: number }) | undefined;
  for (const e of relevant) {
    const d = e.graded.document;
    for (const r of e.graded.recommendations) {
      if (r.direction === 'none') continue;
      const located = locate(d.text, r);
      if (!located) continue;
      const closeness = coverage(terms, stemSet(r.statement));
      if (closeness < minCoverage) continue;
      const score = closeness + 0.1 * e.graded.weight + (STRONG_GRADE.test(r.strength) ? 0.15 : 0);
      if (!best || score > best.score) best = { documentId: d.id, direction: r.direction, ...located, score };
    }
  }
  return (
    best && {
      documentId: best.documentId,
      direction: best.direction,
      start: best.start,
      end: best.end,
      quote: best.quote,
    }
  );
}

// Where a recommendation is in its document: its recorded offsets (with the grade label), or the
// first place its statement occurs.
function locate(text: string, r: GradedRecommendation): { start: number; end: number; quote: string } | undefined {
  if (r.start !== undefined && r.labelEnd !== undefined && r.labelEnd - r.start <= 700) {
    return { start: r.start, end: r.labelEnd, quote: text.slice(r.start, r.labelEnd) };
  }
  // The statement may end where the source goes on with its grade: "… in bed (Strong recommendation, …)."
  const statement = r.statement.replace(/[.;:]+$/, '');
  const at = text.indexOf(statement);
  if (at < 0) return undefined;
  const rest = /^[^.\n]{0,120}[.]/.exec(text.slice(at + statement.length))?.[0] ?? '';
  const end = at + statement.length + (rest.startsWith(' (') || rest === '.' ? rest.length : 0);
  return { start: at, end, quote: text.slice(at, end) };
}

function collectRecommendations(
  relevant: readonly Evidence[],
  terms: ReadonlyArray<{ stem: string; weight: number }>,
): Array<{ documentId: string; recommendation: Recommendation }> {
  const scored: Array<{ documentId: string; recommendation: Recommendation; score: number }> = [];
  for (const e of relevant) {
    const d = e.graded.document;
    for (const r of e.graded.recommendations) {
      const closeness = coverage(terms, stemSet(r.statement));
      // A guideline's advice on other matters is not advice on this question.
      if (closeness < 0.5) continue;
      scored.push({
        score: closeness + 0.2 * e.graded.weight,
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
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, 6).map(({ documentId, recommendation }) => ({ documentId, recommendation }));
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

const SMALL_SAMPLE = 100;

/**
 * Limits that follow from the grades of the cited sources, stated with the sources they
 * concern, in short plain sentences so both audiences can read them.
 */
export function deriveLimitations(
  references: readonly Reference[],
  graded: ReadonlyMap<string, GradedDocument>,
): Array<{ text: string; citations: string[] }> {
  const limits: Array<{ text: string; citations: string[] }> = [];
  const cited = references.map((r) => graded.get(r.documentId)).filter((g): g is GradedDocument => g !== undefined);
  const research = cited.filter((g) => !['guideline', 'local-protocol', 'consumer-health'].includes(g.kind));
  const ids = (list: readonly GradedDocument[]) => list.map((g) => referenceId(g.document.id));
  if (cited.length > 0 && !cited.some((g) => STRONG_DESIGNS.has(g.kind))) {
    limits.push({ text: 'None of the sources is a randomised trial or a systematic review.', citations: [] });
  }
  if (research.length > 0 && research.every((g) => g.industryFunded)) {
    limits.push({
      text: 'Every study cited was paid for by industry. Independent studies are lacking.',
      citations: ids(research),
    });
  }
  const conflicted = research.filter((g) => g.conflictOfInterest);
  if (conflicted.length > 0) {
    limits.push({ text: 'Authors of some cited studies declare a conflict of interest.', citations: ids(conflicted) });
  }
  const sized = research.filter((g) => g.sampleSize !== undefined);
  if (sized.length > 0 && sized.every((g) => g.sampleSize! < SMALL_SAMPLE)) {
    limits.push({
      text: `The studies cited are small: each has fewer than ${SMALL_SAMPLE} people.`,
      citations: ids(sized),
    });
  }
  const narrow = research.filter((g) => g.narrowPopulation);
  if (narrow.length > 0) {
    limits.push({
      text: 'Some studies enrolled only a narrow group of patients. Results may differ in others.',
      citations: ids(narrow),
    });
  }
  for (const g of cited) {
    if (g.kind === 'guideline' && g.ageYears !== undefined && g.ageYears > GUIDELINE_AGE_LIMIT_YEARS) {
      limits.push({
        text: `A cited guideline dates from ${g.document.year}. Its advice may be out of date.`,
        citations: [referenceId(g.document.id)],
      });
    }
  }
  if (cited.length === 1) limits.push({ text: 'This answer rests on one source only.', citations: ids(cited) });
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
