import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { loadBioasqQuestions } from '../src/eval/answers.js';
import { stanceExamples } from '../src/eval/answers-stance.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { logOdds, trainLogistic } from '../src/pipeline/compose/logistic.js';
import {
  coMention,
  negatedQuestionWord,
  oppositeWord,
  rankForStance,
  siblingWord,
  STANCE_FEATURES,
  stanceFeatures,
  substitutedTerm,
  swappedFor,
} from '../src/pipeline/compose/stance-features.js';
import { modelStance, STANCE_MODEL } from '../src/pipeline/compose/stance.js';
import { dataPath, HAS_SHARED_DATA, tempDir } from './helpers.js';

describe('logistic regression', () => {
  it('learns a separating weight and predicts unseen points', () => {
    // Label 1 when the first feature is high; the second is noise the model must learn to ignore.
    const point = (x: number, noise: number) => ({ features: [x, noise], label: (x > 0.5 ? 1 : 0) as 0 | 1 });
    const train = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9].map((x, i) => point(x, i % 2));
    const model = trainLogistic(train, { epochs: 3000, learningRate: 1, l2: 0 });
    expect(model.weights[0]!).toBeGreaterThan(Math.abs(model.weights[1]!) * 3);
    expect(logOdds(model, [0.95, 0])).toBeGreaterThan(0);
    expect(logOdds(model, [0.05, 1])).toBeLessThan(0);
  });
});

