import { randomBytes } from 'node:crypto';
import { DISCLAIMER, PENDING_REVIEW_NOTICE, ValidArticle, type Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import { QuestionInput, type ParsedQuestion } from '../domain/question.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore, LibraryVocabulary, PassageIndex } from '../ports/store.js';
import { compose, DEFAULT_COMPOSE_OPTIONS, type ComposeOptions, type Evidence } from './compose/compose.js';
import type { Draft } from './compose/draft.js';
import { gradeDocument } from './grade/grade.js';
import { patientVersion } from './render/patient.js';
import { readingGrade } from './render/render.js';
import { isInstructionLike, screenQuestion, withoutPlaceholders } from './safety/index.js';
import type { DenseRetrieval } from './retrieve/dense.js';
import { questionAsSources, vocabularyOf } from './retrieve/library-spelling.js';
import { DEFAULT_RETRIEVE_OPTIONS, retrieve, type RetrieveOptions } from './retrieve/retrieve.js';
import type { TermRespelling } from './understand/spelling.js';
import { understand } from './understand/understand.js';
import { verify } from './verify/verify.js';

export interface AnswerDeps {
  /** A store with a vocabulary (every Store) also has question words it lacks respelled. */
  store: DocumentStore & PassageIndex & Partial<LibraryVocabulary>;
  clock: Clock;
  newId?: () => string;
  /** Dense retrieval, fused with the lexical ranking when configured. */
  dense?: DenseRetrieval;
}

export interface AnswerSettings {
  retrieve: RetrieveOptions;
  compose: ComposeOptions;
  /** Keep only related questions the library can answer (each is drafted to find out). */
  checkRelated: boolean;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = {
  retrieve: DEFAULT_RETRIEVE_OPTIONS,
  compose: DEFAULT_COMPOSE_OPTIONS,
  checkRelated: true,
};

/**
 * Retrieve and grade: the documents compose chooses from, with their sentences, and the question
 * with its terms as the evidence spells them (a code written another way, a word the library
 * lacks by the library's word it was searched as): compose counts the terms a sentence names.
 */
export async function gatherEvidence(
  question: ParsedQuestion,
  deps: Pick<AnswerDeps, 'store' | 'dense'>,
  settings: Pick<AnswerSettings, 'retrieve'>,
  now: Date,
): Promise<{ question: ParsedQuestion; evidence: Evidence[]; respelled: TermRespelling[] }> {
  const retrieval = await retrieve(
    question,
    {
      index: deps.store,
      documents: deps.store,
      ...vocabularyOf(deps.store),
      ...(deps.dense ? { dense: deps.dense } : {}),
    },
    settings.retrieve,
  );
  const documents = await deps.store.getDocuments(retrieval.documents.map((d) => d.documentId));
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
  const spelled = questionAsSources(
    question,
    evidence.map((e) => e.graded.document),
    retrieval.respelled,
  );
  return { ...spelled, evidence };
}

/**
 * Retrieve, grade and compose: the draft of an answer, before it is verified, and the question
 * words searched for as the sources spell them.
 */
async function draftAnswer(
  question: ParsedQuestion,
  deps: AnswerDeps,
  settings: AnswerSettings,
  now: Date,
): Promise<{ draft: Draft; respelled: TermRespelling[] }> {
  const spelled = await gatherEvidence(question, deps, settings, now);
  return { draft: compose(spelled.question, spelled.evidence, settings.compose), respelled: spelled.respelled };
}

/**
 * The related questions worth suggesting: those whose own draft is an answer, not an
 * abstention, up to `max`.
 */
async function answerableRelated(
  candidates: readonly string[],
  audience: ParsedQuestion['audience'],
  deps: AnswerDeps,
  settings: AnswerSettings,
  now: Date,
  max: number,
): Promise<string[]> {
  const kept: string[] = [];
  for (const text of candidates) {
    if (kept.length >= max) break;
    const { draft } = await draftAnswer(understand({ text, audience }), deps, settings, now);
    if (draft.status === 'answered' && draft.sections.length > 0) kept.push(text);
  }
  return kept;
}

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
  const now = deps.clock.now();
  const { draft: composed, respelled } = await draftAnswer(question, deps, settings, now);
  const draft: Draft = {
    ...composed,
    relatedQuestions: settings.checkRelated
      ? await answerableRelated(
          composed.relatedQuestions,
          question.audience,
          deps,
          settings,
          now,
          settings.compose.maxRelatedQuestions,
        )
      : composed.relatedQuestions.slice(0, settings.compose.maxRelatedQuestions),
  };
  const verified = await verify(draft, { store: deps.store });
  // Audiences get the same verified statements; a patient's in plain words with a glossary.
  const rendered = question.audience === 'patient' ? patientVersion(verified.draft) : verified.draft;
  const timestamp = now.toISOString();
  const article: Article = {
    ...rendered,
    ...(screened.emergency.emergency
      ? { status: 'emergency' as const, urgentMessage: screened.emergency.urgentMessage }
      : {}),
    ...(respelled.length > 0
      ? { searchedFor: respelled.map((r) => ({ written: r.written, searched: r.asSources })) }
      : {}),
    id: (deps.newId ?? newArticleId)(),
    version: 1,
    readingGrade: readingGrade(rendered),
    verification: verified.verification,
    review: { status: 'submitted', history: [{ from: null, to: 'submitted', by: 'evidentia', at: timestamp }] },
    createdAt: timestamp,
    updatedAt: timestamp,
    disclaimer: DISCLAIMER,
    reviewNotice: PENDING_REVIEW_NOTICE,
  };
  return ValidArticle.parse(article);
}
