import { kindFromText } from '../../domain/evidence-kind.js';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import {
  child,
  childElements,
  children,
  localName,
  squashedText,
  type XmlElement,
  type XmlNode,
} from '../pubmed/xml-tree.js';

export const PMC_URL = 'https://pmc.ncbi.nlm.nih.gov/articles/';

/** A reference-list entry, kept as metadata (not body text, so it does not distort retrieval). */
export interface JatsReference {
  label?: string;
  text: string;
  pmid?: string;
  doi?: string;
}

interface Part {
  heading: string;
  text: string;
}

// Floating objects are read apart from the paragraph that anchors them.
const FLOATS = new Set(['fig', 'table-wrap', 'fig-group', 'table-wrap-group', 'supplementary-material']);
// Block elements whose text is its own paragraph inside a section.
const BLOCKS = new Set(['p', 'list', 'disp-quote', 'boxed-text', 'def-list', 'statement', 'disp-formula']);

/** "PMC1790863" from "1790863" or "PMC1790863". */
export function pmcId(value: string): string {
  return /^PMC/i.test(value) ? `PMC${value.slice(3)}` : `PMC${value}`;
}

/**
 * Maps one JATS <article> to a source document: title, abstract, body sections and
 * paragraphs, tables as text, figure captions; references, licence, funding and conflicts as
 * fields and metadata. Returns null when the article carries no identifier to store it under.
 */
export function jatsArticleToDocument(article: XmlElement): SourceDocumentInput | null {
  const front = child(article, 'front');
  const meta = child(front, 'article-meta');
  const journal = child(front, 'journal-meta');
  const ids = articleIds(meta);
  const pmc = ids.pmc ?? ids.pmcid;
  const id = pmc !== undefined ? `pmc:${pmcId(pmc)}` : ids.pmid !== undefined ? `pmid:${ids.pmid}` : undefined;
  const fallbackId = ids.doi !== undefined ? `doi:${ids.doi.toLowerCase()}` : undefined;
  const documentId = id ?? fallbackId;
  if (documentId === undefined) return null;

  const title = squashedText(child(meta, 'title-group', 'article-title'));
  const parts: Part[] = [...abstractParts(meta), ...bodyParts(child(article, 'body'))];
  const floats = floatParts(article);
  const { text, sections } = layoutSections([...parts, ...floats]);
  const decision = kindFromText(title, parts.map((p) => p.text).join('\n'));
  const back = child(article, 'back');
  const references = referenceList(back);
  const keywords = children(meta, 'kwd-group', 'kwd')
    .map((k) => squashedText(k))
    .filter((k) => k !== '');
  const metadata: Record<string, unknown> = { format: 'jats' };
  const articleType = article.attributes['article-type'];
  if (articleType !== undefined) metadata.articleType = articleType;
  if (keywords.length > 0) metadata.keywords = keywords;
  if (Object.keys(ids).length > 0) metadata.articleIds = ids;
  if (references.length > 0) metadata.references = references;
  const conflict = footnotes(article, ['conflict', 'COI-statement', 'competing-interests']);

  return {
    id: documentId,
    kind: decision.kind,
    kindRule: decision.rule,
    title,
    source:
      squashedText(child(journal, 'journal-title-group', 'journal-title')) ||
      squashedText(child(journal, 'journal-title')) ||
      undefined,
    year: publicationYear(meta),
    pmid: ids.pmid,
    doi: ids.doi,
    url:
      pmc !== undefined ? `${PMC_URL}${pmcId(pmc)}/` : ids.doi !== undefined ? `https://doi.org/${ids.doi}` : undefined,
    licence: licence(meta),
    funding: funding(article),
    conflictOfInterest: conflict === '' ? undefined : conflict,
    text,
    sections,
    metadata,
  };
}

/** article-id values by pub-id-type (pmid, pmc, doi, publisher-id…); the first of each type. */
function articleIds(meta: XmlElement | undefined): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const e of children(meta, 'article-id')) {
    const type = e.attributes['pub-id-type'] ?? 'unknown';
    const value = squashedText(e);
    if (value !== '' && ids[type] === undefined) ids[type] = value;
  }
  return ids;
}

