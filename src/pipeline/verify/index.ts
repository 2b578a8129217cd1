export * from './verify.js';
export * from './claims.js';
