import { describe, expect, it } from 'vitest';
import type { Actor } from '../domain/account.js';
import { DISCLAIMER, type Article } from '../domain/article.js';
import { addComment, editBullet } from './edit.js';
import { diffArticles } from './diff.js';
import { allowedTransitions, flagForReReview, transition } from './workflow.js';

const reviewer: Actor = { role: 'reviewer', name: 'rita' };
const editor: Actor = { role: 'editor', name: 'ed' };
const admin: Actor = { role: 'admin', name: 'ada' };
const T0 = '2026-01-01T00:00:00.000Z';

function article(): Article {
  return {
    id: 'a-1',
    version: 1,
    question: 'What is tested?',
    audience: 'clinician',
    status: 'answered',
    directAnswer: { text: 'An answer.', citations: ['r1'] },
    sections: [
      {
        heading: 'Facts',
        bullets: [
          {
            text: 'Pain fell by 50%.',
            citations: ['r1'],
            support: [{ documentId: 'd1', start: 0, end: 17, quote: 'Pain fell by 50%.' }],
          },
        ],
      },
    ],
    recommendations: [],
    limitations: [],
    conflicts: [],
    references: [{ id: 'r1', documentId: 'd1', kind: 'guideline', label: 'Guideline', title: 'A guideline' }],
    relatedQuestions: [],
    readingGrade: 8,
    verification: { checked: 1, dropped: 0, failures: [] },
    review: { status: 'submitted', history: [{ from: null, to: 'submitted', by: 'evidentia', at: T0 }] },
    createdAt: T0,
    updatedAt: T0,
    disclaimer: DISCLAIMER,
  };
}

describe('the editorial state machine', () => {
  it('lets only a reviewer approve, each step a new version with author and time', () => {
    const started = transition(article(), 'under_review', editor, '2026-01-02T00:00:00.000Z');
    expect(started.version).toBe(2);
    expect(() => transition(started, 'approved', editor, T0)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => transition(started, 'approved', admin, T0)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    const approved = transition(started, 'approved', reviewer, '2026-01-03T00:00:00.000Z', 'fine');
    expect(approved).toMatchObject({
      version: 3,
      review: { status: 'approved', approvedAt: '2026-01-03T00:00:00.000Z', approvedVersion: 3 },
    });
    expect(approved.review.history.at(-1)).toEqual({
      from: 'under_review',
      to: 'approved',
      by: 'rita',
      at: '2026-01-03T00:00:00.000Z',
      comment: 'fine',
    });
  });

  it('refuses moves that do not exist', () => {
    expect(() => transition(article(), 'approved', reviewer, T0)).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(allowedTransitions('submitted', 'reviewer').sort()).toEqual(['rejected', 'under_review']);
    expect(allowedTransitions('under_review', 'editor')).toEqual([]);
    expect(allowedTransitions('approved', 'admin')).toEqual([]);
  });

  it('sends an approved article back with a reason but keeps the date of its approval', () => {
    const approved = transition(transition(article(), 'under_review', reviewer, T0), 'approved', reviewer, T0);
    const flagged = flagForReReview(approved, 'source d1 changed', '2026-02-01T00:00:00.000Z');
    expect(flagged.review).toMatchObject({ status: 'submitted', flag: 'source d1 changed', approvedAt: T0 });
    expect(flagForReReview(article(), 'x', T0)).toEqual(article());
  });
});

describe('edits and comments', () => {
  it('flags an edited bullet whose check finds problems, and clears the flag once it matches again', async () => {
    const failing = await editBullet(
      article(),
      { section: 0, bullet: 0 },
      'Pain fell by 90%.',
      reviewer,
      T0,
      async () => ['90% not in the cited source'],
    );
    expect(failing.sections[0]!.bullets[0]).toMatchObject({
      text: 'Pain fell by 90%.',
      flag: '90% not in the cited source',
      edited: { by: 'rita' },
    });
    expect(failing.version).toBe(2);
    const fixed = await editBullet(
      failing,
      { section: 0, bullet: 0 },
      'Pain fell by 50%.',
      reviewer,
      T0,
      async () => [],
    );
    expect(fixed.sections[0]!.bullets[0]!.flag).toBeUndefined();
    await expect(
      editBullet(article(), { section: 3, bullet: 0 }, 'x', reviewer, T0, async () => []),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps comments in the history and shows edits in the diff', async () => {
    const commented = addComment(article(), 'Check the year.', editor, T0);
    expect(commented.review.history.at(-1)).toMatchObject({
      from: 'submitted',
      to: 'submitted',
      comment: 'Check the year.',
    });
    expect(() => addComment(article(), '  ', editor, T0)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    const edited = await editBullet(
      article(),
      { section: 0, bullet: 0 },
      'Pain fell by half.',
      reviewer,
      T0,
      async () => [],
    );
    const parts = diffArticles(article(), edited);
    expect(
      parts
        .filter((p) => p.kind === 'removed')
        .map((p) => p.text)
        .join(''),
    ).toContain('Pain fell by 50%.');
    expect(
      parts
        .filter((p) => p.kind === 'added')
        .map((p) => p.text)
        .join(''),
    ).toContain('Pain fell by half.');
  });
});
