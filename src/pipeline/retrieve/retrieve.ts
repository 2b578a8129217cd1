import type { ScoredPassage } from '../../domain/passage.js';
import type { ParsedQuestion } from '../../domain/question.js';
import type { EvidenceKind } from '../../domain/source.js';
import type {
  DocumentStore,
  LexicalQuery,
  LibraryVocabulary,
  PassageIndex,
  ScoredDocument,
} from '../../ports/store.js';
import { fuseWithDense, type DenseRetrieval } from './dense.js';
import { applyPriors, NO_PRIORS, type PriorOptions } from './priors.js';
import { feedbackClauses, type FeedbackOptions } from './feedback.js';
import { librarySpellings, type Respelling } from './library-spelling.js';
import { keyPresence, rerankByPoolRarity, wordKeys, type PoolRarityOptions } from './pool-rarity.js';
import { queryClauses, type QueryClause } from './query-terms.js';
import { sectionCues } from './section-cues.js';

/** A document found for a question, with the passages that matched, best first. */
export interface RetrievedDocument {
  documentId: string;
  score: number;
  passages: ScoredPassage[];
}

export interface Retrieval {
  passages: ScoredPassage[];
  documents: RetrievedDocument[];
  /** Question words the library does not hold, searched for as a near term it does. */
  respelled: Respelling[];
}

export interface RetrieveOptions {
  /** How many passages the passage index returns (0 = rank whole documents only, attach no passages). */
  passageLimit: number;
  /** How many documents the stage returns. */
  documentLimit: number;
  /** Weight of a document's second-best passage added to its best (0 = best passage only). */
  secondPassageWeight: number;
  /** Rank documents by whole-document BM25; otherwise by their passages grouped. */
  documentSearch: boolean;
  /** BM25 weights of the title, the section heading(s) and the body. */
  fieldWeights: { title: number; heading: number; body: number };
  questionStopWords: boolean;
  biomedicalTokens: boolean;
  /** Adjacent content words also as phrases. */
  wordPairs: boolean;
  /** Add the question's expansions (abbreviations, lay ↔ technical synonyms) as phrases. */
  expansion: boolean;
  /** Match a consumer question's cue (symptoms, causes…) to section headings. */
  sectionCues: boolean;
  feedback: FeedbackOptions;
  /** Re-order the best documents by how much of the question's pool-rare words they contain. */
  poolRarity: PoolRarityOptions;
  /** Evidence-kind and recency priors: for the answer path; off when measuring retrieval. */
  priors: PriorOptions;
  kinds?: readonly EvidenceKind[];
}

/** The measured configuration, shared by the answer path and the benchmark (which turns priors off). */
export const DEFAULT_RETRIEVE_OPTIONS: RetrieveOptions = {
  passageLimit: 80,
  documentLimit: 12,
  secondPassageWeight: 0.25,
  documentSearch: true,
  fieldWeights: { title: 20, heading: 10, body: 1 },
  questionStopWords: true,
  biomedicalTokens: true,
  wordPairs: false,
  expansion: false,
  sectionCues: true,
  feedback: { enabled: false, documents: 5, terms: 10, weight: 0.3 },
  poolRarity: { enabled: true, pool: 100, weight: 0.7 },
  priors: NO_PRIORS,
};

/** Settings for measuring retrieval: a hundred documents per query, no passages, priors off. */
export function benchmarkRetrieveOptions(): RetrieveOptions {
  return { ...DEFAULT_RETRIEVE_OPTIONS, passageLimit: 0, documentLimit: 100, priors: NO_PRIORS };
}

/**
 * The lexical query for a question: its own terms, its expansions as phrases, and the section
 * headings its cue asks for.
 * @param question the understood question
 * @param options which components are on
 * @param limit how many results the index returns
 * @param respelled question words the library lacks, searched for as the library's near terms
 */
export function buildLexicalQuery(
  question: ParsedQuestion,
  options: RetrieveOptions,
  limit: number,
  respelled: readonly Respelling[] = [],
): LexicalQuery {
  const own = [...queryClauses(question.text, options), ...respelled.map((r) => ({ text: r.searched }))];
  // With section cues on, headings answer only the cue: a question's own words match title and body.
  const clauses: QueryClause[] = own.map((c) => (options.sectionCues ? { ...c, field: 'content' as const } : c));
  if (options.expansion) for (const expansion of question.expansions) clauses.push({ text: expansion, phrase: true });
  if (options.sectionCues)
    for (const heading of sectionCues(question.text)) clauses.push({ text: heading, phrase: true, field: 'heading' });
  return {
    clauses,
    fieldWeights: options.fieldWeights,
    limit,
    ...(options.kinds ? { kinds: options.kinds } : {}),
  };
}

/**
 * Groups ranked passages by document; a document scores by its best passage plus a share of the next.
 * @param passages passages, any order
 * @param secondPassageWeight share of the second-best passage's score added to the best
 * @param limit how many documents to keep
 */
export function groupByDocument(
  passages: readonly ScoredPassage[],
  secondPassageWeight: number,
  limit: number,
): RetrievedDocument[] {
  const byDoc = new Map<string, ScoredPassage[]>();
  for (const p of passages) {
    const list = byDoc.get(p.documentId);
    if (list) list.push(p);
    else byDoc.set(p.documentId, [p]);
  }
  const documents = [...byDoc.entries()].map(([documentId, list]) => {
    list.sort((a, b) => b.score - a.score);
    const score = (list[0]?.score ?? 0) + secondPassageWeight * (list[1]?.score ?? 0);
    return { documentId, score, passages: list };
  });
  documents.sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
  return documents.slice(0, limit);
}

