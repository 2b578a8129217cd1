export * from './compose.js';
export type { Draft } from './draft.js';
export * from './layouts.js';
