import type { Sentence } from './passage.js';
import type { SourceDocument } from './source.js';
import { splitSentences } from './text.js';

/** A passage before it is stored: a window of consecutive sentences inside one section. */
export interface PassageSpan {
  sectionIndex: number;
  heading: string;
  start: number;
  end: number;
}

/** Window limits: passages are short enough to rank precisely, long enough to carry context. */
export const PASSAGE_MAX_CHARS = 700;
export const PASSAGE_MAX_SENTENCES = 4;

/**
 * Cuts a document into sentences and passages. Both stores call this, so the same document
 * always has the same offsets whatever the backend. Text outside any section (a document with
 * no sections) is treated as one untitled section.
 */
export function segmentDocument(document: Pick<SourceDocument, 'id' | 'text' | 'sections'>): {
  sentences: Sentence[];
  passages: PassageSpan[];
} {
  const sections =
    document.sections.length > 0 ? document.sections : [{ heading: '', start: 0, end: document.text.length }];
  const sentences: Sentence[] = [];
  const passages: PassageSpan[] = [];
  sections.forEach((section, sectionIndex) => {
    const body = document.text.slice(section.start, section.end);
    let window: { start: number; end: number; count: number } | null = null;
    for (const span of splitSentences(body)) {
      const start = section.start + span.start;
      const end = section.start + span.end;
      sentences.push({ documentId: document.id, sectionIndex, start, end, text: document.text.slice(start, end) });
      if (window && (end - window.start > PASSAGE_MAX_CHARS || window.count >= PASSAGE_MAX_SENTENCES)) {
        passages.push({ sectionIndex, heading: section.heading, start: window.start, end: window.end });
        window = null;
      }
      if (window) {
        window.end = end;
        window.count++;
      } else {
        window = { start, end, count: 1 };
      }
    }
    if (window) passages.push({ sectionIndex, heading: section.heading, start: window.start, end: window.end });
  });
  return { sentences, passages };
}