/**
 * Adds a second ranking's scores, scaled, to a first (documents only in the second join it).
 * @param first the main ranking
 * @param second the feedback ranking
 * @param weight how much the second counts
 */
export function combineScores(
  first: readonly ScoredDocument[],
  second: readonly ScoredDocument[],
  weight: number,
): ScoredDocument[] {
  const scores = new Map(first.map((d) => [d.documentId, d.score]));
  for (const d of second) scores.set(d.documentId, (scores.get(d.documentId) ?? 0) + weight * d.score);
  return [...scores.entries()]
    .map(([documentId, score]) => ({ documentId, score }))
    .sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
}

/**
 * Re-orders the best documents of a ranking by pool rarity (see pool-rarity.ts), matching the
 * question's content words in each document's title, section headings and text.
 * @param ranked the lexical ranking, best first
 * @param options the stage settings (stop words, pool size, weight)
 */
async function rerankPool(
  question: ParsedQuestion,
  ranked: ScoredDocument[],
  documents: Pick<DocumentStore, 'getSearchTexts'>,
  options: RetrieveOptions,
  respelled: readonly Respelling[],
): Promise<ScoredDocument[]> {
  const words = queryClauses(question.text, { ...options, biomedicalTokens: false, wordPairs: false });
  const keys = wordKeys([...words.map((c) => c.text), ...respelled.map((r) => r.searched)]);
  if (keys.length < 2) return ranked;
  const pool = ranked.slice(0, options.poolRarity.pool);
  const ids = pool.map((d) => d.documentId);
  const texts = await documents.getSearchTexts(ids);
  return rerankByPoolRarity(
    ranked,
    keyPresence(
      ids.map((id) => texts.get(id) ?? ''),
      keys,
    ),
    options.poolRarity.weight,
  );
}

/**
 * The retrieve stage: whole-document BM25 (or passages grouped by document) with the question's
 * terms, expansions and section cues; optional pseudo-relevance feedback and answer-path priors;
 * the matching passages attached to each document.
 */
export async function retrieve(
  question: ParsedQuestion,
  deps: {
    index: PassageIndex;
    documents?: Pick<DocumentStore, 'getDocuments' | 'getSearchTexts'>;
    dense?: DenseRetrieval;
    /** The library's vocabulary: question words it lacks are also searched for as a near term it holds. */
    vocabulary?: LibraryVocabulary;
  },
  options: RetrieveOptions = DEFAULT_RETRIEVE_OPTIONS,
): Promise<Retrieval> {
  const respelled = deps.vocabulary ? await librarySpellings(question.text, options, deps.vocabulary) : [];
  const needsDocuments = options.feedback.enabled || options.priors.kindWeight > 0 || options.priors.recencyWeight > 0;
  const rarity = options.poolRarity.enabled && deps.documents !== undefined;
  const candidates = Math.max(
    options.documentLimit,
    needsDocuments || deps.dense ? 100 : 0,
    rarity ? options.poolRarity.pool : 0,
  );
  const passages =
    options.passageLimit > 0 || !options.documentSearch
      ? await deps.index.searchPassages(
          buildLexicalQuery(question, options, Math.max(options.passageLimit, 400), respelled),
        )
      : [];
  let ranked: ScoredDocument[] = options.documentSearch
    ? await deps.index.searchDocuments(buildLexicalQuery(question, options, candidates, respelled))
    : groupByDocument(passages, options.secondPassageWeight, candidates);

  if (options.feedback.enabled && deps.documents && ranked.length > 0) {
    const top = await deps.documents.getDocuments(ranked.slice(0, options.feedback.documents).map((d) => d.documentId));
    const own = buildLexicalQuery(question, options, candidates, respelled);
    const extra = feedbackClauses(
      ranked
        .slice(0, options.feedback.documents)
        .map((d) => ({ text: top.get(d.documentId)?.text ?? '', score: d.score })),
      own.clauses.map((c) => c.text),
      options.feedback,
    );
    if (extra.length > 0) {
      const second = await deps.index.searchDocuments({ ...own, clauses: [...own.clauses, ...extra] });
      ranked = combineScores(ranked, second, options.feedback.weight);
    }
  }
  if (rarity && deps.documents && ranked.length > 1)
    ranked = await rerankPool(question, ranked, deps.documents, options, respelled);
  // Dense retrieval, when configured, is fused with the lexical ranking by rank.
  if (deps.dense) ranked = await fuseWithDense(question.text, ranked, deps.dense, candidates, options.kinds);
  if (needsDocuments && deps.documents && (options.priors.kindWeight > 0 || options.priors.recencyWeight > 0)) {
    const docs = await deps.documents.getDocuments(ranked.map((d) => d.documentId));
    ranked = applyPriors(ranked, docs, options.priors);
  }

  const byDoc = new Map<string, ScoredPassage[]>();
  for (const p of passages) {
    const list = byDoc.get(p.documentId);
    if (list) list.push(p);
    else byDoc.set(p.documentId, [p]);
  }
  const documents = ranked.slice(0, options.documentLimit).map((d) => ({
    documentId: d.documentId,
    score: d.score,
    passages: (byDoc.get(d.documentId) ?? []).sort((a, b) => b.score - a.score),
  }));
  return { passages: passages.slice(0, options.passageLimit), documents, respelled };
}
