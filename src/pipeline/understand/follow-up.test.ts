import { describe, expect, it } from 'vitest';
import { resolveFollowUp } from './follow-up.js';

const BVN =
  'What are the considerations and procedures for a patient with chronic back pain undergoing basivertebral nerve ablation?';

describe('resolveFollowUp', () => {
  it.each([
    ['and the risks?', 'What are the risks of basivertebral nerve ablation?'],
    ['what are the complications?', 'What are the complications of basivertebral nerve ablation?'],
    ['and the cost?', 'What is the cost of basivertebral nerve ablation?'],
    ['is it safe in pregnancy?', 'Is basivertebral nerve ablation safe in pregnancy?'],
    ['and how long does it last?', 'How long does basivertebral nerve ablation last?'],
    ['What about children?', 'What about basivertebral nerve ablation in children?'],
    ['outcomes', 'What are the outcomes of basivertebral nerve ablation?'],
  ])('%s → %s', (followUp, expected) => {
    expect(resolveFollowUp([BVN], followUp)).toBe(expected);
  });

  it('leaves a question that names its own subject alone', () => {
    const q = 'How is uncomplicated cystitis in women treated?';
    expect(resolveFollowUp([BVN], q)).toBe(q);
  });

  it('uses the latest question of the thread as the subject', () => {
    expect(resolveFollowUp([BVN, 'How is uncomplicated cystitis in women treated?'], 'and the risks?')).toBe(
      'What are the risks of uncomplicated cystitis?',
    );
  });

  it('returns the text as typed when there is no earlier question', () => {
    expect(resolveFollowUp([], ' and the risks? ')).toBe('and the risks?');
  });
});
