import { randomBytes } from 'node:crypto';
import { DISCLAIMER, PENDING_REVIEW_NOTICE, ValidArticle, type Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import { QuestionInput } from '../domain/question.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore, PassageIndex } from '../ports/store.js';
import { compose, DEFAULT_COMPOSE_OPTIONS, type ComposeOptions, type Evidence } from './compose/compose.js';
import { gradeDocument } from './grade/grade.js';
import { readingGrade } from './render/render.js';
import { isInstructionLike, screenQuestion, withoutPlaceholders } from './safety/index.js';
import { DEFAULT_RETRIEVE_OPTIONS, retrieve, type RetrieveOptions } from './retrieve/retrieve.js';
import { understand } from './understand/understand.js';
import { verify } from './verify/verify.js';

export interface AnswerDeps {
  store: DocumentStore & PassageIndex;
  clock: Clock;
  newId?: () => string;
}

export interface AnswerSettings {
  retrieve: RetrieveOptions;
  compose: ComposeOptions;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = {
  retrieve: DEFAULT_RETRIEVE_OPTIONS,
  compose: DEFAULT_COMPOSE_OPTIONS,
};

export function newArticleId(): string {
  return `a-${randomBytes(8).toString('hex')}`;
}

/**
 * The only place that puts the stages in order: safety → understand → retrieve → grade → compose →
 * verify → (reading grade of what will be rendered). Returns a validated article, version 1,
 * submitted for review. Only the redacted question goes past the safety stage; an emergency
 * article carries its urgent message and still gets the evidence the library has.
 */
export async function answerQuestion(
  input: QuestionInput,
  deps: AnswerDeps,
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
): Promise<Article> {
  // Refuse an empty or over-long question before any stage reads it: the safety stage's rules
  // are written for questions, and a megabyte of text would hold the process for minutes.
  const checked = QuestionInput.safeParse(input);
  if (!checked.success) {
    throw new EvidentiaError('INPUT_INVALID', `question: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  }
  const screened = screenQuestion(input.text, { year: deps.clock.now().getUTCFullYear() });
  // Placeholders are not search terms; the question kept and shown is the redacted one.
  const parsed = understand({ ...input, text: withoutPlaceholders(screened.text) });
  const question = { ...parsed, text: screened.text.trim().replace(/\s+/g, ' ') };
  const retrieval = await retrieve(question, { index: deps.store }, settings.retrieve);
  const documents = await deps.store.getDocuments(retrieval.documents.map((d) => d.documentId));
  const now = deps.clock.now();
  const evidence: Evidence[] = [];
  for (const found of retrieval.documents) {
    const document = documents.get(found.documentId);
    if (!document) continue;
    evidence.push({
      graded: gradeDocument(document, now),
      retrievalScore: found.score,
      // Sources are data: a sentence addressed to a machine is never a statement to compose from.
      sentences: (await deps.store.getSentences(found.documentId)).filter((s) => !isInstructionLike(s.text)),
    });
  }
  const draft = compose(question, evidence, settings.compose);
  const verified = await verify(draft, { store: deps.store });
  const timestamp = now.toISOString();
  const article: Article = {
    ...verified.draft,
    ...(screened.emergency.emergency
      ? { status: 'emergency' as const, urgentMessage: screened.emergency.urgentMessage }
      : {}),
    id: (deps.newId ?? newArticleId)(),
    version: 1,
    readingGrade: readingGrade(verified.draft),
    verification: verified.verification,
    review: { status: 'submitted', history: [{ from: null, to: 'submitted', by: 'evidentia', at: timestamp }] },
    createdAt: timestamp,
    updatedAt: timestamp,
    disclaimer: DISCLAIMER,
    reviewNotice: PENDING_REVIEW_NOTICE,
  };
  return ValidArticle.parse(article);
}
