export * from './render.js';
export { escapeHtml, safeUrl, renderArticleFragment, renderHtmlPage } from './html.js';
export { renderMarkdown } from './markdown.js';
export { fleschKincaidGrade, syllables } from './readability.js';
export { REVIEW_LABELS } from './labels.js';
