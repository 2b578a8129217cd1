export * from './errors.js';
export * from './source.js';
export * from './passage.js';
export * from './question.js';
export * from './article.js';
export * from './text.js';
export * from './evidence-kind.js';
export * from './segment.js';
