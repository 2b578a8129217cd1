import { z } from 'zod';
import { kindFromPublicationTypes, kindFromText } from '../../domain/evidence-kind.js';
import { EvidentiaError } from '../../domain/errors.js';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import type { ImportItem } from '../importer.js';
import { parseJatsText } from '../jats/jats-importer.js';
import { pmcId } from '../jats/jats-article.js';
import { PUBMED_URL, pubmedDocumentId } from '../pubmed/pubmed-article.js';
import { upstreamXml } from './eutils-client.js';
import { fetchText, type HttpPolicy } from './http.js';
import { sharedRateLimiter, type RateLimiter, type TimeSource } from './rate-limiter.js';

export const EUROPE_PMC_BASE_URL = 'https://www.ebi.ac.uk/europepmc/webservices/rest/';
/** Europe PMC publishes no hard limit; ten a second is polite and shared by the whole process. */
export const EUROPE_PMC_RATE = 10;
/** Europe PMC's largest page. */
export const MAX_PAGE_SIZE = 1000;

export interface EuropePmcSettings {
  baseUrl: string;
  pageSize?: number;
  attempts?: number;
  baseDelayMs?: number;
  limiter?: RateLimiter;
  time?: TimeSource;
}

// The part of a `resultType=core` record Evidentia reads; everything else is ignored.
const CoreResult = z.object({
  id: z.string().optional(),
  source: z.string().optional(),
  pmid: z.string().optional(),
  pmcid: z.string().optional(),
  doi: z.string().optional(),
  title: z.string().default(''),
  pubYear: z.string().optional(),
  abstractText: z.string().optional(),
  language: z.string().optional(),
  isOpenAccess: z.string().optional(),
  license: z.string().optional(),
  journalInfo: z.object({ journal: z.object({ title: z.string().optional() }).optional() }).optional(),
  pubTypeList: z.object({ pubType: z.array(z.string()).default([]) }).optional(),
  meshHeadingList: z.object({ meshHeading: z.array(z.object({ descriptorName: z.string() })).default([]) }).optional(),
  keywordList: z.object({ keyword: z.array(z.string()).default([]) }).optional(),
  grantsList: z
    .object({ grant: z.array(z.object({ grantId: z.string().optional(), agency: z.string().optional() })).default([]) })
    .optional(),
  fullTextUrlList: z
    .object({
      fullTextUrl: z
        .array(
          z.object({ availabilityCode: z.string().optional(), documentStyle: z.string().optional(), url: z.string() }),
        )
        .default([]),
    })
    .optional(),
});
export type CoreResult = z.infer<typeof CoreResult>;

const SearchPage = z.object({
  hitCount: z.number().int().nonnegative(),
  nextCursorMark: z.string().optional(),
  resultList: z.object({ result: z.array(z.unknown()).default([]) }).default({ result: [] }),
});

/**
 * Licences under which Evidentia may keep and quote the full text in any deployment: CC BY,
 * CC BY-SA, CC0 and public domain. Non-commercial and no-derivatives licences keep to the abstract.
 */
export function allowsFullText(result: Pick<CoreResult, 'isOpenAccess' | 'license'>): boolean {
  if (result.isOpenAccess !== 'Y' || result.license === undefined) return false;
  return /^(cc0|cc[ -]?by(?:[ -]sa)?|public[ -]domain)$/i.test(result.license.trim());
}

/** Europe PMC REST: search with cursorMark paging (resultType=core), open-access full text as JATS. */
export class EuropePmcClient {
  private readonly policy: HttpPolicy;
  private readonly base: string;

  constructor(private readonly settings: EuropePmcSettings) {
    this.base = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;
    this.policy = {
      service: 'Europe PMC',
      limiter: settings.limiter ?? sharedRateLimiter('europe-pmc', EUROPE_PMC_RATE),
      ...(settings.attempts === undefined ? {} : { attempts: settings.attempts }),
      ...(settings.baseDelayMs === undefined ? {} : { baseDelayMs: settings.baseDelayMs }),
      ...(settings.time === undefined ? {} : { time: settings.time }),
    };
  }

