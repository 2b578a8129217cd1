import {
  EMERGENCY_RULES,
  GENERAL_QUESTION,
  PERSONAL_REFERENCE,
  URGENT_MESSAGES,
  type EmergencyCategory,
  type EmergencyRule,
} from './emergency-rules.js';

export interface EmergencyFinding {
  emergency: boolean;
  /** The first category that fired, in the order of `EMERGENCY_RULES`. */
  category?: EmergencyCategory;
  /** Every category that fired, for reviewers and evaluation. */
  categories?: EmergencyCategory[];
  /** What the person must read first. */
  urgentMessage?: string;
}

/**
 * The text the rules run on: lower case, curly quotes straightened, whitespace collapsed, so the
 * patterns need not spell every variant.
 * @param text the question as asked
 */
export function normaliseForRules(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether one rule fires on normalised text. */
function fires(rule: EmergencyRule, normalised: string): boolean {
  if (rule.any.some((pattern) => pattern.test(normalised))) return true;
  return (rule.all ?? []).some((group) => group.every((pattern) => pattern.test(normalised)));
}

/**
 * Flags a question that describes an emergency. Rules-based so every decision can be explained
 * by the category that fired; it errs towards warning, since a false alarm costs a sentence and a
 * missed emergency can cost a life.
 * @param text the question as asked (before or after redaction: identifiers never decide)
 * @param rules the lexicon to use; the built-in one unless testing another
 */
export function detectEmergency(text: string, rules: readonly EmergencyRule[] = EMERGENCY_RULES): EmergencyFinding {
  const normalised = normaliseForRules(text);
  if (GENERAL_QUESTION.test(normalised) && !PERSONAL_REFERENCE.test(normalised)) return { emergency: false };
  const categories = rules.filter((rule) => fires(rule, normalised)).map((rule) => rule.category);
  const first = categories[0];
  if (first === undefined) return { emergency: false };
  return {
    emergency: true,
    category: first,
    categories: [...new Set(categories)],
    urgentMessage: URGENT_MESSAGES[first],
  };
}
