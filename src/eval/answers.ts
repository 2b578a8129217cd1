import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import { answerQuestion, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../pipeline/run.js';
import { retrieve } from '../pipeline/retrieve/retrieve.js';
import { understand } from '../pipeline/understand/understand.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { accuracy, capWords, mean, rouge2Recall } from './answers-metrics.js';

/** One BioASQ question as `questions.jsonl` holds it (fields Evidentia reads). */
export const BioasqQuestion = z.object({
  id: z.string(),
  type: z.enum(['yesno', 'factoid', 'list', 'summary']),
  question: z.string().min(1),
  documents: z.array(z.string()).default([]),
  ideal_answer: z.union([z.array(z.string()), z.string().transform((s) => [s])]).default([]),
  exact_answer: z.unknown().optional(),
});
export type BioasqQuestion = z.infer<typeof BioasqQuestion>;

/** Scores of one system over the questions. */
export interface AnswerScores {
  rouge2Recall: number;
  yesNoAccuracy: number;
  /** Share of questions answered with `insufficient_evidence`. */
  abstained: number;
  questions: number;
}

export interface AnswerEvaluation {
  evidentia: AnswerScores;
  baseline: AnswerScores & { description: string };
  /** Abstention both ways: with the gold documents in the library, and with them taken out. */
  abstention?: { goldPresent: number; goldAbsent: number; questionsAbsent: number };
}

// Related questions do not count in any score; checking them would only slow the run.
const EVAL_SETTINGS: AnswerSettings = { ...DEFAULT_ANSWER_SETTINGS, checkRelated: false };

/** Words of the answer that are scored: the direct answer and the bullets, in reading order. */
export const WORD_CAP = 200;

export function articleAnswerText(article: Article): string {
  return capWords(
    [article.directAnswer.text, ...article.sections.flatMap((s) => s.bullets.map((b) => b.text))].join(' '),
    WORD_CAP,
  );
}

/** The gold yes/no answer of a question, when it has one. */
export function goldYesNo(q: BioasqQuestion): 'yes' | 'no' | undefined {
  const flat = JSON.stringify(q.exact_answer ?? '').toLowerCase();
  if (/"yes"/.test(flat)) return 'yes';
  if (/"no"/.test(flat)) return 'no';
  return undefined;
}

/**
 * Reads `questions.jsonl` of a BioASQ folder; `every` keeps one question in that many, the one
 * at `offset` (so `every` 2 with offsets 0 and 1 gives the two halves).
 */
export function loadBioasqQuestions(
  dir: string,
  options: { limit?: number; every?: number; offset?: number } = {},
): BioasqQuestion[] {
  let raw: string;
  try {
    raw = readFileSync(join(dir, 'questions.jsonl'), 'utf8');
  } catch {
    throw new EvidentiaError('FILE_NOT_FOUND', `no questions.jsonl in ${dir}: point eval answers at a BioASQ folder`);
  }
  const every = Math.max(1, options.every ?? 1);
  const questions = raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const parsed = BioasqQuestion.safeParse(JSON.parse(line));
      if (!parsed.success) throw new EvidentiaError('FILE_MALFORMED', `questions.jsonl line ${i + 1}: not a question`);
      return parsed.data;
    })
    .filter((_, i) => i % every === (options.offset ?? 0) % every);
  return options.limit === undefined ? questions : questions.slice(0, options.limit);
}

/** The baseline answer: the first 200 words of the top three BM25 documents. */
async function baselineText(question: string, store: Store): Promise<string> {
  const found = await retrieve(understand({ text: question, audience: 'clinician' }), { index: store });
  const docs = await store.getDocuments(found.documents.slice(0, 3).map((d) => d.documentId));
  const texts = found.documents
    .slice(0, 3)
    .map((d) => docs.get(d.documentId))
    .map((d) => (d ? `${d.title} ${d.text}` : ''));
  return capWords(texts.join(' '), WORD_CAP);
}

/**
 * Answers every question over `store` and scores the articles beside the baseline in the same
 * run. Pure of I/O beyond the store.
 */
export async function scoreAnswers(
  questions: readonly BioasqQuestion[],
  deps: { store: Store; clock: Clock },
  onProgress?: (done: number, total: number) => void,
): Promise<{ evidentia: AnswerScores; baseline: AnswerEvaluation['baseline'] }> {
  const ours: number[] = [];
  const base: number[] = [];
  const stances: Array<{ predicted: string; gold: string }> = [];
  const always: Array<{ predicted: string; gold: string }> = [];
  let abstained = 0;
  for (const [i, q] of questions.entries()) {
    const article = await answerQuestion({ text: q.question, audience: 'clinician' }, deps, EVAL_SETTINGS);
    if (article.status === 'insufficient_evidence') abstained++;
    ours.push(rouge2Recall(articleAnswerText(article), q.ideal_answer));
    base.push(rouge2Recall(await baselineText(q.question, deps.store), q.ideal_answer));
    const gold = q.type === 'yesno' ? goldYesNo(q) : undefined;
    if (gold) {
      stances.push({ predicted: article.stance ?? 'uncertain', gold });
      always.push({ predicted: 'yes', gold });
    }
    onProgress?.(i + 1, questions.length);
  }
  return {
    evidentia: {
      rouge2Recall: mean(ours),
      yesNoAccuracy: accuracy(stances),
      abstained: questions.length === 0 ? 0 : abstained / questions.length,
      questions: questions.length,
    },
    baseline: {
      description: 'first 200 words of the top-3 BM25 documents; yes/no always "yes"',
      rouge2Recall: mean(base),
      yesNoAccuracy: accuracy(always),
      abstained: 0,
      questions: questions.length,
    },
  };
}

/** Share of the questions the pipeline abstains on over `store`. */
export async function abstentionRate(
  questions: readonly BioasqQuestion[],
  deps: { store: Store; clock: Clock },
): Promise<number> {
  let abstained = 0;
  for (const q of questions) {
    const article = await answerQuestion({ text: q.question, audience: 'clinician' }, deps, EVAL_SETTINGS);
    if (article.status === 'insufficient_evidence') abstained++;
  }
  return questions.length === 0 ? 0 : abstained / questions.length;
}

/**
 * Writes a copy of a BEIR corpus without the given document ids into a fresh temporary folder
 * named like the original (so document ids keep their set name). Returns the file and a cleanup.
 */
export async function corpusWithout(
  corpusPath: string,
  drop: ReadonlySet<string>,
): Promise<{ path: string; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'evidentia-eval-'));
  const dir = join(root, basename(join(corpusPath, '..')));
  mkdirSync(dir);
  const path = join(dir, 'corpus.jsonl');
  const out = createWriteStream(path);
  const lines = createInterface({ input: createReadStream(corpusPath), crlfDelay: Infinity });
  for await (const line of lines) {
    const id = /"_id"\s*:\s*"?([^",}]+)/.exec(line)?.[1];
    if (line.trim() === '' || (id !== undefined && drop.has(id))) continue;
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { path, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
