import type { AuditEntry, User } from '../../domain/account.js';
import type { Article, ReviewStatus } from '../../domain/article.js';
import { REVIEW_STATUSES } from '../../domain/article.js';
import { QUESTION_TYPES, type Audience } from '../../domain/question.js';
import { EVIDENCE_KINDS } from '../../domain/source.js';
import type { Thread } from '../../domain/thread.js';
import type { ArticleVersionInfo } from '../../ports/store.js';
import { renderArticleFragment } from '../../pipeline/render/html.js';
import { REVIEW_LABELS } from '../../pipeline/render/labels.js';
import type { DiffPart } from '../../review/diff.js';
import { allowedTransitions } from '../../review/workflow.js';
import { can } from '../../accounts/permissions.js';
import { html, trusted, type SafeHtml } from './html.js';
import { csrfField, page, type PageContext } from './layout.js';

/** How each audience is named in the selector "Which best describes you?". */
export const AUDIENCE_LABELS: Readonly<Record<Audience, string>> = {
  patient: 'Patient or caregiver',
  clinician: 'Clinician',
  student: 'Student',
};

/** The order the selector offers, as readers think of themselves: people first. */
const SELECTOR_ORDER: readonly Audience[] = ['patient', 'clinician', 'student'];

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');

function audienceChoices(selected: Audience): SafeHtml {
  return html`<fieldset class="audience">
    <legend>Which best describes you?</legend>
    <p class="hint">Your choice sets the words we use; the evidence is the same for everyone.</p>
    <div class="choices">
      ${SELECTOR_ORDER.map(
        (a) =>
          html`<label
            ><input type="radio" name="audience" value="${a}" ${a === selected ? trusted(' checked') : ''} />
            ${AUDIENCE_LABELS[a]}</label
          >`,
      )}
    </div>
  </fieldset>`;
}

function statusBadge(status: ReviewStatus): SafeHtml {
  return html`<span class="badge ${status}">${REVIEW_LABELS[status]}</span>`;
}

/** The home page: the ask box and the audience selector. */
export function homePage(
  ctx: PageContext,
  audience: Audience,
  recent: readonly Article[],
  options: { error?: string; prefill?: string } = {},
): string {
  const { error, prefill } = options;
  return page(
    'Ask a clinical question',
    ctx,
    html`<h1>Ask a clinical question</h1>
      <p>
        Evidentia answers from guidelines and studies in its library. Every statement is cited and can be checked
        against the sentence it came from.
      </p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/ask" class="ask">
        ${csrfField(ctx)}
        <div class="field">
          <label for="question">Your question</label>
          <textarea
            id="question"
            name="question"
            required
            minlength="3"
            maxlength="2000"
            placeholder="e.g. What are the risks of basivertebral nerve ablation?"
          >
${prefill ?? ''}</textarea>
        </div>
        ${audienceChoices(audience)}
        <button type="submit">Get the evidence</button>
      </form>
      ${
        recent.length > 0
          ? html`<h2>Recently reviewed answers</h2>
              <ul class="results">
                ${recent.map(
                  (a) =>
                    html`<li>
                      <a href="/articles/${a.id}">${a.title ?? a.question}</a> ${statusBadge(a.review.status)}
                    </li>`,
                )}
              </ul>`
          : ''
      }`,
  );
}

/** Readers never see a bullet whose edit no longer matches its sources. */
export function publicView(article: Article): Article {
  const sections = article.sections
    .map((s) => ({ ...s, bullets: s.bullets.filter((b) => !b.flag) }))
    .filter((s) => s.bullets.length > 0);
  return { ...article, sections };
}

