import type { Sentence } from '../../domain/passage.js';
import { jaccard, stemSet } from './text-match.js';

/** A statement eligible for conflict detection: its sentence and the reference it cites. */
export interface Claim {
  sentence: Sentence;
  refId: string;
}

export interface Conflict {
  text: string;
  citations: string[];
}

// A quantity with its unit, as sources state thresholds and durations ("6 months", "≥3 months", "40 mg").
const QUANTITY =
  /(?:≥|≤|>|<|at least |at most |more than |less than )?(\d+(?:\.\d+)?)\s*(months?|weeks?|years?|days?|hours?|mg|g|ml|mmhg|%|percent)\b/gi;
const NEGATED = /\b(?:not|no|against|do not|should not|does not|did not)\b/i;

function quantities(text: string): Array<{ value: number; unit: string; said: string }> {
  return [...text.matchAll(QUANTITY)].map((m) => ({
    value: Number(m[1]),
    unit: m[2]!.toLowerCase().replace(/s$/, '').replace('percent', '%'),
    said: m[0].trim(),
  }));
}

/**
 * Where sources disagree: two statements on the same subject (shared words above `minOverlap`)
 * from different references that give a different number for the same unit, or where one denies
 * what the other affirms. Each conflict names both sides and cites both sources.
 *
 * @param claims the candidate statements, strongest first
 * @param minOverlap Jaccard overlap of stems for two statements to be about the same thing
 */
export function findConflicts(claims: readonly Claim[], minOverlap = 0.25, max = 3): Conflict[] {
  const conflicts: Conflict[] = [];
  const seen = new Set<string>();
  const stems = claims.map((c) => stemSet(c.sentence.text));
  for (let i = 0; i < claims.length && conflicts.length < max; i++) {
    for (let j = i + 1; j < claims.length && conflicts.length < max; j++) {
      const a = claims[i]!;
      const b = claims[j]!;
      if (a.refId === b.refId || jaccard(stems[i]!, stems[j]!) < minOverlap) continue;
      const key = [a.refId, b.refId].sort().join('|');
      if (seen.has(key)) continue;
      const qa = quantities(a.sentence.text);
      const qb = quantities(b.sentence.text);
      const clash = qa.find((x) => qb.some((y) => y.unit === x.unit && y.value !== x.value));
      if (clash) {
        const other = qb.find((y) => y.unit === clash.unit && y.value !== clash.value)!;
        seen.add(key);
        conflicts.push({
          text: `Sources differ on a figure: one states ${clash.said}, another ${other.said}.`,
          citations: [a.refId, b.refId],
        });
        continue;
      }
      if (NEGATED.test(a.sentence.text) !== NEGATED.test(b.sentence.text) && jaccard(stems[i]!, stems[j]!) >= 0.4) {
        seen.add(key);
        conflicts.push({
          text: 'Sources differ in direction on this point: one affirms what another denies.',
          citations: [a.refId, b.refId],
        });
      }
    }
  }
  return conflicts;
}
