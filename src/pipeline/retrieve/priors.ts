import type { EvidenceKind, StoredDocument } from '../../domain/source.js';
import type { ScoredDocument } from '../../ports/store.js';

export interface PriorOptions {
  /** How much the evidence kind can raise a score (0 = off): score × (1 + weight × kind prior). */
  kindWeight: number;
  /** How much recency can raise a score (0 = off): score × (1 + weight × 0.5^(age / half-life)). */
  recencyWeight: number;
  /** Years after which the recency bonus halves. */
  recencyHalfLifeYears: number;
}

export const NO_PRIORS: PriorOptions = { kindWeight: 0, recencyWeight: 0, recencyHalfLifeYears: 10 };

/** How strongly each kind of evidence tends to answer a clinical question (0–1). */
export const KIND_PRIOR: Readonly<Record<EvidenceKind, number>> = {
  guideline: 1,
  'systematic-review': 0.9,
  'meta-analysis': 0.9,
  'local-protocol': 0.8,
  rct: 0.7,
  cohort: 0.5,
  'consumer-health': 0.5,
  'case-control': 0.4,
  'narrative-review': 0.4,
  'case-series': 0.3,
  other: 0.2,
};

/**
 * Re-ranks documents by evidence kind and recency. Age is counted from the newest year among
 * the candidates, so the result depends only on the inputs; a document without a year gets no
 * recency bonus.
 * @param ranked documents with retrieval scores
 * @param documents the stored documents (kind, year)
 * @param options prior weights
 */
export function applyPriors(
  ranked: readonly ScoredDocument[],
  documents: ReadonlyMap<string, Pick<StoredDocument, 'kind' | 'year'>>,
  options: PriorOptions,
): ScoredDocument[] {
  const years = ranked.map((d) => documents.get(d.documentId)?.year).filter((y): y is number => y !== undefined);
  const newest = years.length > 0 ? Math.max(...years) : undefined;
  return ranked
    .map((d) => {
      const doc = documents.get(d.documentId);
      if (!doc) return d;
      const kind = options.kindWeight * KIND_PRIOR[doc.kind];
      const recency =
        doc.year !== undefined && newest !== undefined
          ? options.recencyWeight * 0.5 ** ((newest - doc.year) / options.recencyHalfLifeYears)
          : 0;
      return { documentId: d.documentId, score: d.score * (1 + kind + recency) };
    })
    .sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
}
