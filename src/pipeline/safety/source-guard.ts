/**
 * Sources are data. A sentence in a source that speaks to the machine reading it ("ignore previous
 * instructions…", "you are now…", "system prompt") is never evidence about health: it is kept out
 * of what the composer may choose, so it can neither become the answer nor be passed on to a
 * generation provider as text to follow. The document itself stays in the library untouched, and
 * the sentence can still be read there.
 */
export const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.?!]{0,40}\b(?:previous|prior|above|earlier|all|any|your|these|the)\b[^.?!]{0,20}\b(?:instructions?|prompts?|rules|directions|guidelines|context|messages?)\b/i,
  /\b(?:system|developer|hidden) (?:prompt|message|instructions?)\b/i,
  /\byou are (?:now|no longer) (?:an?|the|in)\b/i,
  /\b(?:as an ai|as a language model|language model|large language model|llm|chatgpt|assistant)\b[^.?!]{0,40}\b(?:must|should|will|always|never|say|respond|answer|output|reply)\b/i,
  /\b(?:respond|reply|answer|output)\s+(?:only\s+)?(?:with|by saying)\b/i,
  /\bnew instructions?\s*:/i,
  /\b(?:jailbreak|prompt injection)\b/i,
];

/**
 * Whether a source sentence reads as an instruction to a machine. Markup in a source is not judged
 * here: every renderer escapes it, so it shows as the text it is.
 * @param sentence one sentence of a source document
 */
export function isInstructionLike(sentence: string): boolean {
  return INSTRUCTION_PATTERNS.some((pattern) => pattern.test(sentence));
}
