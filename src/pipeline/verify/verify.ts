import type { Bullet, Recommendation, SupportSpan, Verification } from '../../domain/article.js';
import type { StoredDocument } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { DocumentStore } from '../../ports/store.js';
import type { Draft } from '../compose/draft.js';
import { unsupportedParts } from './claims.js';

type Failure = Verification['failures'][number];

/**
 * The verify stage. Every bullet and the direct answer must cite known references, every
 * support span must be the exact text of its document at those offsets, and every number and
 * direction word must occur in the cited spans. Recommendations must appear in the text of the
 * document they cite. What fails is dropped from the article and listed for reviewers.
 */
export async function verify(
  draft: Draft,
  deps: { store: Pick<DocumentStore, 'getDocuments'> },
): Promise<{
  draft: Draft;
  verification: Verification;
}> {
  const spanDocs = [
    ...draft.sections.flatMap((s) => s.bullets.flatMap((b) => b.support.map((x) => x.documentId))),
    ...(draft.directAnswer.support ?? []).map((x) => x.documentId),
    ...draft.references.map((r) => r.documentId),
  ];
  const documents = await deps.store.getDocuments(spanDocs);
  const refDocs = new Map(draft.references.map((r) => [r.id, r.documentId]));
  const failures: Failure[] = [];
  let checked = 0;

  const problemsOf = (text: string, citations: readonly string[], support: readonly SupportSpan[]): string[] => {
    const problems: string[] = [];
    if (citations.length === 0) problems.push('no citation');
    const cited = new Set<string>();
    for (const c of citations) {
      const documentId = refDocs.get(c);
      if (documentId === undefined) problems.push(`cites unknown reference ${c}`);
      else cited.add(documentId);
    }
    for (const span of support) {
      if (!cited.has(span.documentId)) problems.push(`support from ${span.documentId}, which it does not cite`);
      const doc = documents.get(span.documentId);
      if (!doc) problems.push(`support document ${span.documentId} is not in the library`);
      else if (doc.text.slice(span.start, span.end) !== span.quote) {
        problems.push(`support span ${span.documentId}[${span.start}, ${span.end}) does not match its quote`);
      }
    }
    problems.push(
      ...unsupportedParts(
        text,
        support.map((s) => s.quote),
      ).map((p) => `${p} not in the cited source`),
    );
    return problems;
  };

  const sections = draft.sections
    .map((section) => ({
      ...section,
      bullets: section.bullets.filter((bullet: Bullet) => {
        checked++;
        const problems = problemsOf(bullet.text, bullet.citations, bullet.support);
        if (problems.length > 0) failures.push({ text: bullet.text, reason: problems.join('; ') });
        return problems.length === 0;
      }),
    }))
    .filter((section) => section.bullets.length > 0);

  let directAnswer = draft.directAnswer;
  if (directAnswer.support && directAnswer.support.length > 0) {
    checked++;
    const problems = problemsOf(directAnswer.text, directAnswer.citations, directAnswer.support);
    if (problems.length > 0) {
      failures.push({ text: directAnswer.text, reason: problems.join('; ') });
      directAnswer = {
        text: 'No statement could be verified as a direct answer; see the sections below.',
        citations: [],
      };
    }
  }

  const recommendations = draft.recommendations.filter((r: Recommendation) => {
    checked++;
    const problem = recommendationProblem(r, refDocs, documents);
    if (problem) failures.push({ text: r.statement, reason: problem });
    return problem === null;
  });

  return {
    draft: { ...draft, directAnswer, sections, recommendations },
    verification: { checked, dropped: failures.length, failures },
  };
}

function recommendationProblem(
  r: Recommendation,
  refDocs: ReadonlyMap<string, string>,
  documents: ReadonlyMap<string, StoredDocument>,
): string | null {
  const citation = r.citations[0];
  const documentId = citation === undefined ? undefined : refDocs.get(citation);
  if (documentId === undefined) return 'recommendation cites no known reference';
  const doc = documents.get(documentId);
  if (!doc) return `recommendation source ${documentId} is not in the library`;
  const haystack = squash(doc.text).toLowerCase();
  // The statement may end where the source goes on with its grade: "… conservative care (Strong …)."
  const needle = squash(r.statement)
    .toLowerCase()
    .replace(/[.;:]+$/, '');
  return haystack.includes(needle) ? null : `recommendation statement does not occur in ${documentId}`;
}
