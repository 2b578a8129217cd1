import type { SourceRecommendation } from '../../domain/source.js';

/**
 * A recommendation found in a guideline's text, with where it sits. Strength and certainty are
 * the issuer's own words ("B recommendation", "Strong For", "Weak Recommendation" with
 * "Low-Quality Evidence"); they are never translated into another grading system.
 */
export interface ExtractedRecommendation extends SourceRecommendation {
  /** Offsets of the statement in the document text: `text.slice(start, end) === statement`. */
  start: number;
  end: number;
  /** Where the grade label ends: `text.slice(start, labelEnd)` is the statement with its grade. */
  labelEnd: number;
  /** The grading system the label belongs to, for reviewers ("USPSTF grade", "VA/DoD"…). */
  system: string;
}

interface LabelReading {
  strength: string;
  certainty?: string;
  direction?: SourceRecommendation['direction'];
  system: string;
}

/**
 * Readers for the grade labels guidelines put after a statement, in parentheses or brackets.
 * Each returns the verbatim strength (and certainty) or null when the label is not a grade.
 * `bracketOnly` readers accept a bare letter only inside square brackets ("[B]"), where it
 * cannot be a list marker.
 */
const LABEL_READERS: ReadonlyArray<{ bracketOnly?: boolean; read: (inner: string) => LabelReading | null }> = [
  {
    // USPSTF: "(B recommendation)", "(I statement)"; D advises against, I is no advice either way.
    read: (inner) => {
      const m = /^([ABCDI]) (recommendation|statement)$/i.exec(inner);
      if (!m) return null;
      const grade = m[1]!.toUpperCase();
      const direction = grade === 'D' ? 'against' : grade === 'I' ? 'none' : 'for';
      return { strength: inner, direction, system: 'USPSTF grade' };
    },
  },
  {
    // VA/DoD: "(Strong For)", "(Weak Against; Reviewed, New-replaced)"; the review note is not the grade.
    read: (inner) => {
      const m = /^((?:Strong|Weak|Conditional) (?:For|Against))(?:\s*;.*)?$/i.exec(inner);
      if (!m) return null;
      return {
        strength: m[1]!,
        direction: /against/i.test(m[1]!) ? 'against' : 'for',
        system: 'VA/DoD strength',
      };
    },
  },
  {
    // GRADE-style: "(Strong Recommendation, Low-Quality Evidence)", "(conditional recommendation, moderate certainty)".
    read: (inner) => {
      const m =
        /^((?:Strong|Moderate|Weak|Conditional|Discretionary|Qualified) Recommendation)(?:\s*[,;]\s*(.+))?$/i.exec(
          inner,
        );
      if (!m) return null;
      return { strength: m[1]!, ...(m[2] ? { certainty: m[2].trim() } : {}), system: 'GRADE-style strength' };
    },
  },
  {
    // CDC opioid guideline: "(recommendation category: A, evidence type: 3)".
    read: (inner) => {
      const m = /^(recommendation category:\s*[AB])\s*,\s*(evidence type:\s*\d)$/i.exec(inner);
      return m ? { strength: m[1]!, certainty: m[2]!, system: 'CDC category and evidence type' } : null;
    },
  },
  {
    // CDC infection control: "(Category IA)", "(Category II)".
    read: (inner) =>
      /^Category (?:IA|IB|IC|II|ID)$/.test(inner) ? { strength: inner, system: 'CDC/HICPAC category' } : null,
  },
  {
    // ACC/AHA: "(Class I, Level of Evidence: B)", "(Class IIa; LOE B)".
    read: (inner) => {
      const m =
        /^(Class (?:I|IIa|IIb|III)(?:[:\s]+(?:No Benefit|Harm))?)\s*[,;]\s*((?:Level of Evidence|LOE):?\s*[ABC](?:-\w+)?)$/i.exec(
          inner,
        );
      if (!m) return null;
      return {
        strength: m[1]!,
        certainty: m[2]!,
        ...(/^Class III/i.test(m[1]!) ? { direction: 'against' as const } : {}),
        system: 'ACC/AHA class and level',
      };
    },
  },
  {
    // "(Level A)", "(Grade B)", "(SOR: C)", "(Strength of recommendation: B)".
    read: (inner) =>
      /^(?:Level|Grade|SOR|Strength of recommendation)[:\s]+[A-D]\b[^()]{0,30}$/i.test(inner)
        ? { strength: inner, system: 'letter level' }
        : null,
  },
  {
    // Consensus without graded evidence: "(Consensus–Panel Expertise)", "(Expert Opinion)".
    read: (inner) =>
      /^(?:Consensus[–-]Panel Expertise|Expert Opinion|Expert Consensus|Good Practice Point)$/i.test(inner)
        ? { strength: inner, system: 'consensus' }
        : null,
  },
  {
    // A grade letter in square brackets after a statement: "[B]", "[EO]", "[I]".
    bracketOnly: true,
    read: (inner) =>
      /^(?:[ABCDI]|EO)$/.test(inner)
        ? { strength: inner, ...(inner === 'I' ? { direction: 'none' as const } : {}), system: 'letter grade' }
        : null,
  },
];