/** The year of print or electronic publication, else of any pub-date. */
function publicationYear(meta: XmlElement | undefined): number | undefined {
  const dates = children(meta, 'pub-date');
  const typeOf = (d: XmlElement) => d.attributes['pub-type'] ?? d.attributes['date-type'] ?? '';
  const preferred = ['ppub', 'epub', 'pub', 'collection', 'epub-ppub'];
  const ordered = [...dates].sort((a, b) => rank(preferred, typeOf(a)) - rank(preferred, typeOf(b)));
  for (const date of ordered) {
    const year = Number(squashedText(child(date, 'year')));
    if (Number.isInteger(year) && year > 0) return year;
  }
  return undefined;
}

function rank(order: readonly string[], value: string): number {
  const index = order.indexOf(value);
  return index === -1 ? order.length : index;
}

/** The main abstract (not graphical or teaser ones), one part per section or one "Abstract". */
function abstractParts(meta: XmlElement | undefined): Part[] {
  const abstracts = children(meta, 'abstract');
  const main = abstracts.find((a) => a.attributes['abstract-type'] === undefined) ?? abstracts[0];
  if (main === undefined) return [];
  const secs = childElements(main, 'sec');
  if (secs.length === 0) return [{ heading: 'Abstract', text: blockText(main) }];
  return secs.map((sec) => ({
    heading: `Abstract: ${squashedText(child(sec, 'title')) || 'Abstract'}`,
    text: blockText(sec),
  }));
}

/** Body sections in order; a nested section is its own part, headed by its title path. */
function bodyParts(body: XmlElement | undefined): Part[] {
  if (body === undefined) return [];
  const parts: Part[] = [];
  const loose = blockText(body);
  if (loose !== '') parts.push({ heading: 'Body', text: loose });
  for (const sec of childElements(body, 'sec')) collectSection(sec, [], parts);
  return parts;
}

function collectSection(sec: XmlElement, path: readonly string[], parts: Part[]): void {
  const title = squashedText(child(sec, 'title'));
  const heading = title === '' ? [...path] : [...path, title];
  const text = blockText(sec);
  if (text !== '') parts.push({ heading: heading.join(' / ') || 'Section', text });
  for (const sub of childElements(sec, 'sec')) collectSection(sub, heading, parts);
}