  /** One page of core results; `cursorMark` is "*" for the first. */
  async searchPage(
    query: string,
    cursorMark: string,
    pageSize: number,
  ): Promise<{ hitCount: number; nextCursorMark?: string; results: CoreResult[] }> {
    const params = new URLSearchParams({
      query,
      resultType: 'core',
      format: 'json',
      pageSize: String(pageSize),
      cursorMark,
    });
    const response = await fetchText(`${this.base}search?${params.toString()}`, this.policy);
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new EvidentiaError('UPSTREAM_UNAVAILABLE', 'Europe PMC search: the answer is not JSON');
    }
    const page = SearchPage.safeParse(json);
    if (!page.success) throw new EvidentiaError('UPSTREAM_UNAVAILABLE', 'Europe PMC search: unexpected answer shape');
    const results = page.data.resultList.result.flatMap((r) => {
      const parsed = CoreResult.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
    return { hitCount: page.data.hitCount, nextCursorMark: page.data.nextCursorMark, results };
  }

  /** The open-access full text of an article as JATS XML documents. */
  async fullText(pmcid: string): Promise<SourceDocumentInput[]> {
    const response = await fetchText(`${this.base}${encodeURIComponent(pmcId(pmcid))}/fullTextXML`, this.policy);
    return upstreamXml(() => parseJatsText(response.body, `Europe PMC full text ${pmcId(pmcid)}`));
  }

  /**
   * Searches and yields up to `max` documents. With `fullText`, an open-access article whose
   * licence allows reuse comes as its full text; the rest as their abstracts.
   */
  async *search(query: string, max: number, options: { fullText?: boolean } = {}): AsyncGenerator<ImportItem> {
    if (query.trim() === '') throw new EvidentiaError('INPUT_INVALID', 'the Europe PMC query is empty');
    if (!Number.isInteger(max) || max < 1)
      throw new EvidentiaError('INPUT_INVALID', `--max must be a positive whole number, got ${max}`);
    let cursor = '*';
    let yielded = 0;
    while (yielded < max) {
      const size = Math.min(this.settings.pageSize ?? MAX_PAGE_SIZE, max - yielded);
      const page = await this.searchPage(query, cursor, size);
      for (const result of page.results.slice(0, max - yielded)) {
        const document = await this.documentFor(result, options.fullText ?? false);
        if (document === null) continue;
        yielded++;
        yield { op: 'put', document };
      }
      // The last page repeats its own cursor (or has none): the documented end of the results.
      if (page.results.length === 0 || page.nextCursorMark === undefined || page.nextCursorMark === cursor) break;
      cursor = page.nextCursorMark;
    }
  }

  private async documentFor(result: CoreResult, fullText: boolean): Promise<SourceDocumentInput | null> {
    if (fullText && result.pmcid !== undefined && allowsFullText(result)) {
      const [document] = await this.fullText(result.pmcid);
      if (document !== undefined) {
        return { ...document, licence: document.licence ?? result.license, pmid: document.pmid ?? result.pmid };
      }
    }
    return coreResultToDocument(result);
  }
}

/**
 * A core search result as an abstract-only document, under the same id a PubMed record gets
 * (so the two sources never store one article twice). Null without any identifier.
 */
export function coreResultToDocument(result: CoreResult): SourceDocumentInput | null {
  const id =
    result.pmid !== undefined
      ? pubmedDocumentId(result.pmid)
      : result.pmcid !== undefined
        ? `pmc:${pmcId(result.pmcid)}`
        : result.id !== undefined
          ? `epmc:${(result.source ?? 'unknown').toLowerCase()}:${result.id}`
          : undefined;
  if (id === undefined) return null;
  const title = stripMarkup(result.title);
  const { text, sections } = layoutSections(abstractParts(result.abstractText ?? ''));
  const publicationTypes = result.pubTypeList?.pubType ?? [];
  const decision = kindFromPublicationTypes(publicationTypes) ?? kindFromText(title, text);
  const year = Number(result.pubYear);
  const metadata: Record<string, unknown> = { via: 'europepmc' };
  if (result.language !== undefined) metadata.language = result.language;
  const keywords = result.keywordList?.keyword ?? [];
  if (keywords.length > 0) metadata.keywords = keywords;
  if (result.pmcid !== undefined) metadata.pmcid = pmcId(result.pmcid);
  return {
    id,
    kind: decision.kind,
    kindRule: decision.rule,
    title,
    source: result.journalInfo?.journal?.title,
    year: Number.isInteger(year) && year > 0 ? year : undefined,
    pmid: result.pmid,
    doi: result.doi,
    url:
      result.pmid !== undefined
        ? `${PUBMED_URL}${result.pmid}/`
        : result.pmcid !== undefined
          ? `https://europepmc.org/article/PMC/${pmcId(result.pmcid)}`
          : undefined,
    licence: result.license,
    meshTerms: (result.meshHeadingList?.meshHeading ?? []).map((m) => m.descriptorName),
    publicationTypes,
    funding: (result.grantsList?.grant ?? [])
      .map((g) => [g.grantId, g.agency].filter((p) => p !== undefined && p !== '').join(' / '))
      .filter((g) => g !== ''),
    text,
    sections,
    metadata,
  };
}

/** Europe PMC marks structured-abstract headings with <h4>; the rest is inline HTML. */
export function abstractParts(html: string): Array<{ heading: string; text: string }> {
  const pieces = html.split(/<h4>([\s\S]*?)<\/h4>/i);
  const parts: Array<{ heading: string; text: string }> = [];
  const lead = stripMarkup(pieces[0] ?? '');
  if (lead !== '') parts.push({ heading: 'Abstract', text: lead });
  for (let i = 1; i < pieces.length; i += 2) {
    const text = stripMarkup(pieces[i + 1] ?? '');
    if (text !== '') parts.push({ heading: stripMarkup(pieces[i] ?? '') || 'Abstract', text });
  }
  return parts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Inline HTML to text: tags dropped where they stand, entities decoded, white space squashed. */
export function stripMarkup(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