/** Reads a label's inside; `bracket` says whether it was in square brackets. */
export function readGradeLabel(inner: string, bracket: boolean): LabelReading | null {
  const text = inner.replace(/\s+/g, ' ').trim();
  for (const reader of LABEL_READERS) {
    if (reader.bracketOnly && !bracket) continue;
    const reading = reader.read(text);
    if (reading) return reading;
  }
  return null;
}

// "Do not" advises against only as an imperative; inside a clause ("who do not respond") it describes people.
const AGAINST =
  /\b(recommends? against|suggests? against|advises? against|should not|must not|does not recommend|is not recommended|are not recommended|not be (?:used|offered|performed|given|prescribed))\b|(?:^|[.;:]\s+)(?:do not|avoid)\b/i;
const INSUFFICIENT = /\b(insufficient (?:evidence|to)|unable to recommend|no recommendation (?:for|against))\b/i;

/** Direction from the statement's own words, when its label does not fix it. */
export function directionOf(statement: string): SourceRecommendation['direction'] {
  if (INSUFFICIENT.test(statement)) return 'none';
  if (AGAINST.test(statement)) return 'against';
  return 'for';
}

// Parenthesised or bracketed labels with no nested brackets, short enough to be a grade.
const LABEL = /\(([^()\n]{1,80})\)|\[([^[\]\n]{1,40})\]/g;
const LIST_MARKER = /^(?:[-*•·▪–]\s+|\(?\d{1,2}[a-z]?[.)]\s+|\(?[a-z][.)]\s+)/;
const MAX_STATEMENT_CHARS = 1200;

/** Where the statement a label grades begins, given the label's start and a lower bound. */
function statementStart(text: string, labelStart: number, floor: number): number {
  const lineStart = Math.max(floor, text.lastIndexOf('\n', labelStart - 1) + 1);
  if (text.slice(lineStart, labelStart).trim() !== '') return lineStart;
  // The label stands on its own line: it grades the list above it and the line introducing it.
  let cursor = lineStart;
  let start = lineStart;
  while (cursor > floor) {
    const prevEnd = cursor - 1;
    const prevStart = Math.max(floor, text.lastIndexOf('\n', prevEnd - 1) + 1);
    const line = text.slice(prevStart, prevEnd).trim();
    cursor = prevStart;
    if (line === '') continue;
    start = prevStart;
    // The line that introduces the list ends it, whether or not it is itself a list item.
    if (!LIST_MARKER.test(line) || line.endsWith(':')) break;
  }
  return start;
}

/** Trims white space and list markers from [start, end) of text. */
function trimmed(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text.charAt(start))) start++;
  // A provenance note before the grade ("(Modified from the 2010 CPG …)") is not part of the advice.
  for (;;) {
    const tail =
      /\s*\((?:Modified|Carryover|Carried|See|Reviewed|Adapted|Not changed)[^()]*\)\s*$|\s+(?:Modified|Carried over|Adapted) from [^.()]*\.\s*$/i.exec(
        text.slice(start, end),
      );
    if (!tail) break;
    end -= tail[0].length;
  }
  const marker = LIST_MARKER.exec(text.slice(start, Math.min(end, start + 8)));
  if (marker) start += marker[0].length;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /[\s,;:]/.test(text.charAt(end - 1))) end--;
  return { start, end };
}

/**
 * Finds graded recommendations in a span of guideline text: every statement followed by a grade
 * label a known system uses. The statement runs from the start of its line (or the previous
 * label on the same line) to the label; a label alone on its line grades the list above it.
 * Pure; offsets are into `text`.
 *
 * @param text the document text
 * @param from where the recommendations part starts (default 0)
 * @param to where it ends (default the end of the text)
 */
export function extractRecommendations(text: string, from = 0, to = text.length): ExtractedRecommendation[] {
  const found: ExtractedRecommendation[] = [];
  const part = text.slice(from, to);
  let floor = from;
  for (const m of part.matchAll(LABEL)) {
    const labelStart = from + m.index;
    const labelEnd = labelStart + m[0].length;
    const reading = readGradeLabel(m[1] ?? m[2]!, m[2] !== undefined);
    if (!reading) continue;
    const span = trimmed(text, statementStart(text, labelStart, floor), labelStart);
    floor = labelEnd;
    const statement = text.slice(span.start, span.end);
    if (statement.length < 15 || statement.length > MAX_STATEMENT_CHARS || !/[a-z]{3}/.test(statement)) continue;
    // Definitions tables ("Grade | Definition") name grades; they do not recommend anything.
    if (/\|/.test(statement)) continue;
    found.push({
      statement,
      start: span.start,
      end: span.end,
      labelEnd,
      direction: reading.direction ?? directionOf(statement),
      strength: reading.strength,
      ...(reading.certainty ? { certainty: reading.certainty } : {}),
      system: reading.system,
    });
  }
  return found;
}

const RECOMMENDATION_HEADINGS = /^(major )?recommendations?\b|^summary of recommendations/i;

/**
 * The recommendations of a guideline document: those it already carries (front matter), else
 * those found in its recommendations section, else in its whole text.
 */
export function guidelineRecommendations(document: {
  text: string;
  sections: ReadonlyArray<{ heading: string; start: number; end: number }>;
}): ExtractedRecommendation[] {
  const sections = document.sections.filter((s) => RECOMMENDATION_HEADINGS.test(s.heading));
  if (sections.length === 0) return extractRecommendations(document.text);
  return sections.flatMap((s) => extractRecommendations(document.text, s.start, s.end));
}