/** The article page: status bar, answer, sections, references, thread, follow-up box. */
export function articlePage(
  ctx: PageContext,
  article: Article,
  audience: Audience,
  thread: Thread | null,
  approvedDate?: string,
): string {
  const approved = article.review.status === 'approved';
  const last = article.review.approvedAt ?? approvedDate;
  return page(
    article.title ?? article.question,
    ctx,
    html`${article.urgentMessage ? html`<div class="urgent" role="alert"><strong>${article.urgentMessage}</strong></div>` : ''}
      <div class="meta" aria-label="About this article">
        <span>Last updated: <time datetime="${article.updatedAt}">${day(article.updatedAt)}</time></span>
        ${last ? html`<span>Last approved: <time datetime="${last}">${day(last)}</time></span>` : ''}
        <span>Version ${article.version}</span>
        <a href="/policy">View editorial policy</a>
      </div>
      ${approved ? '' : html`<p class="notice" role="note">Educational purpose only. This article is pending human review: no medical reviewer has approved this version yet.</p>`}
      <form method="post" action="/articles/${article.id}/audience" class="panel personalise">
        ${csrfField(ctx)}
        <strong>Personalise</strong>
        ${audienceChoices(audience)}
        <button class="secondary" type="submit">Show it this way</button>
        ${article.audience !== audience ? html`<p class="hint">This version is written for: ${AUDIENCE_LABELS[article.audience]}.</p>` : ''}
      </form>
      ${trusted(renderArticleFragment({ ...publicView(article), urgentMessage: undefined }, { relatedHref: (q) => `/ask?q=${encodeURIComponent(q)}` }))}
      ${threadBlock(thread, article.id)}
      <section class="follow-up panel">
        <h2>Ask a follow-up</h2>
        <form method="post" action="/articles/${article.id}/follow-up">
          ${csrfField(ctx)}
          <label for="follow-up">Your follow-up question</label>
          <textarea
            id="follow-up"
            name="question"
            required
            minlength="2"
            maxlength="2000"
            placeholder="e.g. and the risks?"
          ></textarea>
          <p class="hint">We answer it in the context of this conversation.</p>
          <button type="submit">Ask</button>
        </form>
      </section>
      ${can(ctx.actor.role, 'review.queue') ? html`<p><a class="button" href="/review/${article.id}">Open in review</a></p>` : ''}`,
  );
}

function threadBlock(thread: Thread | null, currentId: string): SafeHtml | string {
  if (!thread || thread.turns.length < 2) return '';
  return html`<section class="thread">
    <h2>This conversation</h2>
    <ol>
      ${thread.turns.map(
        (t) =>
          html`<li${t.articleId === currentId ? trusted(' class="current"') : ''}><a href="/articles/${t.articleId}">${t.asked}</a>${
            t.asked !== t.question ? html` <span class="hint">(answered as: ${t.question})</span>` : ''
          }</li>`,
      )}
    </ol>
  </section>`;
}

export interface LibraryQuery {
  q?: string;
  topic?: string;
  kind?: string;
  status?: string;
  since?: string;
}

function options(values: readonly string[], selected: string | undefined, label: (v: string) => string): SafeHtml {
  return html`<option value="">Any</option>
    ${values.map(
      (v) => html`<option value="${v}" ${v === selected ? trusted(' selected') : ''}>${label(v)}</option>`,
    )}`;
}

/** The library: articles with search and filters (topic, evidence kind, status, date). */
export function libraryPage(ctx: PageContext, query: LibraryQuery, articles: readonly Article[]): string {
  return page(
    'Library',
    ctx,
    html`<h1>Library</h1>
      <form method="get" action="/library" class="filters" role="search">
        <div><label for="q">Search</label><input id="q" type="search" name="q" value="${query.q ?? ''}" /></div>
        <div>
          <label for="topic">Topic</label
          ><select id="topic" name="topic">
            ${options(QUESTION_TYPES, query.topic, (v) => v)}
          </select>
        </div>
        <div>
          <label for="kind">Evidence</label
          ><select id="kind" name="kind">
            ${options(EVIDENCE_KINDS, query.kind, (v) => v.replace(/_/g, ' '))}
          </select>
        </div>
        <div>
          <label for="status">Status</label
          ><select id="status" name="status">
            ${options(REVIEW_STATUSES, query.status, (v) => REVIEW_LABELS[v as ReviewStatus])}
          </select>
        </div>
        <div>
          <label for="since">Updated since</label
          ><input id="since" type="date" name="since" value="${query.since ?? ''}" />
        </div>
        <div><button type="submit">Filter</button></div>
      </form>
      <p class="hint">${articles.length} article(s)</p>
      <ul class="results">
        ${articles.map(
          (a) =>
            html`<li>
              <a href="/articles/${a.id}">${a.title ?? a.question}</a><br />${statusBadge(a.review.status)}
              <span class="hint"
                >${a.questionType ?? ''} · updated ${day(a.updatedAt)} · ${a.references.length} sources</span
              >
            </li>`,
        )}
      </ul>`,
  );
}

