import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers.js';
import { detectEmergency } from './emergency.js';
import { EMERGENCY_CATEGORIES, URGENT_MESSAGES } from './emergency-rules.js';

interface EmergencySet {
  emergency: { text: string; category: string }[];
  nonEmergency: { text: string }[];
}

const SET = JSON.parse(
  readFileSync(`${REPO_ROOT}/test/fixtures/safety/emergency-questions.json`, 'utf8'),
) as EmergencySet;

describe('detectEmergency', () => {
  it('has a test set of at least 150 emergencies and 150 ordinary questions, every category covered', () => {
    expect(SET.emergency.length).toBeGreaterThanOrEqual(150);
    expect(SET.nonEmergency.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SET.emergency.map((q) => q.category))).toEqual(new Set(EMERGENCY_CATEGORIES));
  });

  it('flags every emergency of the set (recall 100 %) with its category and an urgent message', () => {
    const missed = SET.emergency.filter((q) => !detectEmergency(q.text).emergency).map((q) => q.text);
    expect(missed).toEqual([]);
    const wrongCategory = SET.emergency
      .filter((q) => !(detectEmergency(q.text).categories ?? []).includes(q.category as never))
      .map((q) => `${q.category}: ${q.text}`);
    expect(wrongCategory).toEqual([]);
    for (const q of SET.emergency) expect(detectEmergency(q.text).urgentMessage).toMatch(/emergency number now/);
  });

  it('leaves ordinary questions alone, look-alikes included', () => {
    const falseAlarms = SET.nonEmergency.filter((q) => detectEmergency(q.text).emergency).map((q) => q.text);
    expect(falseAlarms).toEqual([]);
  });

  it.each([
    ['what is the treatment of chest pain in costochondritis?', false],
    ['history of stroke, what diet?', false],
    ['Chest pain and sweating for the last half hour', true],
    ['my 2 month old has a fever', true],
    ['my 2 year old has a fever', false],
    ['What are the warning signs of a stroke?', false],
    ['his face is drooping and he can\u2019t talk', true],
  ])('"%s" → emergency %s', (text, expected) => {
    expect(detectEmergency(text).emergency).toBe(expected);
  });

  it('points to crisis help for suicidal intent and to poison help for poisoning', () => {
    expect(detectEmergency('I want to end my life').urgentMessage).toBe(URGENT_MESSAGES.suicide_self_harm);
    expect(detectEmergency('I want to end my life').urgentMessage).toContain('988');
    expect(detectEmergency('my son drank bleach').category).toBe('overdose_poisoning');
    expect(detectEmergency('my son drank bleach').urgentMessage).toContain('Poison');
  });

  it('gives no category or message when there is no emergency', () => {
    expect(detectEmergency('How is hypertension diagnosed?')).toEqual({ emergency: false });
  });
});
