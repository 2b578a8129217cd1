export { understand, contentTerms, detectQuestionType } from './understand.js';
