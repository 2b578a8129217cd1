/**
 * Escapes text for Markdown so that what a source or a question says is shown as written and never
 * read as markup: no links, images, HTML, emphasis or headings can come from it. Line breaks become
 * spaces, since a new line could start a block (a heading, a list, a quote). A bare http(s) address
 * stays as written (some renderers make it a link; a `javascript:` address is never made one).
 * @param value text from a source, a question or any other untrusted place
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^([#+\-=>!]|\d+[.)])/, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, '&amp;');
}
