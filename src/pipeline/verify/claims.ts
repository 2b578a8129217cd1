/**
 * Numbers as written in a statement, normalised so "1,000", "1000" and "52.9%" compare by value
 * text ("1000", "52.9"). Years, doses, percentages and counts are all numbers here.
 */
export function numbersIn(text: string): string[] {
  const found = text.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
  return found.map((n) => n.replace(/,(?=\d{3}\b)/g, '').replace(/\.0+$/, ''));
}

// Words that set the direction of a claim: a bullet must not say "increase" where its source says "decrease".
const DIRECTION_WORDS = [
  'increase',
  'increased',
  'increases',
  'decrease',
  'decreased',
  'decreases',
  'reduce',
  'reduced',
  'reduces',
  'higher',
  'lower',
  'more',
  'less',
  'fewer',
  'against',
  'not',
  'no',
  'never',
  'without',
  'worse',
  'better',
];
const NEGATIONS = new Set(['not', 'no', 'never', 'without']);
const DIRECTION_RE = new RegExp(`\\b(${DIRECTION_WORDS.join('|')})\\b`, 'gi');

export function directionWordsIn(text: string): string[] {
  return (text.match(DIRECTION_RE) ?? []).map((w) => w.toLowerCase());
}

/** What a statement claims that its quotes do not contain; empty when fully supported. */
export function unsupportedParts(statement: string, quotes: readonly string[]): string[] {
  const source = quotes.join(' ');
  const sourceNumbers = new Set(numbersIn(source));
  const sourceDirections = new Set(directionWordsIn(source));
  const missing: string[] = [];
  for (const n of numbersIn(statement)) if (!sourceNumbers.has(n)) missing.push(`number ${n}`);
  const statementDirections = directionWordsIn(statement);
  for (const w of statementDirections) if (!sourceDirections.has(w)) missing.push(`direction word "${w}"`);
  // Dropping the source's negation turns a finding around just as surely as adding a word.
  const negated = (words: Iterable<string>) => [...words].some((w) => NEGATIONS.has(w));
  if (negated(sourceDirections) && !negated(statementDirections)) missing.push('the negation of its source');
  return [...new Set(missing)];
}
