/**
 * Abstention on yes/no questions both ways: `npm run bench:stance-abstention`. Builds two
 * temporary libraries from bioasq_dev — the whole corpus, and the corpus without the gold
 * documents of every yes/no question — and for each answer-coverage floor a yes/no question
 * might be given (the article's own floor first) prints, over all yes/no questions with a gold
 * answer: how many are answered with their gold documents present and how many of those stances
 * the shipped model reads right (abstentions counted wrong, as `eval answers` counts them), and
 * how many are still answered with their gold documents gone. Questions answered at the article's
 * floor keep their stance; only those it abstains on are read at the lower floor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { corpusWithout, goldYesNo, loadBioasqQuestions } from '../src/eval/answers.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { DEFAULT_COMPOSE_OPTIONS, yesNoFeatures } from '../src/pipeline/compose/compose.js';
import { modelStance } from '../src/pipeline/compose/stance.js';
import { DEFAULT_ANSWER_SETTINGS, gatherEvidence } from '../src/pipeline/run.js';
import { understand } from '../src/pipeline/understand/understand.js';
import type { DocumentStore, PassageIndex } from '../src/ports/store.js';
import { REPO_ROOT } from './stance-data.js';

const FLOORS = [DEFAULT_COMPOSE_OPTIONS.minAnswerCoverage, 0.35, 0.3, 0.25, 0.2];

const dir = path.resolve(REPO_ROOT, '../shared/data/bioasq_dev');
const questions = loadBioasqQuestions(dir)
  .map((q) => ({ q, gold: q.type === 'yesno' ? goldYesNo(q) : undefined }))
  .filter((x): x is { q: (typeof x)['q']; gold: 'yes' | 'no' } => x.gold !== undefined);
const work = mkdtempSync(path.join(tmpdir(), 'evidentia-bench-'));
const without = await corpusWithout(path.join(dir, 'corpus.jsonl'), new Set(questions.flatMap((x) => x.q.documents)));
const full = openSqliteStore(path.join(work, 'full.db'));
const absent = openSqliteStore(path.join(work, 'absent.db'));

/** For each floor, each question's stance ('no' / 'yes'), or undefined when the article abstains. */
async function stances(store: DocumentStore & PassageIndex): Promise<Array<Array<'yes' | 'no' | undefined>>> {
  const rows: Array<Array<'yes' | 'no' | undefined>> = FLOORS.map(() => []);
  const now = new Date();
  for (const { q } of questions) {
    const { question, evidence } = await gatherEvidence(
      understand({ text: q.question, audience: 'clinician' }),
      { store },
      DEFAULT_ANSWER_SETTINGS,
      now,
    );
    const own = yesNoFeatures(question, evidence);
    FLOORS.forEach((floor, k) => {
      const features =
        own ?? yesNoFeatures(question, evidence, { ...DEFAULT_COMPOSE_OPTIONS, minAnswerCoverage: floor });
      rows[k]!.push(features && modelStance(features));
    });
  }
  return rows;
}

try {
  await ingestPaths(full, [path.join(dir, 'corpus.jsonl')]);
  await ingestPaths(absent, [without.path]);
  const present = await stances(full);
  const gone = await stances(absent);
  const n = questions.length;
  const fixed = (x: number) => x.toFixed(3);
  console.log(
    `bioasq_dev yes/no questions: ${n}; always "yes" ${fixed(questions.filter((x) => x.gold === 'yes').length / n)}`,
  );
  console.log(
    '| answer-coverage floor for yes/no | answered, gold present | yes/no accuracy | answered, gold absent |',
  );
  console.log('|---|---|---|---|');
  FLOORS.forEach((floor, k) => {
    const row = present[k]!;
    const answered = row.filter((s) => s !== undefined).length;
    const right = row.filter((s, i) => s === questions[i]!.gold).length;
    const answeredAbsent = gone[k]!.filter((s) => s !== undefined).length;
    console.log(
      `| ${floor}${k === 0 ? " (the article's)" : ''} | ${answered} (abstains ${fixed(1 - answered / n)}) | ${fixed(right / n)} | ${answeredAbsent} (abstains ${fixed(1 - answeredAbsent / n)}) |`,
    );
  });
} finally {
  await full.close();
  await absent.close();
  without.cleanup();
  rmSync(work, { recursive: true, force: true });
}
