/**
 * How well the safety stage does: `npm run eval:safety` (or `npx tsx bench/eval-safety.ts`).
 * Prints, from the written test sets in test/fixtures/safety/, emergency recall and false alarms,
 * identifier recall per kind and precision; and, from the public question sets in ../shared/data,
 * how many questions are flagged as emergencies (listed, for review by eye) and how many have
 * anything redacted (these sets hold no personal identifiers, so every redaction there is a false
 * one). Ends with the time the stage takes per question.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectEmergency, IDENTIFIER_KINDS, redactIdentifiers, screenQuestion } from '../src/pipeline/safety/index.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const fixtures = path.join(repoRoot, 'test/fixtures/safety');
const YEAR = { year: new Date().getUTCFullYear() };

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);

interface EmergencySet {
  emergency: { text: string; category: string }[];
  nonEmergency: { text: string }[];
}
interface PhiSet {
  questions: { text: string; identifiers: { kind: string; start: number; end: number; value: string }[] }[];
}

function emergencyFigures(file: string, title: string): void {
  const set = JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as EmergencySet;
  const flagged = set.emergency.filter((q) => detectEmergency(q.text).emergency).length;
  const falseAlarms = set.nonEmergency.filter((q) => detectEmergency(q.text).emergency);
  const misses = set.emergency.filter((q) => !detectEmergency(q.text).emergency);
  console.log(`== emergencies (${title})`);
  console.log(`recall        ${flagged}/${set.emergency.length} = ${pct(flagged, set.emergency.length)}`);
  console.log(
    `false alarms  ${falseAlarms.length}/${set.nonEmergency.length} = ${pct(falseAlarms.length, set.nonEmergency.length)}`,
  );
  for (const q of falseAlarms) console.log(`  false alarm: ${q.text}`);
  for (const q of misses) console.log(`  missed [${q.category}]: ${q.text}`);
  const byCategory = new Map<string, [number, number]>();
  for (const q of set.emergency) {
    const [hit, all] = byCategory.get(q.category) ?? [0, 0];
    const ok = (detectEmergency(q.text).categories ?? []).includes(q.category as never);
    byCategory.set(q.category, [hit + (ok ? 1 : 0), all + 1]);
  }
  for (const [category, [hit, all]] of byCategory) console.log(`  ${category.padEnd(20)} ${hit}/${all}`);
}

function phiFigures(file: string, title: string): void {
  const set = JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as PhiSet;
  const perKind = new Map<string, [number, number]>(IDENTIFIER_KINDS.map((k) => [k, [0, 0]]));
  let truePositives = 0;
  let falsePositives = 0;
  let expected = 0;
  let wrongKind = 0;
  const falseOnes: string[] = [];
  const missed: string[] = [];
  for (const q of set.questions) {
    const { redactions } = redactIdentifiers(q.text, YEAR);
    for (const id of q.identifiers) {
      expected++;
      const cover = redactions.find((r) => r.start <= id.start && r.end >= id.end);
      const [hit, all] = perKind.get(id.kind)!;
      perKind.set(id.kind, [hit + (cover ? 1 : 0), all + 1]);
      if (cover) truePositives++;
      else missed.push(`${id.kind} "${id.value}" in: ${q.text}`);
      if (cover && cover.kind !== id.kind) wrongKind++;
    }
    for (const r of redactions) {
      if (!q.identifiers.some((id) => r.start < id.end && r.end > id.start)) {
        falsePositives++;
        falseOnes.push(`${r.kind} "${q.text.slice(r.start, r.end)}" in: ${q.text}`);
      }
    }
  }
  const found = truePositives;
  console.log(`\n== personal identifiers (${title}: ${set.questions.length} questions, ${expected} identifiers)`);
  console.log(`recall        ${found}/${expected} = ${pct(found, expected)} (kind wrong for ${wrongKind})`);
  console.log(`precision     ${found}/${found + falsePositives} = ${pct(found, found + falsePositives)}`);
  for (const [kind, [hit, all]] of perKind) if (all > 0) console.log(`  ${kind.padEnd(17)} ${hit}/${all}`);
  for (const m of missed) console.log(`  missed: ${m}`);
  for (const f of falseOnes) console.log(`  false redaction: ${f}`);
}

function readQuestions(file: string, field: string): string[] | undefined {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) return undefined;
  return readFileSync(full, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => String((JSON.parse(l) as Record<string, unknown>)[field] ?? ''));
}

function publicSets(): void {
  const sets: [string, string, string][] = [
    ['kqa patient questions', 'kqa/patient_questions_unanswered.jsonl', 'Question'],
    ['medicationqa', 'medicationqa/medicationqa.jsonl', 'Question'],
    ['medquad_beir queries', 'medquad_beir/queries.jsonl', 'text'],
    ['bioasq_dev queries', 'bioasq_dev/queries.jsonl', 'text'],
  ];
  console.log('\n== public question sets (no emergencies expected to be common; no identifiers in them)');
  for (const [name, file, field] of sets) {
    const questions = readQuestions(file, field);
    if (!questions) {
      console.log(`${name}: not found under ${dataDir}`);
      continue;
    }
    const flagged = questions.filter((q) => detectEmergency(q).emergency);
    const redacted = questions.filter((q) => redactIdentifiers(q, YEAR).redactions.length > 0);
    console.log(
      `${name.padEnd(22)} ${questions.length} questions, flagged as emergency ${flagged.length}, with a redaction ${redacted.length} (${pct(redacted.length, questions.length)})`,
    );
    for (const q of flagged) console.log(`  flagged [${detectEmergency(q).categories!.join(', ')}]: ${q}`);
    for (const q of redacted)
      console.log(
        `  redacted: ${redactIdentifiers(q, YEAR)
          .redactions.map((r) => `${r.kind} "${q.slice(r.start, r.end)}"`)
          .join('; ')} in: ${q}`,
      );
  }
}

function speed(): void {
  const questions = readQuestions('kqa/patient_questions_unanswered.jsonl', 'Question') ?? [];
  if (questions.length === 0) return;
  screenQuestion(questions[0]!, YEAR);
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    for (const q of questions) screenQuestion(q, YEAR);
    runs.push(Number(process.hrtime.bigint() - start) / 1e6 / questions.length);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `\n== speed: safety stage ${runs[2]!.toFixed(3)} ms per question (median of 5 runs over ${questions.length} kqa questions)`,
  );
}

emergencyFigures('emergency-questions.json', 'written set');
emergencyFigures('emergency-holdout.json', 'held-out set, written after tuning');
phiFigures('phi-questions.json', 'written set');
phiFigures('phi-holdout.json', 'held-out set, written after tuning');
publicSets();
speed();
