/**
 * Abstention both ways as the threshold moves: `npx tsx bench/abstention.ts [every]` (or
 * `npm run bench:abstention`). Builds two temporary libraries from bioasq_dev — the whole corpus,
 * and the corpus without the gold documents of one question in `every` (default 10) — and for
 * each `minAnswerCoverage` prints how often those questions are abstained on with and without
 * their gold documents, and the ROUGE-2 recall with them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { mean, rouge2Recall } from '../src/eval/answers-metrics.js';
import { articleAnswerText, corpusWithout, loadBioasqQuestions } from '../src/eval/answers.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { answerQuestion, DEFAULT_ANSWER_SETTINGS } from '../src/pipeline/run.js';
import { systemClock } from '../src/ports/clock.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dir = path.resolve(repoRoot, '../shared/data/bioasq_dev');
const every = Number(process.argv[2] ?? 10);
const questions = loadBioasqQuestions(dir, { every });
const work = mkdtempSync(path.join(tmpdir(), 'evidentia-bench-'));
const without = await corpusWithout(path.join(dir, 'corpus.jsonl'), new Set(questions.flatMap((q) => q.documents)));
const full = openSqliteStore(path.join(work, 'full.db'));
const absent = openSqliteStore(path.join(work, 'absent.db'));
await ingestPaths(full, [path.join(dir, 'corpus.jsonl')]);
await ingestPaths(absent, [without.path]);

console.log(
  `${questions.length} questions (one in ${every}); default minAnswerCoverage ${DEFAULT_ANSWER_SETTINGS.compose.minAnswerCoverage}`,
);
for (const minAnswerCoverage of [0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  const settings = {
    ...DEFAULT_ANSWER_SETTINGS,
    checkRelated: false,
    compose: { ...DEFAULT_ANSWER_SETTINGS.compose, minAnswerCoverage },
  };
  let withGold = 0;
  let withoutGold = 0;
  const rouge: number[] = [];
  for (const q of questions) {
    const input = { text: q.question, audience: 'clinician' as const };
    const a = await answerQuestion(input, { store: full, clock: systemClock }, settings);
    if (a.status === 'insufficient_evidence') withGold++;
    rouge.push(rouge2Recall(articleAnswerText(a), q.ideal_answer));
    const b = await answerQuestion(input, { store: absent, clock: systemClock }, settings);
    if (b.status === 'insufficient_evidence') withoutGold++;
  }
  const n = questions.length;
  console.log(
    `minAnswerCoverage ${minAnswerCoverage.toFixed(2)}: abstained with gold ${(withGold / n).toFixed(3)}, without gold ${(withoutGold / n).toFixed(3)}, ROUGE-2 recall ${mean(rouge).toFixed(3)}`,
  );
}
await full.close();
await absent.close();
without.cleanup();
rmSync(work, { recursive: true, force: true });