/** How answers are made, checked and reviewed. */
export function policyPage(ctx: PageContext): string {
  return page(
    'Editorial policy',
    ctx,
    html`<h1>Editorial policy</h1>
      <h2>How answers are made</h2>
      <p>
        Evidentia answers only from the documents in its library: clinical practice guidelines, systematic reviews,
        trials and other studies, and consumer health pages. It finds the passages that bear on the question, grades
        each source by its design (guidelines and systematic reviews first) and its age, and builds the answer from the
        sources' own sentences. It does not write facts of its own.
      </p>
      <h2>How answers are checked</h2>
      <p>
        Every statement carries numbered citations and the exact source sentence it came from, which you can open under
        "Source text". Before an article is shown, each statement is checked: its quote must be the source's exact text,
        and every number and every direction word (for, against, increase, decrease) must appear in that text. A
        statement that fails is removed and listed for reviewers. When the library holds too little evidence, the
        article says so instead of stretching.
      </p>
      <h2>How answers are reviewed</h2>
      <p>
        A new article is <strong>Submitted</strong>. Editors and reviewers take it <strong>Under review</strong>; they
        can correct wording and comment. Any edited statement is checked again against its sources and flagged if it no
        longer matches. Only a medical reviewer can <strong>Approve</strong> an article, request changes or reject it.
        Every change is kept as a new version with its author and time, and reviewers compare versions side by side.
        When a source of an approved article changes, the article goes back to review.
      </p>
      <h2>What the status means for you</h2>
      <p>
        Until a reviewer approves an article, it says that it is pending human review. Approved articles show the date
        of their last approval. Neither replaces the advice of a clinician who knows you.
      </p>`,
  );
}

export function loginPage(ctx: PageContext, next: string, error?: string): string {
  return page(
    'Sign in',
    ctx,
    html`<h1>Sign in</h1>
      <p>For editors, reviewers and administrators. Reading and asking need no account.</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/login">
        ${csrfField(ctx)}
        <input type="hidden" name="next" value="${next}" />
        <div class="field">
          <label for="username">Username</label
          ><input id="username" type="text" name="username" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="password">Password</label
          ><input id="password" type="password" name="password" autocomplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>`,
  );
}

