import { kindFromPublicationTypes, kindFromText } from '../../domain/evidence-kind.js';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { child, children, squashedText, type XmlElement } from './xml-tree.js';

export const PUBMED_URL = 'https://pubmed.ncbi.nlm.nih.gov/';

/** Document id of a PubMed record. */
export function pubmedDocumentId(pmid: string): string {
  return `pmid:${pmid}`;
}

/**
 * Maps one <PubmedArticle> element to a source document. Returns null when the record has no
 * PMID of its own (nothing stable to store it under).
 */
export function pubmedArticleToDocument(article: XmlElement): SourceDocumentInput | null {
  const citation = child(article, 'MedlineCitation');
  // The citation's own PMID is its direct child; CommentsCorrections and references hold others.
  const pmid = squashedText(child(citation, 'PMID'));
  if (pmid === '') return null;
  const art = child(citation, 'Article');
  const journal = child(art, 'Journal');

  const title = squashedText(child(art, 'ArticleTitle')) || squashedText(child(art, 'VernacularTitle'));
  const publicationTypes = children(art, 'PublicationTypeList', 'PublicationType').map((e) => squashedText(e));
  const { text, sections } = layoutSections(abstractParts(art));
  const decision = kindFromPublicationTypes(publicationTypes) ?? kindFromText(title, text);

  const articleIds = articleIdMap(article);
  const keywords = children(citation, 'KeywordList', 'Keyword')
    .map((e) => squashedText(e))
    .filter((k) => k !== '');
  const language = squashedText(child(art, 'Language'));
  const metadata: Record<string, unknown> = {};
  if (language !== '') metadata.language = language;
  if (keywords.length > 0) metadata.keywords = keywords;
  if (Object.keys(articleIds).length > 0) metadata.articleIds = articleIds;

  const coi = squashedText(child(citation, 'CoiStatement'));
  return {
    id: pubmedDocumentId(pmid),
    kind: decision.kind,
    kindRule: decision.rule,
    title,
    source: squashedText(child(journal, 'Title')) || squashedText(child(journal, 'ISOAbbreviation')) || undefined,
    year: publicationYear(art),
    pmid,
    doi: doiOf(art, articleIds),
    url: `${PUBMED_URL}${pmid}/`,
    meshTerms: children(citation, 'MeshHeadingList', 'MeshHeading', 'DescriptorName').map((e) => squashedText(e)),
    publicationTypes,
    funding: children(art, 'GrantList', 'Grant')
      .map(grantLine)
      .filter((g) => g !== ''),
    conflictOfInterest: coi === '' ? undefined : coi,
    text,
    sections,
    metadata,
  };
}

/** One part per <AbstractText>, headed by its Label; OtherAbstract (translations) is not read. */
function abstractParts(art: XmlElement | undefined): Array<{ heading: string; text: string }> {
  return children(art, 'Abstract', 'AbstractText').map((e) => ({
    heading: (e.attributes.Label ?? '').trim() || 'Abstract',
    text: squashedText(e),
  }));
}

/** JournalIssue PubDate Year, else the first year in MedlineDate ("1998 Dec-1999 Jan"), else ArticleDate. */
export function publicationYear(art: XmlElement | undefined): number | undefined {
  const pubDate = child(art, 'Journal', 'JournalIssue', 'PubDate');
  const candidates = [
    squashedText(child(pubDate, 'Year')),
    squashedText(child(pubDate, 'MedlineDate')),
    squashedText(child(art, 'ArticleDate', 'Year')),
  ];
  for (const candidate of candidates) {
    const match = /\b(\d{4})\b/.exec(candidate);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

function doiOf(art: XmlElement | undefined, articleIds: Record<string, string>): string | undefined {
  const located = children(art, 'ELocationID').find((e) => e.attributes.EIdType === 'doi');
  const doi = squashedText(located) || articleIds.doi || '';
  return doi === '' ? undefined : doi;
}

/** PubmedData's own ArticleIdList (not those inside ReferenceList), as IdType → value. */
function articleIdMap(article: XmlElement): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const e of children(article, 'PubmedData', 'ArticleIdList', 'ArticleId')) {
    const type = e.attributes.IdType ?? 'unknown';
    const value = squashedText(e);
    if (value !== '' && ids[type] === undefined) ids[type] = value;
  }
  return ids;
}

/** "R01 CA12345 / NCI NIH HHS / United States": the parts that are present. */
function grantLine(grant: XmlElement): string {
  return ['GrantID', 'Agency', 'Country']
    .map((name) => squashedText(child(grant, name)))
    .filter((part) => part !== '')
    .join(' / ');
}
