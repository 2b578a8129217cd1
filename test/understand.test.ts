import { describe, expect, it } from 'vitest';
import { understand } from '../src/pipeline/understand/index.js';
import { fleschKincaidGrade } from '../src/pipeline/render/index.js';
import { EXAMPLE_QUESTION } from './helpers.js';

describe('understand', () => {
  it('finds the type, focus and expansions of a question', () => {
    const q = understand({ text: EXAMPLE_QUESTION, audience: 'clinician' });
    expect(q.type).toBe('procedure');
    expect(q.focus).toBe('basivertebral nerve ablation');
    expect(q.terms).toEqual(expect.arrayContaining(['chronic', 'back', 'pain', 'basivertebral', 'nerve', 'ablation']));
    expect(q.terms).not.toContain('the');
    const abbreviated = understand({ text: 'Is BVN ablation better than RFA for LBP?' });
    expect(abbreviated.yesNo).toBe(true);
    expect(abbreviated.expansions).toEqual(['basivertebral nerve', 'radiofrequency ablation', 'low back pain']);
    expect(abbreviated.audience).toBe('clinician');
  });

  it.each([
    ['How is uncomplicated cystitis treated?', 'treatment'],
    ['What dose of nitrofurantoin is used?', 'drug'],
    ['How is hypertension diagnosed?', 'diagnosis'],
    ['Should adults be screened for diabetes?', 'prevention'],
    ['What causes Modic changes?', 'cause'],
    ['What is vertebrogenic pain?', 'definition'],
    ['What is the outlook after a concussion?', 'prognosis'],
  ])('types "%s" as %s', (text, type) => {
    expect(understand({ text }).type).toBe(type);
  });

  it('refuses empty and overlong questions', () => {
    expect(() => understand({ text: ' ' })).toThrow(/question/);
    expect(() => understand({ text: 'a'.repeat(5000) })).toThrow(/question/);
  });
});

describe('reading grade', () => {
  it('scores plain text low and dense text high', () => {
    expect(fleschKincaidGrade('The cat sat on the mat. It was warm. We ate.')).toBeLessThan(3);
    expect(
      fleschKincaidGrade(
        'Radiofrequency ablation of the intraosseous basivertebral nerve demonstrated statistically significant improvements in functional disability.',
      ),
    ).toBeGreaterThan(14);
    expect(fleschKincaidGrade('')).toBe(0);
  });
});
