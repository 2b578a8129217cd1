import { XMLParser } from 'fast-xml-parser';
import { EvidentiaError } from '../../domain/errors.js';
import type { ImportItem } from '../importer.js';
import { parsePubmedText } from '../pubmed/pubmed-importer.js';
import { fetchText, type HttpPolicy, type HttpResponse } from './http.js';
import { sharedRateLimiter, type RateLimiter, type TimeSource } from './rate-limiter.js';

export const EUTILS_BASE_URL = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils/';
/** NCBI's published limits: requests per second per IP, without and with an API key. */
export const NCBI_RATE = { withoutKey: 3, withKey: 10 } as const;
/** Records per efetch request: large enough to be quick, small enough to retry cheaply. */
export const DEFAULT_EFETCH_BATCH = 200;

export interface EutilsSettings {
  baseUrl: string;
  apiKey?: string;
  /** Identifies the software to NCBI (their usage policy asks for `tool` and `email`). */
  tool: string;
  email?: string;
  batchSize?: number;
  /** Retry and timing overrides (tests). */
  attempts?: number;
  baseDelayMs?: number;
  limiter?: RateLimiter;
  time?: TimeSource;
}

export interface SearchResult {
  count: number;
  ids: string[];
  webEnv?: string;
  queryKey?: string;
  translation?: string;
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'Id' });

/** The E-utilities client for PubMed: esearch with history, efetch in batches. */
export class EutilsClient {
  private readonly policy: HttpPolicy;
  private readonly base: string;

  constructor(private readonly settings: EutilsSettings) {
    this.base = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;
    const rate = settings.apiKey ? NCBI_RATE.withKey : NCBI_RATE.withoutKey;
    this.policy = {
      service: 'PubMed E-utilities',
      limiter: settings.limiter ?? sharedRateLimiter('ncbi-eutils', rate),
      ...(settings.attempts === undefined ? {} : { attempts: settings.attempts }),
      ...(settings.baseDelayMs === undefined ? {} : { baseDelayMs: settings.baseDelayMs }),
      ...(settings.time === undefined ? {} : { time: settings.time }),
    };
  }

  /** ESearch on PubMed, keeping the result on NCBI's history server for efetch. */
  async esearch(term: string, retmax: number): Promise<SearchResult> {
    const response = await this.call('esearch.fcgi', { db: 'pubmed', term, usehistory: 'y', retmax: String(retmax) });
    return parseEsearch(response.body);
  }

  /** EFetch PubMed XML for a slice of a history result. */
  async efetch(search: SearchResult, retstart: number, retmax: number): Promise<ImportItem[]> {
    const params: Record<string, string> =
      search.webEnv !== undefined && search.queryKey !== undefined
        ? { WebEnv: search.webEnv, query_key: search.queryKey, retstart: String(retstart), retmax: String(retmax) }
        : { id: search.ids.slice(retstart, retstart + retmax).join(',') };
    const response = await this.call('efetch.fcgi', { db: 'pubmed', retmode: 'xml', ...params });
    return upstreamXml(() => parsePubmedText(response.body, `PubMed efetch (retstart ${retstart})`));
  }

  /**
   * Searches PubMed and yields up to `max` records as import items, fetched in batches.
   * @param term a PubMed query ("asthma AND budesonide")
   * @param max the most records to fetch
   */
  async *search(
    term: string,
    max: number,
    onBatch?: (fetched: number, total: number) => void,
  ): AsyncGenerator<ImportItem> {
    if (term.trim() === '') throw new EvidentiaError('INPUT_INVALID', 'the PubMed query is empty');
    if (!Number.isInteger(max) || max < 1)
      throw new EvidentiaError('INPUT_INVALID', `--max must be a positive whole number, got ${max}`);
    const batch = this.settings.batchSize ?? DEFAULT_EFETCH_BATCH;
    const found = await this.esearch(term, Math.min(max, batch));
    const total = Math.min(found.count, max);
    for (let start = 0; start < total; start += batch) {
      const items = await this.efetch(found, start, Math.min(batch, total - start));
      onBatch?.(Math.min(start + batch, total), total);
      yield* items;
    }
  }

  private async call(tool: string, params: Record<string, string>): Promise<HttpResponse> {
    const query = new URLSearchParams(params);
    query.set('tool', this.settings.tool);
    if (this.settings.email) query.set('email', this.settings.email);
    if (this.settings.apiKey) query.set('api_key', this.settings.apiKey);
    const url = `${this.base}${tool}`;
    // Long id lists and queries go as POST, which NCBI recommends beyond a few hundred ids.
    const long = query.toString().length > 1800;
    const response = await fetchText(long ? url : `${url}?${query.toString()}`, this.policy, {
      ...(long ? { body: query } : {}),
      softError: ncbiSoftError,
    });
    const error = ncbiErrorElement(response.body);
    if (error !== undefined) throw new EvidentiaError('UPSTREAM_REJECTED', `PubMed E-utilities: ${error}`);
    return response;
  }
}

/**
 * A service's XML that does not parse is the service's fault (often a cut-off answer), not the
 * user's: it becomes UPSTREAM_UNAVAILABLE, which says a later retry may help.
 */
export function upstreamXml<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EvidentiaError && error.code === 'FILE_MALFORMED') {
      throw new EvidentiaError('UPSTREAM_UNAVAILABLE', `malformed answer: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** NCBI answers an exceeded rate with a JSON body, sometimes under HTTP 200; that is worth a retry. */
export function ncbiSoftError(response: HttpResponse): string | undefined {
  return /API rate limit exceeded/i.test(response.body.slice(0, 500)) ? 'API rate limit exceeded' : undefined;
}

/** The text of an <ERROR> element at the top of a response, e.g. an unknown database. */
export function ncbiErrorElement(body: string): string | undefined {
  const head = body.slice(0, 2000);
  const match = /<ERROR>([\s\S]*?)<\/ERROR>/.exec(head) ?? /"error"\s*:\s*"([^"]+)"/.exec(head);
  return match?.[1]?.trim();
}

/** Reads an eSearchResult: count, ids, history keys and the query as PubMed understood it. */
export function parseEsearch(body: string): SearchResult {
  const parsed = xml.parse(body) as { eSearchResult?: Record<string, unknown> };
  const result = parsed.eSearchResult;
  if (result === undefined)
    throw new EvidentiaError('UPSTREAM_UNAVAILABLE', 'PubMed esearch: the answer is not an eSearchResult');
  const idList = result.IdList as { Id?: string[] } | string | undefined;
  const ids = typeof idList === 'object' ? (idList.Id ?? []).map(String) : [];
  const out: SearchResult = { count: Number(result.Count ?? 0), ids };
  if (typeof result.WebEnv === 'string') out.webEnv = result.WebEnv;
  if (result.QueryKey !== undefined) out.queryKey = String(result.QueryKey);
  if (typeof result.QueryTranslation === 'string') out.translation = result.QueryTranslation;
  return out;
}
