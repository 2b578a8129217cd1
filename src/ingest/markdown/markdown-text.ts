/**
 * Markdown body → plain sections. Each #, ## or ### heading starts a section; inline markup
 * is removed but list items keep a "- " (or "1. ") marker, one per line, because sentence
 * splitting treats lines as boundaries. Wrapped paragraph lines are joined with a space.
 */
export interface MarkdownPart {
  heading: string;
  /** Heading level (1–3), 0 for text before the first heading. */
  level: number;
  text: string;
}

type Block = { type: 'paragraph' | 'item' | 'line'; text: string };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^\s*[-*+][ \t]+(.*)$/;
const ORDERED = /^\s*(\d{1,3})[.)][ \t]+(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const QUOTE = /^ {0,3}>[ \t]?/;

export function markdownParts(body: string): MarkdownPart[] {
  const parts: MarkdownPart[] = [];
  let current: { heading: string; level: number; blocks: Block[] } = { heading: '', level: 0, blocks: [] };
  let open: Block | null = null; // the paragraph or list item that a next line may continue
  let fence: string | null = null;
  let blankBefore = false;

  const flush = () => {
    parts.push({ heading: current.heading, level: current.level, text: joinBlocks(current.blocks) });
  };
  const add = (block: Block) => {
    current.blocks.push(block);
    open = block.type === 'line' ? null : block;
  };

  for (const rawLine of stripComments(body).split(/\r?\n/)) {
    const fenceMatch = FENCE.exec(rawLine);
    if (fence !== null) {
      if (fenceMatch?.[1] !== undefined && fenceMatch[1].startsWith(fence)) fence = null;
      else if (rawLine.trim() !== '') add({ type: 'line', text: rawLine.trim() });
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      fence = fenceMatch[1].slice(0, 3);
      open = null;
      continue;
    }
    const line = rawLine.replace(QUOTE, '');
    if (line.trim() === '') {
      open = null;
      blankBefore = true;
      continue;
    }
    const wasBlank = blankBefore;
    blankBefore = false;

    const heading = HEADING.exec(line);
    if (heading?.[1] !== undefined) {
      const text = cleanInline(heading[2] ?? '');
      if (heading[1].length <= 3) {
        flush();
        current = { heading: text, level: heading[1].length, blocks: [] };
        open = null;
      } else if (text !== '') add({ type: 'line', text });
      continue;
    }
    if (
      THEMATIC_BREAK.test(line) ||
      REFERENCE_DEFINITION.test(line) ||
      (TABLE_DELIMITER.test(line) && line.includes('-') && line.includes('|'))
    ) {
      open = null;
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      add({ type: 'item', text: `- ${cleanInline(bullet[1] ?? '')}` });
      continue;
    }
    const ordered = ORDERED.exec(line);
    if (ordered) {
      add({ type: 'item', text: `${ordered[1]}. ${cleanInline(ordered[2] ?? '')}` });
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      add({ type: 'line', text: tableRow(line) });
      continue;
    }
    const text = cleanInline(line);
    if (text === '') continue;
    // A line right after a paragraph or item continues it; after a blank line, only an indented one does.
    const continues = open !== null && (!wasBlank || ((open as Block).type === 'item' && /^\s{2,}/.test(line)));
    if (continues && open !== null) (open as Block).text += ` ${text}`;
    else add({ type: 'paragraph', text });
  }
  flush();
  return parts;
}

/** Paragraphs are separated by a blank line; consecutive list items or rows by a line break. */
function joinBlocks(blocks: readonly Block[]): string {
  let out = '';
  blocks.forEach((block, i) => {
    const prev = blocks[i - 1];
    if (prev !== undefined) out += prev.type !== 'paragraph' && block.type !== 'paragraph' ? '\n' : '\n\n';
    out += block.text.trim();
  });
  return out;
}

function stripComments(body: string): string {
  return body.replace(/<!--[\s\S]*?-->/g, '');
}

function tableRow(line: string): string {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cleanInline(cell))
    .join(' | ');
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
};

/** Removes inline Markdown and HTML, leaving the words as written. */
export function cleanInline(input: string): string {
  // Code spans and backslash escapes are put aside first (behind a private-use marker), so
  // emphasis rules never see them.
  const held: string[] = [];
  const hold = (value: string) => `\uE000${held.push(value) - 1}\uE000`;
  let text = input
    .replace(/\uE000/g, '')
    .replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, content: string) => hold(content.trim()))
    .replace(/\\([\\`*_{}[\]()#+\-.!<>~|])/g, (_m, char: string) => hold(char));
  text = text
    .replace(/<((?:https?|mailto):[^\s>]+)>/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/\*(?=[^\s*])(.+?)(?<=[^\s*])\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => decodeEntity(name) ?? whole);
  text = text.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => held[Number(i)] ?? '');
  return text.replace(/[ \t\u00a0]+/g, ' ').trim();
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(parseInt(name.slice(2), 16));
  if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10));
  return ENTITIES[name.toLowerCase()];
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
