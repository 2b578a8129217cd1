import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EvidentiaError } from '../domain/errors.js';
import { stanceFeaturesOf, yesNoStanceInputs } from '../pipeline/compose/compose.js';
import type { StanceInputs } from '../pipeline/compose/stance-features.js';
import { gatherEvidence, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../pipeline/run.js';
import { understand } from '../pipeline/understand/understand.js';
import type { DocumentStore, PassageIndex } from '../ports/store.js';
import { goldYesNo, type BioasqQuestion } from './answers.js';

/** A yes/no question's stance features over a library, with its gold answer (1 = "no"). */
export interface StanceExample {
  /** The question's line in questions.jsonl, counted from 0: which half it belongs to. */
  index: number;
  features: number[];
  label: 0 | 1;
  /** What the features were read from: other readings of the evidence are measured on it. */
  inputs: StanceInputs;
}

/**
 * The stance features of every yes/no question with a gold answer, read from the evidence the
 * answer path gathers for it; questions the article would abstain on are left out.
 *
 * @param questions the questions, in file order (their index decides the half)
 * @param store the library the questions are answered from
 * @param now the date the evidence is graded at
 */
export async function stanceExamples(
  questions: readonly BioasqQuestion[],
  store: DocumentStore & PassageIndex,
  now: Date,
  settings: Pick<AnswerSettings, 'retrieve' | 'compose'> = DEFAULT_ANSWER_SETTINGS,
): Promise<StanceExample[]> {
  const examples: StanceExample[] = [];
  for (const [index, q] of questions.entries()) {
    const gold = q.type === 'yesno' ? goldYesNo(q) : undefined;
    if (!gold) continue;
    const { question, evidence } = await gatherEvidence(
      understand({ text: q.question, audience: 'clinician' }),
      { store },
      settings,
      now,
    );
    const inputs = yesNoStanceInputs(question, evidence, settings.compose);
    if (inputs) examples.push({ index, features: stanceFeaturesOf(inputs), label: gold === 'no' ? 1 : 0, inputs });
  }
  return examples;
}

/** One PubMedQA question with its expert decision (fields the stance training reads). */
const PubmedqaQuestion = z.object({
  question: z.string().min(1),
  final_decision: z.enum(['yes', 'no', 'maybe']),
});

/**
 * The stance features of PubMedQA's yes/no questions (`pqal_trainval.jsonl`; "maybe" left out)
 * over a library holding that file's abstracts: more examples of how findings deny or affirm,
 * from a neighbouring task.
 *
 * @param file path of pqal_trainval.jsonl
 * @param store the library the file was ingested into
 * @param now the date the evidence is graded at
 */
export async function pubmedqaStanceExamples(
  file: string,
  store: DocumentStore & PassageIndex,
  now: Date,
  settings: Pick<AnswerSettings, 'retrieve' | 'compose'> = DEFAULT_ANSWER_SETTINGS,
): Promise<StanceExample[]> {
  const examples: StanceExample[] = [];
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  for (const [index, line] of lines.entries()) {
    const parsed = PubmedqaQuestion.safeParse(JSON.parse(line));
    if (!parsed.success)
      throw new EvidentiaError('FILE_MALFORMED', `${file} line ${index + 1}: not a PubMedQA question`);
    const decision = parsed.data.final_decision;
    if (decision === 'maybe') continue;
    const { question, evidence } = await gatherEvidence(
      understand({ text: parsed.data.question, audience: 'clinician' }),
      { store },
      settings,
      now,
    );
    const inputs = yesNoStanceInputs(question, evidence, settings.compose);
    if (inputs) examples.push({ index, features: stanceFeaturesOf(inputs), label: decision === 'no' ? 1 : 0, inputs });
  }
  return examples;
}