/** The reviewer queue: articles waiting for a decision. */
export function queuePage(ctx: PageContext, articles: readonly Article[]): string {
  return page(
    'Review queue',
    ctx,
    html`<h1>Review queue</h1>
      <p class="hint">${articles.length} article(s) waiting, oldest first.</p>
      <table>
        <thead>
          <tr>
            <th>Question</th>
            <th>Status</th>
            <th>Updated</th>
            <th>Checks</th>
          </tr>
        </thead>
        <tbody>
          ${articles.map(
            (a) =>
              html`<tr>
                <td>
                  <a href="/review/${a.id}">${a.title ?? a.question}</a
                  >${a.review.flag ? html`<br /><span class="flag">${a.review.flag}</span>` : ''}
                </td>
                <td>${statusBadge(a.review.status)}</td>
                <td>${day(a.updatedAt)}</td>
                <td>
                  ${a.verification.checked} checked, ${a.verification.dropped}
                  dropped${flaggedCount(a) > 0 ? html`, <span class="flag">${flaggedCount(a)} flagged</span>` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

function flaggedCount(a: Article): number {
  return a.sections.reduce((n, s) => n + s.bullets.filter((b) => b.flag).length, 0);
}

const TRANSITION_LABELS: Readonly<Record<ReviewStatus, string>> = {
  submitted: 'Resubmit',
  under_review: 'Start review',
  approved: 'Approve',
  changes_requested: 'Request changes',
  rejected: 'Reject',
};

/** The review page: decisions, editable bullets, comments, versions and what was dropped. */
export function reviewPage(ctx: PageContext, article: Article, versions: readonly ArticleVersionInfo[]): string {
  const moves = allowedTransitions(article.review.status, ctx.actor.role);
  const canEdit = can(ctx.actor.role, 'article.edit');
  return page(
    `Review: ${article.title ?? article.question}`,
    ctx,
    html`<p><a href="/review">← Review queue</a> · <a href="/articles/${article.id}">Public page</a></p>
      <h1>${article.title ?? article.question}</h1>
      <p>
        ${statusBadge(article.review.status)} version ${article.version} · updated ${day(article.updatedAt)} · audience
        ${article.audience}
      </p>
      ${article.review.flag ? html`<p class="notice flag" role="alert">${article.review.flag}</p>` : ''}
      <section class="panel decision">
        <h2>Decision</h2>
        ${
          moves.length > 0
            ? html`<form method="post" action="/review/${article.id}/transition">
                ${csrfField(ctx)}
                <input type="hidden" name="version" value="${article.version}" />
                <label for="comment">Comment (optional)</label
                ><textarea id="comment" name="comment" maxlength="2000"></textarea>
                <div class="actions">
                  ${moves.map(
                    (to) =>
                      html`<button
                        type="submit"
                        name="to"
                        value="${to}"
                        ${to === 'rejected' ? trusted(' class="danger"') : to === 'changes_requested' ? trusted(' class="secondary"') : ''}
                      >
                        ${TRANSITION_LABELS[to]}
                      </button>`,
                  )}
                </div>
              </form>`
            : html`<p class="hint">No decision is open to a ${ctx.actor.role} at this status.</p>`
        }
        <form method="post" action="/review/${article.id}/comment">
          ${csrfField(ctx)}
          <label for="note">Add a comment</label><textarea id="note" name="text" required maxlength="2000"></textarea>
          <button class="secondary" type="submit">Comment</button>
        </form>
      </section>
      <section>
        <h2>Direct answer</h2>
        <p>${article.directAnswer.text}</p>
      </section>
      ${article.sections.map(
        (s, i) =>
          html`<section>
            <h2>${s.heading}</h2>
            ${s.bullets.map(
              (b, j) =>
                html`<div class="bullet-edit" id="b-${i}-${j}">
                  ${b.flag ? html`<p class="flag" role="alert">No longer matches its sources: ${b.flag}</p>` : ''}
                  ${b.edited ? html`<p class="hint">Edited by ${b.edited.by} at ${b.edited.at}</p>` : ''}
                  ${
                    canEdit
                      ? html`<form method="post" action="/review/${article.id}/bullets">
                          ${csrfField(ctx)}
                          <input type="hidden" name="section" value="${i}" /><input
                            type="hidden"
                            name="bullet"
                            value="${j}"
                          />
                          <input type="hidden" name="version" value="${article.version}" />
                          <label for="t-${i}-${j}" class="hint">Statement [${b.citations.join(', ')}]</label>
                          <textarea id="t-${i}-${j}" name="text" required>${b.text}</textarea>
                          <button class="secondary" type="submit">Save and re-check</button>
                        </form>`
                      : html`<p>${b.text}</p>`
                  }
                  ${b.support.map((sp) => html`<blockquote>${sp.quote} <span class="hint">(${sp.documentId} ${sp.start}–${sp.end})</span></blockquote>`)}
                </div>`,
            )}
          </section>`,
      )}
      ${
        article.verification.failures.length > 0
          ? html`<section>
              <h2>Dropped by verification</h2>
              <ul>
                ${article.verification.failures.map(
                  (f) => html`<li>${f.text} <span class="flag">${f.reason}</span></li>`,
                )}
              </ul>
            </section>`
          : ''
      }
      <section>
        <h2>History</h2>
        <ol>
          ${article.review.history.map(
            (h) =>
              html`<li>
                ${h.at.slice(0, 16).replace('T', ' ')} · ${h.by}:
                ${h.from === h.to ? 'comment' : `${h.from ?? 'new'} → ${h.to}`}${h.comment ? html` — <q>${h.comment}</q>` : ''}
              </li>`,
          )}
        </ol>
      </section>
      <section>
        <h2>Versions</h2>
        <table>
          <thead>
            <tr>
              <th>Version</th>
              <th>Status</th>
              <th>By</th>
              <th>Saved</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${versions.map(
              (v) =>
                html`<tr>
                  <td>${v.version}</td>
                  <td>${statusBadge(v.reviewStatus)}</td>
                  <td>${v.author}</td>
                  <td>${v.savedAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>
                    ${
                      v.version > 1
                        ? html`<a href="/review/${article.id}/diff?from=${v.version - 1}&amp;to=${v.version}"
                            >changes from ${v.version - 1}</a
                          >`
                        : ''
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`,
  );
}

export function diffPage(
  ctx: PageContext,
  article: Article,
  from: number,
  to: number,
  parts: readonly DiffPart[],
): string {
  return page(
    `Changes ${from} → ${to}`,
    ctx,
    html`<p><a href="/review/${article.id}">← Back to review</a></p>
      <h1>Changes from version ${from} to ${to}</h1>
      <p class="hint">${article.title ?? article.question}</p>
      <div class="diff">
        ${parts.map((p) =>
          p.kind === 'added'
            ? html`<ins>${p.text}</ins>`
            : p.kind === 'removed'
              ? html`<del>${p.text}</del>`
              : html`<span class="same">${p.text}</span>`,
        )}
      </div>`,
  );
}

export function adminPage(
  ctx: PageContext,
  users: readonly User[],
  audit: readonly AuditEntry[],
  message?: string,
): string {
  return page(
    'Administration',
    ctx,
    html`<h1>Administration</h1>
      ${message ? html`<p class="notice" role="status">${message}</p>` : ''}
      <h2>Accounts</h2>
      <table>
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (u) =>
              html`<tr>
                <td>${u.username}</td>
                <td>${u.role}</td>
                <td>${day(u.createdAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form method="post" action="/admin/users" class="panel">
        ${csrfField(ctx)}
        <strong>Add an account</strong>
        <div class="field">
          <label for="new-username">Username</label><input id="new-username" type="text" name="username" required />
        </div>
        <div class="field">
          <label for="new-password">Password (at least 10 characters)</label
          ><input id="new-password" type="password" name="password" autocomplete="new-password" required />
        </div>
        <div class="field">
          <label for="new-role">Role</label
          ><select id="new-role" name="role">
            <option>editor</option>
            <option>reviewer</option>
            <option>admin</option>
          </select>
        </div>
        <button type="submit">Add</button>
      </form>
      <h2>Audit log</h2>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          ${audit.map(
            (e) =>
              html`<tr>
                <td>${e.at.slice(0, 19).replace('T', ' ')}</td>
                <td>${e.actor}</td>
                <td>${e.action}</td>
                <td>${e.target}</td>
                <td>${e.detail ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export function accountPage(ctx: PageContext, token?: { token: string; expiresAt: string }): string {
  return page(
    'Your account',
    ctx,
    html`<h1>${ctx.actor.name}</h1>
      <p>Role: ${ctx.actor.role}</p>
      <h2>API tokens</h2>
      <p>
        An API token lets a program call the JSON API as you (<code>Authorization: Bearer …</code>). See
        <a href="/openapi.json">the API description</a>.
      </p>
      ${
        token
          ? html`<p class="notice" role="status">Your new token (shown once, expires ${day(token.expiresAt)}):</p>
              <p class="token">${token.token}</p>`
          : ''
      }
      <form method="post" action="/account/tokens">
        ${csrfField(ctx)}
        <div class="field">
          <label for="label">What it is for</label><input id="label" type="text" name="label" maxlength="80" required />
        </div>
        <button type="submit">Create a token</button>
      </form>`,
  );
}

const ERROR_HEADINGS: Readonly<Record<number, string>> = {
  404: 'Not found',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

export function errorPage(ctx: PageContext, status: number, message: string): string {
  return page(
    status === 404 ? 'Not found' : 'Something went wrong',
    ctx,
    html`<h1>${ERROR_HEADINGS[status] ?? 'We could not do that'}</h1>
      <p class="error" role="alert">${message}</p>
      <p><a href="/">Back to the start</a></p>`,
  );
}
