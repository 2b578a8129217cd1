/**
 * Pure layout analysis of a PDF's positioned text: lines, columns, running headers and
 * footers, page numbers, hyphenation and headings. Coordinates are PDF user space (y grows
 * upwards), as pdf.js reports them.
 */

/** One run of text as pdf.js places it. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  /** Font size (height of the run). */
  size: number;
}

export interface PageText {
  width: number;
  height: number;
  runs: TextRun[];
}

/** A line of text on a page. */
export interface Line {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  page: number;
}

export interface Block {
  kind: 'heading' | 'paragraph';
  text: string;
  page: number;
}

/** Tunable thresholds, in one place. */
export const PDF_LAYOUT = {
  /** Share of the page height at the top and bottom where running headers and footers live. */
  marginBand: 0.1,
  /** A margin line repeated on at least this share of pages (and two pages) is a running header or footer. */
  repeatShare: 0.5,
  /** A line this much larger than the body size is a heading. */
  headingScale: 1.15,
  /** Longest heading, in characters. */
  headingMaxChars: 120,
  /** A vertical gap larger than this many line heights starts a new paragraph. */
  paragraphGap: 1.6,
} as const;

/** Groups a page's runs into lines, left to right, top to bottom. */
export function pageLines(page: PageText, pageIndex: number): Line[] {
  const runs = page.runs.filter((r) => r.text.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Array<{ runs: TextRun[]; y: number; size: number }> = [];
  for (const run of runs) {
    // Same baseline (within a third of the size) and not far to the left of the last run: same line.
    const line = lines.find((l) => Math.abs(l.y - run.y) < Math.max(l.size, run.size) / 3);
    if (line !== undefined) {
      line.runs.push(run);
      line.size = Math.max(line.size, run.size);
    } else {
      lines.push({ runs: [run], y: run.y, size: run.size });
    }
  }
  return lines.flatMap((l) => splitAtGutters(l.runs, pageIndex));
}

/**
 * Joins a line's runs, and splits it where a wide gap separates them (two columns sharing a
 * baseline are two lines).
 */
function splitAtGutters(runs: TextRun[], pageIndex: number): Line[] {
  const sorted = [...runs].sort((a, b) => a.x - b.x);
  const out: Line[] = [];
  let current: Line | undefined;
  for (const run of sorted) {
    if (current !== undefined) {
      const gap = run.x - current.x1;
      if (gap > run.size * 2.5) {
        out.push(current);
        current = undefined;
      } else {
        const needsSpace = gap > run.size * 0.15 && !current.text.endsWith(' ') && !run.text.startsWith(' ');
        current.text += (needsSpace ? ' ' : '') + run.text;
        current.x1 = Math.max(current.x1, run.x + run.width);
        current.size = Math.max(current.size, run.size);
        continue;
      }
    }
    current = { text: run.text, x0: run.x, x1: run.x + run.width, y: run.y, size: run.size, page: pageIndex };
  }
  if (current !== undefined) out.push(current);
  return out.map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() }));
}

/**
 * Puts a page's lines in reading order: full-width lines in place; between them, the left
 * column top to bottom, then the right column.
 */
export function readingOrder(lines: readonly Line[], pageWidth: number): Line[] {
  const middle = pageWidth / 2;
  const side = (l: Line): 'left' | 'right' | 'full' =>
    l.x1 <= middle + 2 ? 'left' : l.x0 >= middle - 2 ? 'right' : 'full';
  const ordered: Line[] = [];
  let left: Line[] = [];
  let right: Line[] = [];
  const flush = () => {
    ordered.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const line of [...lines].sort((a, b) => b.y - a.y || a.x0 - b.x0)) {
    const where = side(line);
    if (where === 'full') {
      flush();
      ordered.push(line);
    } else if (where === 'left') left.push(line);
    else right.push(line);
  }
  flush();
  return ordered;
}

/** A margin line with its digits masked, so "Page 3" and "Page 4" compare equal. */
function marginKey(text: string): string {
  return text.replace(/\d+/g, '#').toLowerCase();
}

