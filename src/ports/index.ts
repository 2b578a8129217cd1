export type * from './store.js';
export * from './clock.js';
export type * from './plain-text-index.js';
export type * from './embedder.js';
export type * from './vector-index.js';
