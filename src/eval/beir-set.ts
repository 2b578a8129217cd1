import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { EvidentiaError } from '../domain/errors.js';
import { kindFromText } from '../domain/evidence-kind.js';
import { layoutSections, type SourceDocumentInput } from '../domain/source.js';
import { BeirCorpusRow, beirRowToDocument } from '../ingest/beir/beir-importer.js';
import { readJsonl } from '../ingest/common/jsonl.js';
import { openText } from '../ingest/common/open-text.js';
import { splitLines } from '../ingest/common/jsonl.js';
import { createIdDeduper } from '../ingest/common/unique-ids.js';
import { parseRecord } from '../ingest/common/parse-record.js';
import type { Judgements } from './retrieval-metrics.js';

/** A document of an evaluation corpus, in the library's form and as plain text for the baseline. */
export interface EvalDocument {
  /** The corpus's own id (what the judgements name). */
  corpusId: string;
  document: SourceDocumentInput;
}

export interface EvalQuery {
  id: string;
  text: string;
}

/** A retrieval test collection: a corpus read on demand, queries and graded judgements. */
export interface EvalSet {
  name: string;
  documents: () => AsyncIterable<EvalDocument>;
  queries: EvalQuery[];
  qrels: Map<string, Judgements>;
}

const QueryRow = z.object({ _id: z.union([z.string().min(1), z.number()]).transform(String), text: z.string() });

/** The library id of an evaluation document: kept apart from anything else in the library. */
export function evalDocumentId(setName: string, corpusId: string): string {
  return `eval:${setName}:${corpusId}`;
}

/** The corpus id back from a library id made by evalDocumentId. */
export function corpusIdOf(setName: string, documentId: string): string {
  const prefix = `eval:${setName}:`;
  return documentId.startsWith(prefix) ? documentId.slice(prefix.length) : documentId;
}

/**
 * Opens a retrieval collection: a BEIR folder (corpus.jsonl, queries.jsonl, qrels.tsv, maybe
 * gzipped) or the PubMedQA folder (see loadPubmedQaSet).
 * @param dir the folder
 */
export async function loadEvalSet(dir: string): Promise<EvalSet> {
  if (!existsSync(dir)) throw new EvidentiaError('FILE_NOT_FOUND', `no such folder: ${dir}`);
  if (existsSync(join(dir, 'pqal_corpus_contexts.jsonl'))) return loadPubmedQaSet(dir);
  const corpus = findFile(dir, 'corpus.jsonl');
  const name = basename(dir.replace(/\/+$/, '')) || 'beir';
  const queries: EvalQuery[] = [];
  const queriesPath = findFile(dir, 'queries.jsonl');
  for await (const record of readJsonl(queriesPath)) {
    const row = parseRecord(QueryRow, queriesPath, record);
    queries.push({ id: row._id, text: row.text });
  }
  const qrels = await readQrels(findFile(dir, 'qrels.tsv'));
  return {
    name,
    queries: queries.filter((q) => qrels.has(q.id)),
    qrels,
    documents: async function* () {
      // A corpus may repeat an id (MedQuAD does); the first keeps it, later ones become `id~2`….
      const unique = createIdDeduper();
      for await (const record of readJsonl(corpus)) {
        const row = parseRecord(BeirCorpusRow, corpus, record);
        const corpusId = unique(row._id);
        yield { corpusId, document: beirRowToDocument(name, row, evalDocumentId(name, corpusId)) };
      }
    },
  };
}

function findFile(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  throw new EvidentiaError(
    'FILE_NOT_FOUND',
    `${dir} has no ${name}: expected a BEIR folder (corpus.jsonl, queries.jsonl, qrels.tsv)`,
  );
}

/**
 * Reads a BEIR qrels.tsv (`query-id corpus-id score`, header optional) into judgements.
 * @param path the file
 */
export async function readQrels(path: string): Promise<Map<string, Map<string, number>>> {
  const qrels = new Map<string, Map<string, number>>();
  for await (const { lineNumber, text } of splitLines(openText(path))) {
    const fields = text.trim().split('\t');
    if (fields.length < 3 || (lineNumber === 1 && Number.isNaN(Number(fields[2])))) continue;
    const [queryId, docId, score] = fields as [string, string, string];
    const grade = Number(score);
    if (Number.isNaN(grade)) continue;
    let judgements = qrels.get(queryId);
    if (!judgements) qrels.set(queryId, (judgements = new Map()));
    judgements.set(docId, grade);
  }
  return qrels;
}

const PubmedQaContext = z.object({
  pmid: z.union([z.string(), z.number()]).transform(String),
  contexts: z.array(z.string()),
  context_labels: z.array(z.string()).optional(),
  year: z.unknown(),
});
const PubmedQaQuestion = z.object({ pmid: z.union([z.string(), z.number()]).transform(String), question: z.string() });

/**
 * A retrieval view of PubMedQA: the 1,000 abstracts of pqal_corpus_contexts.jsonl are the corpus
 * (each labelled paragraph a section: BACKGROUND, METHODS, RESULTS…; no title), the questions of
 * pqal_trainval.jsonl are the queries, and each question's one relevant document is its own
 * abstract (grade 1).
 * @param dir the pubmedqa folder
 */
export async function loadPubmedQaSet(dir: string): Promise<EvalSet> {
  const name = 'pubmedqa';
  const contextsPath = join(dir, 'pqal_corpus_contexts.jsonl');
  const questionsPath = join(dir, 'pqal_trainval.jsonl');
  const queries: EvalQuery[] = [];
  const qrels = new Map<string, Judgements>();
  for await (const record of readJsonl(questionsPath)) {
    const row = parseRecord(PubmedQaQuestion, questionsPath, record);
    queries.push({ id: row.pmid, text: row.question });
    qrels.set(row.pmid, new Map([[row.pmid, 1]]));
  }
  return {
    name,
    queries,
    qrels,
    documents: async function* () {
      for await (const record of readJsonl(contextsPath)) {
        const row = parseRecord(PubmedQaContext, contextsPath, record);
        const { text, sections } = layoutSections(
          row.contexts.map((context, i) => ({ heading: row.context_labels?.[i] ?? '', text: context })),
        );
        const decision = kindFromText('', text);
        const year = Number(row.year);
        yield {
          corpusId: row.pmid,
          document: {
            id: evalDocumentId(name, row.pmid),
            kind: decision.kind,
            kindRule: decision.rule,
            title: '',
            year: Number.isInteger(year) ? year : undefined,
            text,
            sections,
            metadata: { pmid: row.pmid },
          },
        };
      }
    },
  };
}
