import type { Facet } from './layouts.js';

// A sentence that advises against something is about who must not have it, whatever its section.
const ADVISES_AGAINST =
  /\b(contraindicat\w*|should not|must not|do not (?:offer|use|give|perform)|not be (?:performed|offered|used)|recommends? against)\b/i;

/**
 * The sentence-facet classifier: which facet of a layout a sentence answers. Advice against
 * decides first; then the heading of the section the sentence sits in; then cue words in the
 * sentence itself. Undefined when nothing fits. Pure rules, measured on a hand-labelled set
 * (`npm run bench:facets`).
 *
 * @param heading the heading of the sentence's section ('' when unknown)
 * @param text the sentence
 * @param facets the layout's facets, in the order they are tried
 */
export function classifyFacet(
  heading: string,
  text: string,
  facets: readonly Facet[],
): { facet: Facet; byHeading: boolean } | undefined {
  const against = ADVISES_AGAINST.test(text) ? facets.find((f) => f.id === 'contraindications') : undefined;
  if (against) return { facet: against, byHeading: false };
  const byHeading = heading === '' ? undefined : facets.find((f) => f.headingCue.test(heading));
  if (byHeading) return { facet: byHeading, byHeading: true };
  // Cue words compete: limits and harms are tried before benefits, which most sentences mention.
  const ordered = [...facets].sort((a, b) => priority(a.id) - priority(b.id));
  const bySentence = ordered.find((f) => f.sentenceCue.test(text));
  return bySentence ? { facet: bySentence, byHeading: false } : undefined;
}

const CUE_PRIORITY = [
  'contraindications',
  'limitations',
  'risks',
  'selection',
  'technique',
  'practical',
  'outcomes',
  'rationale',
];

function priority(id: string): number {
  const i = CUE_PRIORITY.indexOf(id);
  return i < 0 ? CUE_PRIORITY.length : i;
}

export interface FacetScore {
  facet: string;
  precision: number;
  recall: number;
  support: number;
}

/**
 * Precision and recall per facet of predictions against gold labels ("none" = no facet), and
 * accuracy over all sentences.
 */
export function scoreFacets(pairs: ReadonlyArray<{ gold: string; predicted: string }>): {
  perFacet: FacetScore[];
  accuracy: number;
} {
  const facets = [...new Set(pairs.flatMap((p) => [p.gold, p.predicted]))].filter((f) => f !== 'none').sort();
  const perFacet = facets.map((facet) => {
    const tp = pairs.filter((p) => p.gold === facet && p.predicted === facet).length;
    const predicted = pairs.filter((p) => p.predicted === facet).length;
    const support = pairs.filter((p) => p.gold === facet).length;
    return {
      facet,
      precision: predicted === 0 ? 0 : tp / predicted,
      recall: support === 0 ? 0 : tp / support,
      support,
    };
  });
  const correct = pairs.filter((p) => p.gold === p.predicted).length;
  return { perFacet, accuracy: pairs.length === 0 ? 0 : correct / pairs.length };
}
