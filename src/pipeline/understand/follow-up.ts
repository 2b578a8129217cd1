import { understand } from './understand.js';

/** Words that mark a turn as continuing the conversation rather than starting a new one. */
const CONTINUATION = /^(?:and|also|so|but|then|what about|how about|and what about|and how about|what of)\b[\s,]*/i;
/** Pronouns and stand-ins that point back at the earlier subject. */
const BACK_REFERENCE = /\b(?:it|this|that|these|those|they|them|the procedure|the treatment|the drug|the condition)\b/i;
/** A follow-up with this many content terms or fewer and no subject of its own leans on the thread. */
const MAX_ELLIPTICAL_TERMS = 3;

/**
 * Turns a follow-up into a question that stands on its own, using the subject of the thread.
 * "and the risks?" after a question on basivertebral nerve ablation becomes "What are the risks
 * of basivertebral nerve ablation?"; "is it safe in pregnancy?" becomes "is basivertebral nerve
 * ablation safe in pregnancy?". A turn that already names its own subject is returned unchanged.
 * @param previous earlier standalone questions of the thread, oldest first
 * @param followUp what the person typed now
 */
export function resolveFollowUp(previous: readonly string[], followUp: string): string {
  const text = followUp.trim().replace(/\s+/g, ' ');
  const last = previous.at(-1);
  if (!last || text.length === 0) return text;
  const subject = understand({ text: last, audience: 'clinician' }).focus.trim();
  if (subject.length === 0) return text;

  const continues = CONTINUATION.test(text);
  const body = text
    .replace(CONTINUATION, '')
    .replace(/[?.!\s]+$/, '')
    .trim();
  const pointsBack = BACK_REFERENCE.test(body);
  const own = understand({ text: body.length >= 3 ? body : text, audience: 'clinician' });
  const elliptical = own.terms.length <= MAX_ELLIPTICAL_TERMS && !mentions(body, subject);

  if (pointsBack && !mentions(body, subject)) {
    const replaced = body.replace(BACK_REFERENCE, subject);
    return `${capitalise(replaced)}?`;
  }
  if (!continues && !elliptical) return text;
  if (mentions(body, subject)) return `${capitalise(body)}?`;
  if (/^(?:what|which) (?:is|are) the \w[\w\s-]*$/i.test(body)) return `${capitalise(body)} of ${subject}?`;
  if (/^(?:what|how|when|who|which|why|is|are|can|does|do|should)\b/i.test(body)) {
    return `${capitalise(body)} for ${subject}?`;
  }
  return nounPhraseQuestion(stripArticle(body), subject);
}

/** Aspects asked about a subject ("the risks"), as opposed to groups of people ("children"). */
const ASPECT =
  /^(?:risks?|benefits?|outcomes?|results?|side effects?|complications?|harms?|alternatives?|costs?|price|evidence|contraindications?|dose|dosage|recovery|success rate|duration|technique)$/i;
const POPULATION =
  /^(?:children|kids|adults|older adults|the elderly|elderly|women|men|pregnancy|pregnant women|teenagers|adolescents|infants|athletes)$/i;

/** "the risks" → "What are the risks of S?"; "children" → "What about S in children?". */
function nounPhraseQuestion(phrase: string, subject: string): string {
  if (ASPECT.test(phrase)) {
    const verb = /s$/i.test(phrase) && !/^(?:evidence|dosage)$/i.test(phrase) ? 'are' : 'is';
    return `What ${verb} the ${phrase.toLowerCase()} of ${subject}?`;
  }
  if (POPULATION.test(phrase)) return `What about ${subject} in ${phrase.toLowerCase()}?`;
  return `What about ${phrase} in ${subject}?`;
}

function mentions(text: string, subject: string): boolean {
  return text.toLowerCase().includes(subject.toLowerCase());
}

function stripArticle(phrase: string): string {
  return phrase.replace(/^(?:the|a|an)\s+/i, '');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
