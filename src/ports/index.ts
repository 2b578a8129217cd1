export type * from './store.js';
export * from './clock.js';
