/**
 * Cuts elements the PubMed mapping never reads (author lists, comment links, reference lists,
 * history, dates, journal details…: over half the bytes of a typical record) before the XML parser sees them, so it
 * does not tokenise them. Each cut element leaves its line breaks, so line numbers stay true;
 * columns can shift, so a reader that meets an error reads the file again uncut to report the
 * exact spot. Inside a cut element only the nesting of its own tags is checked.
 */
export const SKIPPED_PUBMED_ELEMENTS = [
  'AuthorList',
  'CommentsCorrectionsList',
  'ReferenceList',
  'History',
  'ChemicalList',
  'InvestigatorList',
  'SupplMeshList',
  'GeneSymbolList',
  'PersonalNameSubjectList',
  'DataBankList',
  // Smaller but frequent: every record has dates, journal details and MeSH qualifiers.
  'DateCompleted',
  'DateRevised',
  'MedlineJournalInfo',
  'CitationSubset',
  'QualifierName',
  'Pagination',
  'ISSN',
  'CopyrightInformation',
  'OtherAbstract',
  'OtherID',
  'GeneralNote',
  'NumberOfReferences',
  'PublicationStatus',
] as const;

// The longest open-tag prefix that could be cut at a chunk boundary, with room for attributes.
const HOLD_BACK = 64;

/** Cuts the named elements out of a stream of text chunks, holding back any element cut by a chunk edge. */
export class ElementBlanker {
  private carry = '';
  private readonly opener: RegExp;

  /**
   * @param names elements to blank, each matched with its own nesting
   * @param options.keepLines leave each cut element's line breaks (default), so a parser that
   *   tracks positions still reports true line numbers; a parser that does not track them is
   *   spared the extra text
   */
  constructor(
    private readonly names: readonly string[] = SKIPPED_PUBMED_ELEMENTS,
    private readonly options: { keepLines?: boolean } = {},
  ) {
    this.opener = new RegExp(`<(${names.join('|')})[\\s>/]`, 'g');
  }

  /** Text that can go to the parser now; an unfinished skipped element is held back. */
  push(chunk: string): string {
    const text = this.carry + chunk;
    let out = '';
    let pos = 0;
    for (;;) {
      this.opener.lastIndex = pos;
      const open = this.opener.exec(text);
      if (open === null) break;
      const start = open.index;
      const name = open[1] as string;
      const end = closingEnd(text, name, start);
      if (end === -2) {
        // Self-closing or otherwise not worth blanking: pass it through.
        out += text.slice(pos, start + 1);
        pos = start + 1;
        continue;
      }
      if (end === -1) {
        this.carry = text.slice(start);
        return out + text.slice(pos, start);
      }
      out += text.slice(pos, start) + (this.options.keepLines === false ? '' : blank(text.slice(start, end)));
      pos = end;
    }
    // Keep a possible cut-off "<AuthorLi" at the end for the next chunk.
    const lastOpen = text.lastIndexOf('<');
    const keepFrom =
      lastOpen >= pos && lastOpen > text.length - HOLD_BACK && text.indexOf('>', lastOpen) === -1
        ? lastOpen
        : text.length;
    this.carry = text.slice(keepFrom);
    return out + text.slice(pos, keepFrom);
  }

  /** Whatever is held back, unchanged: an element that never closed is left for the parser to report. */
  flush(): string {
    const rest = this.carry;
    this.carry = '';
    return rest;
  }
}

/**
 * Where the element opened at `start` ends (just past its matching close tag), -1 when the
 * text does not reach it yet, -2 when it is self-closing.
 */
function closingEnd(text: string, name: string, start: number): number {
  const openEnd = text.indexOf('>', start);
  if (openEnd === -1) return -1;
  if (text[openEnd - 1] === '/') return -2;
  const open = `<${name}`;
  const close = `</${name}>`;
  let depth = 1;
  let pos = openEnd + 1;
  while (depth > 0) {
    const nextClose = text.indexOf(close, pos);
    if (nextClose === -1) return -1;
    const nextOpen = nestedOpen(text, open, pos, nextClose);
    if (nextOpen !== -1) {
      depth++;
      pos = nextOpen + open.length;
    } else {
      depth--;
      pos = nextClose + close.length;
    }
  }
  return pos;
}

/**
 * Where `<Name` opens a real element (not a longer name such as `<ReferenceListX`) between
 * `from` and `limit`, or -1. The search stops at `limit` (the next close tag): an unbounded
 * one would run on to the next record for every element cut.
 */
function nestedOpen(text: string, open: string, from: number, limit: number): number {
  // A slice is a view in V8, so the search is bounded without copying.
  const window = text.slice(from, limit);
  let at = window.indexOf(open);
  while (at !== -1 && !NAME_END.test(window[at + open.length] ?? '')) at = window.indexOf(open, at + 1);
  return at === -1 ? -1 : from + at;
}

const NAME_END = /[\s>/]/;

/** Only the element's line breaks, so line numbers after it stay true. */
function blank(element: string): string {
  let lines = 0;
  for (let i = element.indexOf('\n'); i !== -1; i = element.indexOf('\n', i + 1)) lines++;
  return '\n'.repeat(lines);
}
