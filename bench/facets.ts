/**
 * The sentence-facet classifier on the hand-labelled NGC sentences:
 * `npx tsx bench/facets.ts` (or `npm run bench:facets`). Prints precision and recall per facet,
 * with and without the section heading, beside a baseline that gives every sentence the most
 * common facet.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceDocument } from '../src/domain/source.js';
import { NgcRow, ngcRowToDocument } from '../src/ingest/ngc/ngc-importer.js';
import { classifyFacet, scoreFacets } from '../src/pipeline/compose/facets.js';
import { INTERVENTION_LAYOUT } from '../src/pipeline/compose/layouts.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const labels = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/facet-labels.json'), 'utf8')) as {
  labels: Array<{ record: string; start: number; end: number; facet: string }>;
};
const docs = new Map(
  readFileSync(path.resolve(repoRoot, '../shared/data/ngc_guideline_summaries/ngc_permissive_summaries.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => SourceDocument.parse(ngcRowToDocument(NgcRow.parse(JSON.parse(line)))))
    .map((d) => [d.id.slice(4), d]),
);

function run(useHeading: boolean) {
  return labels.labels.map((l) => {
    const doc = docs.get(l.record)!;
    const heading = useHeading ? (doc.sections.find((s) => s.start <= l.start && l.end <= s.end)?.heading ?? '') : '';
    const found = classifyFacet(heading, doc.text.slice(l.start, l.end), INTERVENTION_LAYOUT.facets);
    return { gold: l.facet, predicted: found?.facet.id ?? 'none' };
  });
}

const withHeading = scoreFacets(run(true));
const sentenceOnly = scoreFacets(run(false));
const counts = new Map<string, number>();
for (const l of labels.labels) if (l.facet !== 'none') counts.set(l.facet, (counts.get(l.facet) ?? 0) + 1);
const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
const baseline = scoreFacets(labels.labels.map((l) => ({ gold: l.facet, predicted: majority })));

console.log(`${labels.labels.length} hand-labelled sentences; baseline = every sentence "${majority}"`);
console.log('facet              support  P(heading) R(heading)  P(sentence) R(sentence)  P(base) R(base)');
for (const f of withHeading.perFacet) {
  const s = sentenceOnly.perFacet.find((x) => x.facet === f.facet);
  const b = baseline.perFacet.find((x) => x.facet === f.facet);
  console.log(
    `${f.facet.padEnd(18)} ${String(f.support).padStart(7)}  ${f.precision.toFixed(2).padStart(10)} ${f.recall.toFixed(2).padStart(10)}  ${(s?.precision ?? 0).toFixed(2).padStart(11)} ${(s?.recall ?? 0).toFixed(2).padStart(11)}  ${(b?.precision ?? 0).toFixed(2).padStart(7)} ${(b?.recall ?? 0).toFixed(2).padStart(7)}`,
  );
}
console.log(
  `accuracy (including "none"): heading ${withHeading.accuracy.toFixed(3)}, sentence only ${sentenceOnly.accuracy.toFixed(3)}, baseline ${baseline.accuracy.toFixed(3)}`,
);
