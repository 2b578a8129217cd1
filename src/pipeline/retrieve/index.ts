export * from './retrieve.js';
