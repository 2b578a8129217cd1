import { QuestionInput, type ParsedQuestion, type QuestionType } from '../../domain/question.js';
import { EvidentiaError } from '../../domain/errors.js';
import abbreviations from './abbreviations.json' with { type: 'json' };
import stopWordList from './stop-words.json' with { type: 'json' };
import { vocabularyExpansions } from './vocabulary.js';

const ABBREVIATIONS: Readonly<Record<string, string>> = abbreviations;
const STOP_WORDS: ReadonlySet<string> = new Set(stopWordList);

// Ordered: the first cue that matches decides. Procedure before treatment, since "ablation
// for pain" is both and the procedure layout fits better.
const TYPE_CUES: ReadonlyArray<[QuestionType, RegExp]> = [
  [
    'drug',
    /\b(dose|dosage|dosing|mg\b|interaction|interact|side effects? of|take .* with|together with|overdose of|pill|tablet)\b/i,
  ],
  [
    'procedure',
    /\b(ablation|surgery|surgical|procedure|operation|injection|implant|biopsy|endoscopy|colonoscopy|catheter|transplant|undergo|undergoing|radiofrequency|arthroplasty|fusion)\b/i,
  ],
  ['prevention', /\b(prevent\w*|screen\w*|vaccin\w*|avoid getting|reduce (?:the )?risk)\b/i],
  [
    'diagnosis',
    /\b(diagnos\w*|test|tests|testing|imaging|scan|x-ray|mri|how (?:do|can) (?:i|you) (?:know|tell)|symptoms? of|signs? of)\b/i,
  ],
  [
    'treatment',
    /\b(treat\w*|therapy|therapies|manage\w*|medication|medicine|drug|drugs|antibiotic\w*|cure|relieve|remedy|first-line|first line)\b/i,
  ],
  ['prognosis', /\b(prognosis|outlook|survival|life expectancy|recover\w*|how long|will it go away|chance)\b/i],
  ['cause', /\b(cause[sd]?|why do|risk factors?|inherited|genetic|due to|because of|lead to)\b/i],
  ['definition', /^\s*(what is|what are|what's|define|definition of)\b/i],
];

const YES_NO_START = /^\s*(is|are|does|do|did|can|could|should|will|would|was|were|has|have|may|am)\b/i;
// A statement put up for judgement ("X causes Y, yes or no?") or a yes/no question behind a
// short opening clause ("As of 2019, are…"): yes/no questions that do not open with their verb.
const STATEMENT_TO_JUDGE = /\byes,?\s+or\s+no\b|\btrue\s+or\s+false\b/i;
const CLAUSE_THEN_YES_NO =
  /^(?!\s*(?:what|which|where|when|who|whom|whose|why|how)\b)[^,?]{1,40},\s*(?:is|are|does|do|did|can|could|should|was|were|has|have)\b/i;

/**
 * Whether a question asks for a yes or a no: it opens with its verb, is a statement to judge, or
 * puts its verb after a short opening clause.
 */
function asksYesNo(text: string): boolean {
  return YES_NO_START.test(text) || STATEMENT_TO_JUDGE.test(text) || CLAUSE_THEN_YES_NO.test(text);
}

/** Content terms of a text: lower-cased words and hyphenated terms, stop words removed. */
export function contentTerms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
  return words.filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)));
}

export function detectQuestionType(text: string): QuestionType {
  for (const [type, cue] of TYPE_CUES) if (cue.test(text)) return type;
  return 'general';
}

/**
 * The understand stage: validates and normalises the question, expands abbreviations, finds its
 * type and focus. Pure and deterministic.
 */
export function understand(input: QuestionInput): ParsedQuestion {
  const parsed = QuestionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidentiaError('INPUT_INVALID', `question: ${issue?.message ?? 'invalid'}`);
  }
  const text = parsed.data.text.replace(/\s+/g, ' ');
  const terms = contentTerms(text);
  const type = detectQuestionType(text);
  const expansions: string[] = [];
  for (const term of terms) {
    const expansion = ABBREVIATIONS[term];
    if (expansion && !expansions.includes(expansion)) expansions.push(expansion);
  }
  for (const expansion of vocabularyExpansions(text)) if (!expansions.includes(expansion)) expansions.push(expansion);
  return {
    text,
    audience: parsed.data.audience,
    type,
    yesNo: asksYesNo(text),
    terms: [...new Set(terms)],
    expansions,
    focus: findFocus(text, terms, type),
  };
}

// The focus is the longest run of content words: usually the condition or intervention named.
// A run that names what the question type is about (the procedure, the drug) wins a tie, as does
// a later run ("pain … undergoing ablation" is about the ablation).
function findFocus(text: string, terms: string[], type: QuestionType): string {
  const typeCue = TYPE_CUES.find(([t]) => t === type)?.[1];
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
  const runs: string[][] = [];
  let run: string[] = [];
  for (const token of tokens) {
    const isContent =
      !STOP_WORDS.has(token) && !/^(treat\w*|manage\w*|symptoms?|causes?|risks?|best|good|bad)$/.test(token);
    if (isContent) run.push(token);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  let best = '';
  let bestScore = 0;
  for (const r of runs) {
    const phrase = r.join(' ');
    const score = r.length + (typeCue?.test(phrase) ? 1.5 : 0);
    if (score >= bestScore) {
      best = phrase;
      bestScore = score;
    }
  }
  return best || terms.join(' ');
}