describe('stance features', () => {
  it('sees a question word the evidence uses only with a negating prefix', () => {
    expect(negatedQuestionWord(['syndromic'], 'Mutations cause a non-syndromic delay.')).toBe(true);
    expect(negatedQuestionWord(['typical'], 'It is an atypical antipsychotic.')).toBe(true);
    expect(negatedQuestionWord(['syndromic'], 'Mutations cause a syndromic delay.')).toBe(false);
  });

  it('sees a sibling of a question word in its place', () => {
    expect(siblingWord(['cd140'], 'Does it bind CD140?', 'An anti-CD40 antibody that blocks CD40.')).toBe(true);
    expect(siblingWord(['adenoviral'], 'Is it adenoviral?', 'A lentiviral vector gene therapy.')).toBe(true);
    expect(siblingWord(['cd40'], 'Does it bind CD40?', 'An anti-CD40 antibody that blocks CD40.')).toBe(false);
  });

  it('sees the opposite action or direction', () => {
    expect(oppositeWord('Does RUNX2 inhibit differentiation?', 'RUNX2 promotes maturation.')).toBe(true);
    expect(oppositeWord('Is apelin decreased in diabetes?', 'Apelin is increased in diabetes.')).toBe(true);
    expect(oppositeWord('Is apelin increased in diabetes?', 'Apelin is increased in diabetes.')).toBe(false);
    // Classes that exclude each other: a kinase is not a phosphatase, an antibody not a small molecule.
    expect(oppositeWord('Is Pim-1 a protein phosphatase?', 'Pim-1 is a serine/threonine kinase.')).toBe(true);
    expect(oppositeWord('Is eptinezumab a small molecule?', 'Eptinezumab is a monoclonal antibody.')).toBe(true);
    expect(oppositeWord('Is Pim-1 a protein kinase?', 'Pim-1 is a serine/threonine kinase.')).toBe(false);
  });

  it('tells a sibling from the same word spelled otherwise', () => {
    expect(swappedFor('PD-L1', 'PD-1')).toBe(true);
    expect(swappedFor('CD140', 'CD40')).toBe(true);
    expect(swappedFor('adenoviral', 'lentiviral')).toBe(true);
    expect(swappedFor('polyclonal', 'monoclonal')).toBe(true);
    expect(swappedFor('tumour', 'tumor')).toBe(false);
    expect(swappedFor('LB-100', 'LB100')).toBe(false);
    expect(swappedFor('meiosis', 'meiotic')).toBe(false);
    expect(swappedFor('activator', 'activation')).toBe(false);
  });

  it('sees a sentence that says the question with one subject word swapped', () => {
    const question = 'Is nivolumab a PD-L1 inhibitor?';
    const subject = ['nivolumab', 'PD-L1'];
    const swapped = [{ text: 'Nivolumab is a PD-1 inhibitor approved for melanoma.', weight: 1 }];
    const same = [{ text: 'Nivolumab is a PD-L1 inhibitor, some say.', weight: 1 }];
    const elsewhere = [{ text: 'Atezolizumab is a PD-1 inhibitor.', weight: 1 }];
    expect(substitutedTerm(subject, question, swapped)).toBe(true);
    expect(substitutedTerm(subject, question, same)).toBe(false);
    // Both subject words missing: the sentence is about something else, not a swap.
    expect(substitutedTerm(subject, question, elsewhere)).toBe(false);
    expect(
      substitutedTerm(['runx2', 'inhibit', 'astrocyte'], 'Does RUNX2 inhibit astrocytes?', [
        { text: 'RUNX2 promotes astrocyte maturation.', weight: 1 },
      ]),
    ).toBe(true);
  });

  it('finds the sentences and documents that name all subject words together', () => {
    const subject = ['capmatinib', 'glioblastoma'];
    const apart = [
      { text: 'Capmatinib was approved for lung cancer with MET exon 14 skipping.', weight: 1, documentId: 'a' },
      { text: 'Glioblastoma is the commonest malignant brain tumour.', weight: 1, documentId: 'b' },
    ];
    const split = [
      { text: 'Capmatinib crosses the blood-brain barrier.', weight: 1, documentId: 'a' },
      { text: 'In glioblastoma models it slowed growth.', weight: 1, documentId: 'a' },
    ];
    const joined = [{ text: 'Capmatinib slowed glioblastoma growth in mice.', weight: 1, documentId: 'c' }];
    expect(coMention(subject, apart)).toMatchObject({ inDocument: false, maxCover: 0.5 });
    expect(coMention(subject, apart).together).toHaveLength(0);
    expect(coMention(subject, split)).toMatchObject({ inDocument: true, maxCover: 0.5 });
    expect(coMention(subject, joined).together).toHaveLength(1);
  });

  it('ranks first the sentences that name the rarer question terms', () => {
    const terms = [
      { stem: 'ustekinumab', weight: 2 },
      { stem: 'antibody', weight: 1 },
    ];
    const pool = [
      { text: 'A polyclonal antibody was compared with a monoclonal antibody.', weight: 1 },
      { text: 'Another antibody was tested.', weight: 1 },
      { text: 'Ustekinumab is a human monoclonal antibody.', weight: 1 },
    ];
    const ranked = rankForStance(terms, pool);
    expect(ranked.sentences[0]!.text).toContain('Ustekinumab');
    expect(ranked.absentAny).toBe(false);
    expect(rankForStance([...terms, { stem: 'psoriasis', weight: 1 }], pool).absentShare).toBeGreaterThan(0);
  });

  it('reads a trial that failed as "no" and one that worked as "yes"', () => {
    const terms = [
      { stem: 'gavestinel', weight: 2 },
      { stem: 'improve', weight: 1 },
      { stem: 'stroke', weight: 1 },
    ];
    const subject = ['gavestinel', 'improve', 'stroke'];
    const question = 'Does gavestinel improve outcomes after stroke?';
    const failed = [
      { text: 'Treatment with gavestinel within 6 h of stroke did not improve outcome.', weight: 1 },
      { text: 'Gavestinel showed no significant benefit after stroke compared with placebo.', weight: 1 },
    ];
    const worked = [
      { text: 'Treatment with gavestinel within 6 h of stroke improved outcome at 3 months.', weight: 1 },
      { text: 'Gavestinel reduced disability after stroke compared with placebo.', weight: 1 },
    ];
    expect(stanceFeatures(question, terms, subject, failed)).toHaveLength(STANCE_FEATURES.length);
    expect(modelStance(stanceFeatures(question, terms, subject, failed))).toBe('no');
    expect(modelStance(stanceFeatures(question, terms, subject, worked))).toBe('yes');
  });

  it('reads a stopped trial or a result worse than control as an unfavourable outcome', () => {
    const terms = [
      { stem: 'semagacestat', weight: 2 },
      { stem: 'effective', weight: 2 },
      { stem: "alzheimer's", weight: 1 },
    ];
    const subject = ['semagacestat', "alzheimer's"];
    const question = "Is semagacestat effective for Alzheimer's disease?";
    const at = (name: (typeof STANCE_FEATURES)[number], pool: Array<{ text: string; weight: number }>) =>
      stanceFeatures(question, terms, subject, pool)[STANCE_FEATURES.indexOf(name)];
    const stopped = [
      { text: "The phase 3 trial of semagacestat in Alzheimer's disease was terminated early.", weight: 1 },
      { text: "Patients with Alzheimer's disease given semagacestat had worse cognition than on placebo.", weight: 1 },
    ];
    const worked = [
      { text: "Semagacestat slowed decline in Alzheimer's disease in a phase 2 trial.", weight: 1 },
      { text: "In Alzheimer's disease, semagacestat lowered amyloid production.", weight: 1 },
    ];
    expect(at('unfavourable-share-5', stopped)).toBe(1);
    expect(at('unfavourable-subject-share', stopped)).toBe(1);
    expect(at('efficacy-unfavourable', stopped)).toBe(1);
    expect(at('unfavourable-share-5', worked)).toBe(0);
    expect(at('efficacy-unfavourable', worked)).toBe(0);
    expect(modelStance(stanceFeatures(question, terms, subject, stopped))).toBe('no');
  });

  it('ships weights for exactly the features computed', () => {
    expect(STANCE_MODEL.features).toEqual([...STANCE_FEATURES]);
    expect(STANCE_MODEL.weights).toHaveLength(STANCE_FEATURES.length);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('the stance model on bioasq_dev', () => {
  it('trained on the even lines, beats the majority answer on the odd lines it has not seen', async () => {
    const tmp = tempDir();
    const store = openSqliteStore(join(tmp.dir, 'library.db'));
    try {
      await ingestPaths(store, [dataPath('bioasq_dev', 'corpus.jsonl')]);
      const examples = await stanceExamples(loadBioasqQuestions(dataPath('bioasq_dev')), store, new Date());
      // The shipped model has seen every question, so the features and the training are judged
      // by a model fitted here on one half and read on the other.
      const model = trainLogistic(examples.filter((e) => e.index % 2 === 0));
      const held = examples.filter((e) => e.index % 2 === 1);
      expect(held.length).toBeGreaterThan(150);
      const correct = held.filter((e) => (logOdds(model, e.features) > 0 ? 1 : 0) === e.label).length;
      const majority = held.filter((e) => e.label === 0).length;
      // The held-out half: at least 8 points more stances read right than always "yes".
      expect(correct / held.length).toBeGreaterThan(majority / held.length + 0.08);
      // The shipped model reads the same features and agrees with the even-half model on most questions.
      const agree = held.filter((e) => (modelStance(e.features) === 'no') === logOdds(model, e.features) > 0).length;
      expect(agree / held.length).toBeGreaterThan(0.8);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  }, 180_000);
});
