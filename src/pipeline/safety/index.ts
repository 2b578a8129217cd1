import { detectEmergency, type EmergencyFinding } from './emergency.js';
import { redactIdentifiers, type Redaction, type RedactOptions } from './redact.js';

export * from './emergency.js';
export * from './emergency-rules.js';
export * from './redact.js';
export * from './source-guard.js';

/** A question after the safety stage: what may be kept, and whether it is an emergency. */
export interface ScreenedQuestion {
  /** The question with personal identifiers replaced; the only form that leaves this stage. */
  text: string;
  redactions: Redaction[];
  emergency: EmergencyFinding;
}

/**
 * The safety stage, run before anything else sees the question: emergencies are judged on the
 * words as asked (in memory only), and identifiers are redacted before the text is stored,
 * logged, searched or sent anywhere.
 * @param text the question as asked
 * @param options the current year, for ages
 */
export function screenQuestion(text: string, options?: RedactOptions): ScreenedQuestion {
  const redacted = redactIdentifiers(text, options);
  return { text: redacted.text, redactions: redacted.redactions, emergency: detectEmergency(text) };
}
