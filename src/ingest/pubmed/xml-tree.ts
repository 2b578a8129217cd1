/**
 * A tiny in-memory element tree for one record at a time (one PubmedArticle), built from SAX
 * events. Children keep document order, so mixed content (text with <i>, <sup>…) is never
 * reordered.
 */
export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** Builds trees from open/text/close events; `close` returns the element it finished. */
export class XmlTreeBuilder {
  private readonly stack: XmlElement[] = [];

  get depth(): number {
    return this.stack.length;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    const element: XmlElement = { name, attributes, children: [] };
    this.stack[this.stack.length - 1]?.children.push(element);
    this.stack.push(element);
  }

  text(text: string): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) return;
    // Adjacent text (a text event then CDATA) joins, so look-ups see one string.
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text;
    else parent.children.push(text);
  }

  close(): XmlElement | undefined {
    return this.stack.pop();
  }
}

/** The name without a namespace prefix (`mml:math` → `math`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child !== 'string' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

/** The first direct child element named `name`, found without collecting the others. */
function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** Follows a path of direct children (`Article`, `Journal`, `Title`); the first match at each step. */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) {
    if (current === undefined) return undefined;
    current = firstChild(current, name);
  }
  return current;
}

/** All elements at the end of a path of direct children, in document order. */
export function children(element: XmlElement | undefined, ...path: string[]): XmlElement[] {
  if (element === undefined) return [];
  let level: XmlElement[] = [element];
  // Plain loops: flatMap with a callback per element was the mapping's costliest step.
  for (const name of path) {
    const next: XmlElement[] = [];
    for (const e of level) {
      for (const c of e.children) if (typeof c !== 'string' && c.name === name) next.push(c);
    }
    level = next;
  }
  return level;
}

/**
 * The element's text in document order: inline markup (<i>, <sup>, <b>…) is flattened to
 * its content where it stands; MathML keeps its token text without layout white space.
 */
export function textContent(node: XmlNode): string {
  if (typeof node === 'string') return node;
  if (localName(node.name) === 'math') return mathText(node);
  let out = '';
  for (const c of node.children) out += textContent(c);
  return out;
}

// Pretty-printed MathML puts newlines between every token; only <mtext> white space is meant.
function mathText(node: XmlNode, inText = false): string {
  if (typeof node === 'string') return inText ? node : node.trim();
  const isText = inText || localName(node.name) === 'mtext';
  let out = '';
  for (const c of node.children) out += mathText(c, isText);
  return out;
}

/** Text content with white space runs squashed to one space and trimmed. */
export function squashedText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  const text = textContent(node);
  // Most text is already squashed; checking is cheaper than rebuilding it.
  return isSquashed(text) ? text : text.replace(/\s+/g, ' ').trim();
}

/**
 * Whether the only white space in `text` is lone inner spaces: no two in a row, no tab,
 * newline or other space character, none at either end. Three quick looks instead of one
 * regular expression with alternatives tried at every character.
 */
function isSquashed(text: string): boolean {
  if (text === '') return true;
  if (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32 || text.includes('  ')) return false;
  return !OTHER_SPACE.test(text);
}

/** White space other than the plain space. */
const OTHER_SPACE = /[^\S ]/;
