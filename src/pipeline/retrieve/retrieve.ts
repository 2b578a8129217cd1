import type { ScoredPassage } from '../../domain/passage.js';
import type { ParsedQuestion } from '../../domain/question.js';
import type { EvidenceKind } from '../../domain/source.js';
import type { LexicalQuery, PassageIndex } from '../../ports/store.js';

/** A document found for a question, with the passages that matched, best first. */
export interface RetrievedDocument {
  documentId: string;
  score: number;
  passages: ScoredPassage[];
}

export interface Retrieval {
  passages: ScoredPassage[];
  documents: RetrievedDocument[];
}

export interface RetrieveOptions {
  /** How many passages the index returns before grouping. */
  passageLimit: number;
  /** How many documents survive grouping. */
  documentLimit: number;
  /** Weight of a document's second-best passage added to its best (0 = best passage only). */
  secondPassageWeight: number;
  kinds?: readonly EvidenceKind[];
}

export const DEFAULT_RETRIEVE_OPTIONS: RetrieveOptions = {
  passageLimit: 80,
  documentLimit: 12,
  secondPassageWeight: 0.25,
};

/** Settings for measuring retrieval: a hundred documents per query, answer-path priors off. */
export function benchmarkRetrieveOptions(): RetrieveOptions {
  return { ...DEFAULT_RETRIEVE_OPTIONS, passageLimit: 400, documentLimit: 100 };
}

/** The lexical query for a question: its own terms, plus expansions and its focus as phrases. */
export function buildLexicalQuery(question: ParsedQuestion, options: RetrieveOptions): LexicalQuery {
  const clauses: Array<{ text: string; phrase?: boolean }> = question.terms.map((text) => ({ text }));
  for (const expansion of question.expansions) clauses.push({ text: expansion, phrase: true });
  if (question.focus.includes(' ')) clauses.push({ text: question.focus, phrase: true });
  return { clauses, limit: options.passageLimit, ...(options.kinds ? { kinds: options.kinds } : {}) };
}

/** Groups ranked passages by document; a document scores by its best passage plus a share of the next. */
export function groupByDocument(passages: readonly ScoredPassage[], options: RetrieveOptions): RetrievedDocument[] {
  const byDoc = new Map<string, ScoredPassage[]>();
  for (const p of passages) {
    const list = byDoc.get(p.documentId);
    if (list) list.push(p);
    else byDoc.set(p.documentId, [p]);
  }
  const documents = [...byDoc.entries()].map(([documentId, list]) => {
    list.sort((a, b) => b.score - a.score);
    const score = (list[0]?.score ?? 0) + options.secondPassageWeight * (list[1]?.score ?? 0);
    return { documentId, score, passages: list };
  });
  documents.sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
  return documents.slice(0, options.documentLimit);
}

/** The retrieve stage: full-text search over passages, grouped by document. */
export async function retrieve(
  question: ParsedQuestion,
  deps: { index: PassageIndex },
  options: RetrieveOptions = DEFAULT_RETRIEVE_OPTIONS,
): Promise<Retrieval> {
  const passages = await deps.index.searchPassages(buildLexicalQuery(question, options));
  return { passages, documents: groupByDocument(passages, options) };
}