/** The block children of a container (paragraphs, lists…) as paragraphs separated by blank lines. */
function blockText(container: XmlElement): string {
  const paragraphs: string[] = [];
  for (const node of container.children) {
    if (typeof node === 'string' || !BLOCKS.has(localName(node.name))) continue;
    const text = inlineText(node).replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}

/** Text in document order, leaving out floats (read separately) and MathML layout white space. */
function inlineText(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const name = localName(node.name);
  if (FLOATS.has(name)) return '';
  if (name === 'math') return squashedText(node);
  let out = '';
  for (const c of node.children) {
    // Adjacent list items and paragraphs inside blocks need a separator.
    const piece = inlineText(c);
    if (typeof c !== 'string' && (localName(c.name) === 'list-item' || localName(c.name) === 'p') && out !== '') {
      out += ' ';
    }
    out += piece;
  }
  return out;
}

/** Figures and tables anywhere in the article, as "Figure 1: caption" and "Table 1: caption + rows". */
function floatParts(article: XmlElement): Part[] {
  const parts: Part[] = [];
  walk(article, (element) => {
    const name = localName(element.name);
    if (name === 'fig') {
      const caption = captionText(element);
      if (caption !== '') parts.push({ heading: squashedText(child(element, 'label')) || 'Figure', text: caption });
      return false;
    }
    if (name === 'table-wrap') {
      const caption = captionText(element);
      const rows = tableRows(element);
      const text = [caption, ...rows].filter((t) => t !== '').join('\n');
      if (text !== '') parts.push({ heading: squashedText(child(element, 'label')) || 'Table', text });
      return false;
    }
    return true;
  });
  return parts;
}

function captionText(element: XmlElement): string {
  const caption = child(element, 'caption');
  if (caption === undefined) return '';
  const title = squashedText(child(caption, 'title'));
  const paragraphs = blockText(caption).replace(/\n\n/g, ' ');
  return [title, paragraphs].filter((t) => t !== '').join(' ');
}

/** A table as one line per row, cells joined by " | ". */
function tableRows(wrap: XmlElement): string[] {
  const rows: string[] = [];
  walk(wrap, (element) => {
    if (localName(element.name) !== 'tr') return true;
    const cells = childElements(element).filter((c) => c.name === 'td' || c.name === 'th');
    const line = cells.map((c) => squashedText(c)).join(' | ');
    if (line.replace(/[|\s]/g, '') !== '') rows.push(line);
    return false;
  });
  const foot = children(wrap, 'table-wrap-foot')
    .map((f) => squashedText(f))
    .filter((t) => t !== '');
  return [...rows, ...foot];
}

/** Visits elements depth first; the visitor returns false to skip an element's children. */
function walk(element: XmlElement, visit: (element: XmlElement) => boolean): void {
  for (const c of element.children) {
    if (typeof c === 'string') continue;
    if (visit(c)) walk(c, visit);
  }
}

function referenceList(back: XmlElement | undefined): JatsReference[] {
  const refs: JatsReference[] = [];
  for (const list of findAll(back, 'ref-list')) {
    for (const ref of childElements(list, 'ref')) {
      const citation = childElements(ref).find((c) => c.name !== 'label');
      const text = citation === undefined ? '' : spacedText(citation).replace(/\s+/g, ' ').trim();
      if (text === '') continue;
      const entry: JatsReference = { text };
      const label = squashedText(child(ref, 'label'));
      if (label !== '') entry.label = label;
      for (const pubId of findAll(ref, 'pub-id')) {
        const type = pubId.attributes['pub-id-type'];
        if (type === 'pmid' && entry.pmid === undefined) entry.pmid = squashedText(pubId);
        if (type === 'doi' && entry.doi === undefined) entry.doi = squashedText(pubId);
      }
      refs.push(entry);
    }
  }
  return refs;
}

/**
 * Text of a citation: element-citation lists its parts (surname, year, pages) as adjacent
 * elements without separators, so a space goes between elements that touch; ids are left out.
 */
function spacedText(node: XmlNode): string {
  if (typeof node === 'string') return node;
  let out = '';
  let previousWasElement = false;
  for (const c of node.children) {
    if (typeof c === 'string') {
      out += c;
      previousWasElement = false;
      continue;
    }
    if (c.name === 'pub-id' || c.name === 'object-id') continue;
    if (previousWasElement) out += ' ';
    out += spacedText(c);
    previousWasElement = true;
  }
  return out;
}

/** The licence URL when given, else its text, else the copyright statement. */
function licence(meta: XmlElement | undefined): string | undefined {
  const permissions = child(meta, 'permissions');
  const license = child(permissions, 'license');
  const href = license?.attributes['xlink:href'];
  const text =
    href ??
    (squashedText(child(license, 'license-p')) ||
      squashedText(license) ||
      squashedText(child(permissions, 'copyright-statement')) ||
      squashedText(child(meta, 'copyright-statement')));
  return text === '' ? undefined : text;
}

/** Funding sources with award ids, the funding statement and financial-disclosure notes. */
function funding(article: XmlElement): string[] {
  const lines: string[] = [];
  for (const group of findAll(child(article, 'front'), 'funding-group')) {
    for (const award of childElements(group, 'award-group')) {
      const line = [
        ...children(award, 'funding-source').map((s) => squashedText(s)),
        ...children(award, 'award-id').map((s) => squashedText(s)),
      ]
        .filter((p) => p !== '')
        .join(' / ');
      if (line !== '') lines.push(line);
    }
    const statement = squashedText(child(group, 'funding-statement'));
    if (statement !== '') lines.push(statement);
  }
  const disclosure = footnotes(article, ['financial-disclosure', 'funding']);
  if (disclosure !== '') lines.push(disclosure);
  return [...new Set(lines)];
}

/** Text of the article's footnotes of the given fn-types, joined. */
function footnotes(article: XmlElement, types: readonly string[]): string {
  return findAll(article, 'fn')
    .filter((fn) => types.includes(fn.attributes['fn-type'] ?? ''))
    .map((fn) => squashedText(fn))
    .filter((t) => t !== '')
    .join(' ');
}

function findAll(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined) return [];
  const found: XmlElement[] = [];
  walk(element, (e) => {
    if (e.name === name) {
      found.push(e);
      return false;
    }
    return true;
  });
  return found;
}
