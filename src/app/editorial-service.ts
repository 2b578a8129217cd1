import type { Actor } from '../domain/account.js';
import type { Article, ReviewStatus } from '../domain/article.js';
import { REVIEW_STATUSES } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import { recheckBullet } from '../pipeline/verify/recheck.js';
import type { Clock } from '../ports/clock.js';
import type { ArticleVersionInfo, Store } from '../ports/store.js';
import {
  addComment,
  changedSources,
  diffArticles,
  editBullet,
  flagForReReview,
  transition,
  type BulletAddress,
  type DiffPart,
} from '../review/index.js';
import { requirePermission, type AccountsService } from './accounts-service.js';

/** What the library page and `GET /api/articles` filter on; every field is optional. */
export interface LibraryFilter {
  /** Words that must all occur in the question or title. */
  text?: string;
  /** The question type, e.g. "procedure". */
  topic?: string;
  /** An evidence kind among the references, e.g. "guideline". */
  kind?: string;
  status?: ReviewStatus;
  /** Only articles updated on or after this date (YYYY-MM-DD). */
  since?: string;
  limit?: number;
}

export interface EditorialService {
  library(filter: LibraryFilter): Promise<Article[]>;
  /** Articles waiting for a decision, oldest first. */
  queue(actor: Actor): Promise<Article[]>;
  get(id: string, version?: number): Promise<Article>;
  versions(id: string): Promise<ArticleVersionInfo[]>;
  diff(actor: Actor, id: string, from: number, to: number): Promise<DiffPart[]>;
  /** `expectedVersion`, when given, must be the current version (the one the reviewer saw). */
  transition(actor: Actor, id: string, to: ReviewStatus, comment?: string, expectedVersion?: number): Promise<Article>;
  /** `expectedVersion`, when given, must be the current version (the one the editor changed). */
  editBullet(actor: Actor, id: string, at: BulletAddress, text: string, expectedVersion?: number): Promise<Article>;
  comment(actor: Actor, id: string, text: string): Promise<Article>;
  /** Sends approved articles whose sources changed back for review; returns the ids flagged. */
  flagChangedSources(): Promise<string[]>;
}

const WAITING: readonly ReviewStatus[] = ['submitted', 'under_review', 'changes_requested'];
const SCAN_LIMIT = 1000;

export function parseReviewStatus(value: string): ReviewStatus {
  if ((REVIEW_STATUSES as readonly string[]).includes(value)) return value as ReviewStatus;
  throw new EvidentiaError('INPUT_INVALID', `unknown review status "${value}" (one of ${REVIEW_STATUSES.join(', ')})`);
}

/**
 * Refuses a change made on a version that is no longer the current one, so a decision or an edit
 * never lands on content its author did not see. The store checks the version again on save,
 * which catches a writer that changes the article between this check and the save.
 * @param current the article as stored now
 * @param expectedVersion the version the author saw, when the request says
 * @param redo what the author should do after reloading
 */
function unchangedSince(current: Article, expectedVersion: number | undefined, redo: string): Article {
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new EvidentiaError(
      'CONFLICT',
      `article ${current.id} changed since you opened it (now version ${current.version}); reload and ${redo}`,
    );
  }
  return current;
}

export function createEditorialService(store: Store, clock: Clock, accounts: AccountsService): EditorialService {
  const at = () => clock.now().toISOString();
  const load = async (id: string, version?: number) => {
    const article = await store.getArticle(id, version);
    if (!article) {
      throw new EvidentiaError('NOT_FOUND', `no article ${id}${version === undefined ? '' : ` version ${version}`}`);
    }
    return article;
  };
  const save = async (article: Article, actor: Actor | string, action: string, detail?: string) => {
    const name = typeof actor === 'string' ? actor : actor.name;
    await store.saveArticle(article, name);
    await accounts.audit(name, action, `${article.id}@${article.version}`, detail);
    return article;
  };

  return {
    async library(filter) {
      const summaries = await store.listArticles({
        ...(filter.status ? { reviewStatus: filter.status } : {}),
        limit: SCAN_LIMIT,
      });
      const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const result: Article[] = [];
      for (const s of summaries) {
        if (filter.since && s.updatedAt.slice(0, 10) < filter.since) continue;
        const haystack = `${s.question} ${s.title ?? ''}`.toLowerCase();
        if (!words.every((w) => haystack.includes(w))) continue;
        const article = await store.getArticle(s.id);
        if (!article) continue;
        if (filter.topic && article.questionType !== filter.topic) continue;
        if (filter.kind && !article.references.some((r) => r.kind === filter.kind)) continue;
        result.push(article);
        if (result.length >= (filter.limit ?? 50)) break;
      }
      return result;
    },

    async queue(actor) {
      requirePermission(actor, 'review.queue');
      const waiting: Article[] = [];
      for (const status of WAITING) {
        for (const s of await store.listArticles({ reviewStatus: status, limit: SCAN_LIMIT })) {
          const article = await store.getArticle(s.id);
          if (article) waiting.push(article);
        }
      }
      return waiting.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    },

    get: (id, version) => load(id, version),

    async versions(id) {
      await load(id);
      return store.listArticleVersions(id);
    },

    async diff(actor, id, from, to) {
      requirePermission(actor, 'review.queue');
      return diffArticles(await load(id, from), await load(id, to));
    },

    async transition(actor, id, to, comment, expectedVersion) {
      requirePermission(actor, 'article.transition');
      const current = unchangedSince(await load(id), expectedVersion, 'decide again');
      const next = transition(current, to, actor, at(), comment);
      return save(next, actor, `article.${to}`, comment);
    },

    async editBullet(actor, id, address, text, expectedVersion) {
      requirePermission(actor, 'article.edit');
      const article = unchangedSince(await load(id), expectedVersion, 'edit again');
      const next = await editBullet(article, address, text, actor, at(), (bullet, a) =>
        recheckBullet(bullet, a, { store }),
      );
      const flag = next.sections[address.section]?.bullets[address.bullet]?.flag;
      return save(
        next,
        actor,
        'article.edit',
        `bullet ${address.section}.${address.bullet}${flag ? ` flagged: ${flag}` : ''}`,
      );
    },

    async comment(actor, id, text) {
      requirePermission(actor, 'article.comment');
      return save(addComment(await load(id), text, actor, at()), actor, 'article.comment', text.slice(0, 200));
    },

    async flagChangedSources() {
      const flagged: string[] = [];
      for (const s of await store.listArticles({ reviewStatus: 'approved', limit: SCAN_LIMIT })) {
        const article = await load(s.id);
        const documents = await store.getDocuments(article.references.map((r) => r.documentId));
        const changed = changedSources(article, documents);
        if (changed.length === 0) continue;
        const reason = `a cited source changed after approval: ${changed.join(', ')}`;
        await save(flagForReReview(article, reason, at()), 'evidentia', 'article.flagged', reason);
        flagged.push(article.id);
      }
      return flagged;
    },
  };
}
