import vocabulary from './medical-vocabulary.json' with { type: 'json' };

/**
 * The medical vocabulary used for query expansion: abbreviations with their expansion, and
 * groups of lay and technical names for the same thing ("heart attack" ↔ "myocardial
 * infarction"). Written as data in medical-vocabulary.json.
 */
export interface MedicalVocabulary {
  abbreviations: Readonly<Record<string, string>>;
  synonyms: ReadonlyArray<readonly string[]>;
}

export const MEDICAL_VOCABULARY: MedicalVocabulary = vocabulary;

const TOKEN = /[\p{L}\p{N}]+(?:[-/][\p{L}\p{N}]+)*/gu;

// Patterns are built once per name: the vocabulary is checked on every question.
const patterns = new Map<string, RegExp>();
function containsPhrase(haystack: string, phrase: string): boolean {
  let pattern = patterns.get(phrase);
  if (!pattern) {
    const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u');
    patterns.set(phrase, pattern);
  }
  return pattern.test(haystack);
}

/**
 * Expansions of a question from the vocabulary. An abbreviation expands only when written with a
 * capital letter or a digit ("MS", "IL-6"), so everyday words ("who", "or") never do; a lay or
 * technical name found in the question brings in the other names of its group.
 * @param text the question as written
 * @param vocab the vocabulary (the built-in one unless given)
 * @returns expansions, each once, in the order found
 */
export function vocabularyExpansions(text: string, vocab: MedicalVocabulary = MEDICAL_VOCABULARY): string[] {
  const found: string[] = [];
  for (const token of text.match(TOKEN) ?? []) {
    if (!/[\p{Lu}\p{N}]/u.test(token)) continue;
    // "IL-6" is looked up whole, then by its head ("il" → interleukin).
    const lower = token.toLowerCase();
    const expansion = vocab.abbreviations[lower] ?? vocab.abbreviations[lower.split(/[-/]/)[0] ?? ''];
    if (expansion) found.push(expansion);
  }
  const lower = text.toLowerCase();
  for (const group of vocab.synonyms) {
    if (group.some((name) => containsPhrase(lower, name))) {
      for (const name of group) if (!containsPhrase(lower, name)) found.push(name);
    }
  }
  return [...new Set(found)];
}
