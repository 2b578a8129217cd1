import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { segmentDocument } from '../src/domain/segment.js';
import { SourceDocument } from '../src/domain/source.js';
import { NgcRow, ngcRowToDocument } from '../src/ingest/ngc/ngc-importer.js';
import { classifyFacet, scoreFacets } from '../src/pipeline/compose/facets.js';
import { INTERVENTION_LAYOUT } from '../src/pipeline/compose/layouts.js';
import labelled from './fixtures/facet-labels.json' with { type: 'json' };
import { dataPath, HAS_SHARED_DATA } from './helpers.js';

const facets = INTERVENTION_LAYOUT.facets;
const idOf = (text: string, heading = '') => classifyFacet(heading, text, facets)?.facet.id ?? 'none';

describe('the sentence-facet classifier', () => {
  it('puts advice against into contraindications whatever the section', () => {
    expect(idOf('Do not offer the injection to people taking blood thinners.', 'How it is done')).toBe(
      'contraindications',
    );
  });

  it('uses the section heading before cue words', () => {
    expect(idOf('Bruising at the site occurred in a few people.', 'Potential harms')).toBe('risks');
  });

  it('tries limits of the evidence before benefits', () => {
    expect(idOf('The evidence is insufficient to judge the benefits of screening.')).toBe('limitations');
  });

  it('scores precision and recall per facet', () => {
    const score = scoreFacets([
      { gold: 'risks', predicted: 'risks' },
      { gold: 'risks', predicted: 'none' },
      { gold: 'none', predicted: 'risks' },
    ]);
    expect(score.perFacet).toEqual([{ facet: 'risks', precision: 0.5, recall: 0.5, support: 2 }]);
    expect(score.accuracy).toBeCloseTo(1 / 3);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('the classifier on hand-labelled NGC sentences', () => {
  const docs = new Map(
    readFileSync(dataPath('ngc_guideline_summaries/ngc_permissive_summaries.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => SourceDocument.parse(ngcRowToDocument(NgcRow.parse(JSON.parse(line)))))
      .map((d) => [d.id.slice(4), d]),
  );

  it('points every label at a real sentence of the dataset', () => {
    expect(labelled.labels.length).toBeGreaterThanOrEqual(100);
    const sentences = new Map<string, ReturnType<typeof segmentDocument>['sentences']>();
    for (const label of labelled.labels) {
      if (!sentences.has(label.record)) sentences.set(label.record, segmentDocument(docs.get(label.record)!).sentences);
      const sentence = sentences.get(label.record)!.find((s) => s.start === label.start);
      expect(sentence?.end).toBe(label.end);
    }
  });

  it('beats the majority baseline and finds every common facet', () => {
    const pairs = labelled.labels.map((l) => {
      const doc = docs.get(l.record)!;
      const heading = doc.sections.find((s) => s.start <= l.start && l.end <= s.end)?.heading ?? '';
      return { gold: l.facet, predicted: idOf(doc.text.slice(l.start, l.end), heading) };
    });
    const score = scoreFacets(pairs);
    const majority = scoreFacets(labelled.labels.map((l) => ({ gold: l.facet, predicted: 'limitations' })));
    expect(score.accuracy).toBeGreaterThan(majority.accuracy + 0.3);
    for (const f of score.perFacet.filter((x) => x.support >= 5)) {
      expect(f.recall, f.facet).toBeGreaterThan(0.3);
      expect(f.precision, f.facet).toBeGreaterThan(0.3);
    }
  });
});
