import { z } from 'zod';

export const AUDIENCES = ['clinician', 'patient', 'student'] as const;
export const Audience = z.enum(AUDIENCES);
export type Audience = z.infer<typeof Audience>;

export const QUESTION_TYPES = [
  'treatment',
  'procedure',
  'diagnosis',
  'drug',
  'prognosis',
  'prevention',
  'cause',
  'definition',
  'general',
] as const;
export const QuestionType = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionType>;

/** Longest accepted question; longer input is refused rather than truncated. */
export const MAX_QUESTION_LENGTH = 2000;

export const QuestionInput = z.object({
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(3, 'the question is empty or too short').max(MAX_QUESTION_LENGTH)),
  audience: Audience.default('clinician'),
});
export type QuestionInput = z.input<typeof QuestionInput>;

/** The understand stage's output: what the rest of the pipeline works from. */
export interface ParsedQuestion {
  /** The question as it will be stored and shown (already redacted where needed). */
  text: string;
  audience: Audience;
  type: QuestionType;
  /** Whether the question asks for a yes/no answer ("Is…", "Does…", "…, yes or no?", "As of 2019, are…"). */
  yesNo: boolean;
  /** Content terms after normalisation, in question order. */
  terms: string[];
  /** Expansions of abbreviations and synonyms, kept apart from the user's own terms. */
  expansions: string[];
  /** The main subject, e.g. "basivertebral nerve ablation". */
  focus: string;
}
