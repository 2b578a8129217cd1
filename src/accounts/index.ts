export * from './passwords.js';
export * from './tokens.js';
export * from './permissions.js';