const PAGE_NUMBER = /^(page\s*)?#(\s*(of|\/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^[ivxlc]+$/i;

/**
 * Drops running headers and footers (margin lines repeated across pages, whatever their page
 * number) and bare page numbers.
 */
export function removeRunningText(pages: ReadonlyArray<{ lines: Line[]; height: number }>): Line[][] {
  const counts = new Map<string, number>();
  const inMargin = (line: Line, height: number) =>
    line.y > height * (1 - PDF_LAYOUT.marginBand) || line.y < height * PDF_LAYOUT.marginBand;
  for (const page of pages) {
    const keys = new Set(page.lines.filter((l) => inMargin(l, page.height)).map((l) => marginKey(l.text)));
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const repeated = (key: string) =>
    pages.length >= 2 && (counts.get(key) ?? 0) >= Math.max(2, pages.length * PDF_LAYOUT.repeatShare);
  return pages.map((page) =>
    page.lines.filter((line) => {
      if (!inMargin(line, page.height)) return true;
      const key = marginKey(line.text);
      return !(repeated(key) || PAGE_NUMBER.test(key));
    }),
  );
}

/** The most common font size, weighted by characters: the body text. */
export function bodySize(lines: readonly Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const size = Math.round(l.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + l.text.length);
  }
  return [...weight].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
}

/**
 * Lines (already in reading order, running text removed) to headings and paragraphs:
 * larger-than-body short lines are headings; a line ending in a hyphen joins the next
 * without it when the word goes on in lower case; a wide vertical gap starts a paragraph.
 */
export function blocksFromLines(lines: readonly Line[]): Block[] {
  const body = bodySize(lines);
  const blocks: Block[] = [];
  let paragraph: { text: string; page: number; last: Line } | undefined;
  let lastHeadingLine: Line | undefined;
  const endParagraph = () => {
    if (paragraph !== undefined && paragraph.text.trim() !== '') {
      blocks.push({ kind: 'paragraph', text: paragraph.text.trim(), page: paragraph.page });
    }
    paragraph = undefined;
  };
  for (const line of lines) {
    const isHeading =
      line.size >= body * PDF_LAYOUT.headingScale &&
      line.text.length <= PDF_LAYOUT.headingMaxChars &&
      /\p{L}/u.test(line.text);
    if (isHeading) {
      endParagraph();
      const previous = blocks[blocks.length - 1];
      // A heading wrapped over two lines at the same size is one heading.
      if (
        previous?.kind === 'heading' &&
        previous.page === line.page &&
        headingContinues(lastHeadingLine, line, body)
      ) {
        previous.text = `${previous.text} ${line.text}`;
      } else {
        blocks.push({ kind: 'heading', text: line.text, page: line.page });
      }
      lastHeadingLine = line;
      continue;
    }
    lastHeadingLine = undefined;
    if (paragraph !== undefined) {
      const last = paragraph.last;
      const newColumnOrPage = line.page !== last.page || line.y > last.y;
      const gap = last.y - line.y;
      if (!newColumnOrPage && gap > Math.max(line.size, last.size) * PDF_LAYOUT.paragraphGap) endParagraph();
    }
    if (paragraph === undefined) {
      paragraph = { text: line.text, page: line.page, last: line };
      continue;
    }
    paragraph.text = joinLines(paragraph.text, line.text);
    paragraph.last = line;
  }
  endParagraph();
  return blocks;
}

/** Whether a heading line goes on from the heading line just above it (same size, next line). */
function headingContinues(last: Line | undefined, line: Line, body: number): boolean {
  return (
    last !== undefined && Math.abs(last.size - line.size) < 0.5 && last.y - line.y < line.size * 1.6 && line.size > body
  );
}

/** Joins two lines of a paragraph, mending a word hyphenated across them. */
export function joinLines(previous: string, next: string): string {
  const hyphenated = /(\p{L})[-\u00AD]$/u.test(previous) && /^\p{Ll}/u.test(next);
  if (hyphenated) return previous.slice(0, -1) + next;
  return `${previous} ${next}`;
}
