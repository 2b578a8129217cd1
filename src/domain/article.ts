import { z } from 'zod';
import { Audience, QuestionType } from './question.js';

/**
 * The article contract (product.md). Field names are fixed: surfaces, the API and stored
 * articles all use this one schema. Fields beyond the contract are optional additions.
 */

/** A stable key for a source within one article; its display number is its position + 1. */
export const RefId = z.string().regex(/^[A-Za-z0-9_.:-]+$/);

export const SupportSpan = z.object({
  documentId: z.string().min(1),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  quote: z.string(),
});
export type SupportSpan = z.infer<typeof SupportSpan>;

export const Bullet = z.object({
  text: z.string().min(1),
  citations: z.array(RefId).min(1),
  support: z.array(SupportSpan).min(1),
  /** The facet this bullet answers (e.g. "risks"), for reviewers and audience rendering. */
  facet: z.string().optional(),
  /** Set when a reviewer or editor changed the text: who and when. */
  edited: z.object({ by: z.string(), at: z.string() }).optional(),
  /** Why an edited bullet no longer matches its sources; shown to reviewers until fixed. */
  flag: z.string().optional(),
});
export type Bullet = z.infer<typeof Bullet>;

export const Section = z.object({
  heading: z.string().min(1),
  bullets: z.array(Bullet),
});
export type Section = z.infer<typeof Section>;

export const Citable = z.object({ text: z.string().min(1), citations: z.array(RefId) });

export const Recommendation = z.object({
  statement: z.string().min(1),
  direction: z.enum(['for', 'against', 'none']),
  strength: z.string(),
  certainty: z.string().optional(),
  issuer: z.string().optional(),
  year: z.number().int().optional(),
  citations: z.array(RefId),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const Reference = z.object({
  id: RefId,
  documentId: z.string().min(1),
  kind: z.string(),
  label: z.string(),
  title: z.string(),
  source: z.string().optional(),
  year: z.number().int().optional(),
  pmid: z.string().optional(),
  doi: z.string().optional(),
  url: z.string().optional(),
  /** How the evidence kind was decided. */
  kindRule: z.string().optional(),
});
export type Reference = z.infer<typeof Reference>;

export const REVIEW_STATUSES = ['submitted', 'under_review', 'approved', 'changes_requested', 'rejected'] as const;
export const ReviewStatus = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const ReviewEvent = z.object({
  from: ReviewStatus.nullable(),
  to: ReviewStatus,
  by: z.string(),
  at: z.string(),
  comment: z.string().optional(),
});

export const Review = z.object({
  status: ReviewStatus,
  history: z.array(ReviewEvent).default([]),
  approvedAt: z.string().optional(),
  /** The version that was last approved, so readers see the date of the approved text. */
  approvedVersion: z.number().int().positive().optional(),
  /** Why the article needs another review (e.g. a cited source changed after approval). */
  flag: z.string().optional(),
});

export const DroppedStatement = z.object({ text: z.string(), reason: z.string() });

export const Verification = z.object({
  checked: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  /** What was dropped and why: shown to reviewers, never to readers as fact. */
  failures: z.array(DroppedStatement).default([]),
});
export type Verification = z.infer<typeof Verification>;

export const ARTICLE_STATUSES = ['answered', 'insufficient_evidence', 'emergency'] as const;

export const Article = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  question: z.string().min(1),
  audience: Audience,
  status: z.enum(ARTICLE_STATUSES),
  urgentMessage: z.string().optional(),
  title: z.string().optional(),
  questionType: QuestionType.optional(),
  /** For yes/no questions: what the evidence says. */
  stance: z.enum(['yes', 'no', 'uncertain']).optional(),
  directAnswer: z.object({
    text: z.string(),
    citations: z.array(RefId),
    /** The source spans the answer was taken from, checked by the verify stage like any bullet. */
    support: z.array(SupportSpan).optional(),
  }),
  sections: z.array(Section),
  recommendations: z.array(Recommendation),
  limitations: z.array(Citable),
  conflicts: z.array(Citable),
  references: z.array(Reference),
  relatedQuestions: z.array(z.string()),
  /** Question words the sources spell otherwise ("spanich", "LB-100"), searched for as they spell them. */
  searchedFor: z.array(z.object({ written: z.string(), searched: z.string() })).optional(),
  glossary: z.array(z.object({ term: z.string(), meaning: z.string() })).optional(),
  readingGrade: z.number(),
  verification: Verification,
  review: Review,
  createdAt: z.string(),
  updatedAt: z.string(),
  disclaimer: z.string().min(1),
  /** Set when the article is shown and not yet approved: says it is pending human review. */
  reviewNotice: z.string().optional(),
});
export type Article = z.infer<typeof Article>;
export type ArticleInput = z.input<typeof Article>;

/** Every citation must name a reference of the article. Returns the problems found. */
export function checkCitationIntegrity(article: Article): string[] {
  const ids = new Set(article.references.map((r) => r.id));
  const problems: string[] = [];
  const check = (where: string, citations: readonly string[]) => {
    for (const c of citations) if (!ids.has(c)) problems.push(`${where} cites unknown reference "${c}"`);
  };
  check('direct answer', article.directAnswer.citations);
  article.sections.forEach((s, i) =>
    s.bullets.forEach((b, j) => check(`section ${i + 1} bullet ${j + 1}`, b.citations)),
  );
  article.recommendations.forEach((r, i) => check(`recommendation ${i + 1}`, r.citations));
  article.limitations.forEach((r, i) => check(`limitation ${i + 1}`, r.citations));
  article.conflicts.forEach((r, i) => check(`conflict ${i + 1}`, r.citations));
  if (ids.size !== article.references.length) problems.push('reference ids are not unique');
  return problems;
}

/** The article schema with the cross-field rule that citations resolve. */
export const ValidArticle = Article.superRefine((article, ctx) => {
  for (const message of checkCitationIntegrity(article)) ctx.addIssue({ code: 'custom', message });
});

export const DISCLAIMER =
  'Evidentia summarises published evidence for education. It is not medical advice and does not replace ' +
  'the judgement of a clinician who knows the patient. Check each statement against its cited source ' +
  'before acting on it. If this may be an emergency, call your local emergency number now.';

export const PENDING_REVIEW_NOTICE = 'Pending human review: no medical reviewer has approved this article yet.';
