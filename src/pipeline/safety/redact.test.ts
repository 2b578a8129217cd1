import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers.js';
import { IDENTIFIER_KINDS, PLACEHOLDERS, redactIdentifiers, withoutPlaceholders } from './redact.js';

interface PhiQuestion {
  text: string;
  identifiers: { kind: string; start: number; end: number; value: string }[];
}

const SET = (
  JSON.parse(readFileSync(`${REPO_ROOT}/test/fixtures/safety/phi-questions.json`, 'utf8')) as {
    questions: PhiQuestion[];
  }
).questions;
const YEAR = { year: 2026 };

describe('redactIdentifiers', () => {
  it('has at least 300 questions with identifiers, every kind represented, spans matching their values', () => {
    const withIds = SET.filter((q) => q.identifiers.length > 0);
    expect(withIds.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(SET.flatMap((q) => q.identifiers.map((i) => i.kind)));
    for (const kind of IDENTIFIER_KINDS) expect(kinds).toContain(kind);
    for (const q of SET) for (const i of q.identifiers) expect(q.text.slice(i.start, i.end)).toBe(i.value);
  });

  it('finds at least 99 % of the identifiers of the set, with the right kind', () => {
    let found = 0;
    let total = 0;
    const missed: string[] = [];
    for (const q of SET) {
      const { redactions } = redactIdentifiers(q.text, YEAR);
      for (const id of q.identifiers) {
        total++;
        const cover = redactions.find((r) => r.start <= id.start && r.end >= id.end);
        if (cover && cover.kind === id.kind) found++;
        else missed.push(`${id.kind} "${id.value}" in: ${q.text}`);
      }
    }
    expect(found / total, missed.join('\n')).toBeGreaterThanOrEqual(0.99);
  });

  it('never leaves an identifier value in the redacted text', () => {
    const leaked: string[] = [];
    for (const q of SET) {
      const { text } = redactIdentifiers(q.text, YEAR);
      for (const id of q.identifiers) if (text.includes(id.value)) leaked.push(`${id.value} in: ${text}`);
    }
    expect(leaked.length / SET.length).toBeLessThan(0.01);
  });

  it('leaves medical eponyms, brand names, doses and readings alone', () => {
    const changed = SET.filter((q) => q.identifiers.length === 0)
      .map((q) => ({ q: q.text, out: redactIdentifiers(q.text, YEAR).text }))
      .filter(({ q, out }) => q !== out);
    expect(changed).toEqual([]);
    for (const text of [
      'Is Parkinson disease inherited?',
      "What is the outlook for Hodgkin's lymphoma?",
      'Can Crohn disease affect the eyes?',
      'Graves disease and pregnancy',
      "Alzheimer's disease early signs",
      'Down syndrome and thyroid screening',
    ])
      expect(redactIdentifiers(text, YEAR).text).toBe(text);
  });

  it('replaces each identifier with its placeholder and reports offsets into the original text', () => {
    const text = 'My name is Jane Roe, DOB 04/05/1950, MRN 8812345, call 555-201-3344 or jane@example.com.';
    const result = redactIdentifiers(text, YEAR);
    expect(result.text).toBe('My name is [NAME], DOB [DATE], MRN [RECORD NUMBER], call [PHONE] or [EMAIL].');
    expect(result.redactions.map((r) => [r.kind, text.slice(r.start, r.end)])).toEqual([
      ['name', 'Jane Roe'],
      ['date', '04/05/1950'],
      ['record_number', '8812345'],
      ['phone', '555-201-3344'],
      ['email', 'jane@example.com'],
    ]);
  });

  it('hides ages over 89 and birth years that reveal them, keeps younger ages', () => {
    expect(redactIdentifiers('my 93-year-old father has gout', YEAR).text).toBe(
      `my ${PLACEHOLDERS.age} father has gout`,
    );
    expect(redactIdentifiers('she was born in 1931 and has angina', YEAR).text).toBe(
      `she was born in ${PLACEHOLDERS.age} and has angina`,
    );
    expect(redactIdentifiers('my 67-year-old father has gout', YEAR).text).toBe('my 67-year-old father has gout');
    expect(redactIdentifiers('born in 1960, is a colonoscopy due?', YEAR).text).toBe(
      'born in 1960, is a colonoscopy due?',
    );
  });

  it('keeps a surname that is also an ordinary word with its first name', () => {
    expect(redactIdentifiers('My name is Ann Lee, DOB 2/3/1950.', YEAR).text).toBe('My name is [NAME], DOB [DATE].');
    expect(redactIdentifiers("Hi, I'm Grace Turner: does Turner syndrome affect height?", YEAR).text).toBe(
      "Hi, I'm [NAME]: does Turner syndrome affect height?",
    );
  });

  it('tells a fax number from a phone number', () => {
    const { redactions } = redactIdentifiers('fax: 555-987-6543, phone: 555-123-4567', YEAR);
    expect(redactions.map((r) => r.kind)).toEqual(['fax', 'phone']);
  });

  it('leaves placeholders out of the searchable text', () => {
    expect(withoutPlaceholders('Can [NAME] take [AGE 90+] ibuprofen?')).toBe('Can take ibuprofen?');
  });
});
