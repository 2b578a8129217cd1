export * from './workflow.js';
export * from './edit.js';
export * from './diff.js';
export * from './re-review.js';
