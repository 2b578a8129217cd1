import type { Article } from '../../domain/article.js';
import { REVIEW_STATUSES } from '../../domain/article.js';
import { citationNumbers, referenceDetails, REVIEW_LABELS, reviewLine, searchedForLine } from './labels.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attributes. Source text is data, never markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only http(s) links are ever emitted; anything else (javascript:, data:) becomes no link. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface FragmentOptions {
  /** Where a related question links to (the web application asks it); no links when absent. */
  relatedHref?: (question: string) => string;
}

/** The article body as an HTML fragment: shared by the standalone page and the web application. */
export function renderArticleFragment(article: Article, options: FragmentOptions = {}): string {
  const nums = citationNumbers(article);
  const cite = (c: readonly string[]) =>
    nums(c)
      .map((n) => ` <a class="cite" href="#ref-${n}" aria-label="reference ${n}">[${n}]</a>`)
      .join('');
  const h: string[] = [];
  h.push(`<article class="evidentia-article" data-status="${escapeHtml(article.status)}">`);
  if (article.urgentMessage)
    h.push(`<div class="urgent" role="alert"><strong>${escapeHtml(article.urgentMessage)}</strong></div>`);
  h.push(`<h1>${escapeHtml(article.title ?? article.question)}</h1>`);
  h.push(`<p class="question">${escapeHtml(article.question)}</p>`);
  if (article.searchedFor && article.searchedFor.length > 0)
    h.push(`<p class="searched-for">${escapeHtml(searchedForLine(article.searchedFor))}</p>`);
  const current = REVIEW_STATUSES.indexOf(article.review.status);
  h.push('<ol class="review-status" aria-label="Review status">');
  for (const status of ['submitted', 'under_review', 'approved'] as const) {
    const i = REVIEW_STATUSES.indexOf(status);
    const state = status === article.review.status ? 'current' : i < current && current <= 2 ? 'done' : 'todo';
    h.push(`<li class="${state}">${REVIEW_LABELS[status]}</li>`);
  }
  h.push('</ol>');
  h.push(`<p class="review-line">${escapeHtml(reviewLine(article))}</p>`);
  h.push('<section class="direct-answer"><h2>Direct answer</h2>');
  h.push(`<p>${escapeHtml(article.directAnswer.text)}${cite(article.directAnswer.citations)}</p></section>`);
  if (article.recommendations.length > 0) {
    h.push('<section><h2>Recommendations</h2><ul>');
    for (const r of article.recommendations) {
      const grade = [`Strength: ${r.strength}`, r.certainty ? `certainty: ${r.certainty}` : '']
        .filter(Boolean)
        .join('; ');
      const by = [r.issuer, r.year?.toString()].filter(Boolean).join(', ');
      h.push(
        `<li><span class="direction ${escapeHtml(r.direction)}">${escapeHtml(r.direction === 'none' ? 'statement' : r.direction)}</span> ${escapeHtml(r.statement)} <span class="strength">(${escapeHtml(grade)}${by ? `; ${escapeHtml(by)}` : ''})</span>${cite(r.citations)}</li>`,
      );
    }
    h.push('</ul></section>');
  }
  for (const section of article.sections) {
    h.push(`<section><h2>${escapeHtml(section.heading)}</h2><ul>`);
    for (const b of section.bullets) {
      const quotes = b.support.map((s) => `<blockquote>${escapeHtml(s.quote)}</blockquote>`).join('');
      h.push(
        `<li>${escapeHtml(b.text)}${cite(b.citations)}<details class="quote"><summary>Source text</summary>${quotes}</details></li>`,
      );
    }
    h.push('</ul></section>');
  }
  const listBlock = (title: string, items: Article['limitations']) => {
    if (items.length === 0) return;
    h.push(`<section><h2>${title}</h2><ul>`);
    for (const i of items) h.push(`<li>${escapeHtml(i.text)}${cite(i.citations)}</li>`);
    h.push('</ul></section>');
  };
  listBlock('Where sources disagree', article.conflicts);
  listBlock('Evidence limitations', article.limitations);
  if (article.glossary && article.glossary.length > 0) {
    h.push('<section><h2>Words used here</h2><dl>');
    for (const g of article.glossary) h.push(`<dt>${escapeHtml(g.term)}</dt><dd>${escapeHtml(g.meaning)}</dd>`);
    h.push('</dl></section>');
  }
  if (article.references.length > 0) {
    h.push('<section class="references"><h2>References</h2><ol>');
    article.references.forEach((r, i) => {
      const links: string[] = [];
      if (r.pmid)
        links.push(
          `<a href="https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(r.pmid)}/">PMID ${escapeHtml(r.pmid)}</a>`,
        );
      if (r.doi) links.push(`<a href="https://doi.org/${escapeHtml(encodeURI(r.doi))}">doi:${escapeHtml(r.doi)}</a>`);
      const url = safeUrl(r.url);
      if (url && !r.pmid) links.push(`<a href="${escapeHtml(url)}">source</a>`);
      const details = referenceDetails(r);
      h.push(
        `<li id="ref-${i + 1}"><span class="label">${escapeHtml(r.label)}</span> <cite>${escapeHtml(r.title)}</cite>${details ? ` <span class="details">${escapeHtml(details)}</span>` : ''} ${links.join(' ')}</li>`,
      );
    });
    h.push('</ol></section>');
  }
  if (article.relatedQuestions.length > 0) {
    h.push('<section class="related"><h2>Related questions</h2><ul>');
    for (const q of article.relatedQuestions) {
      const href = options.relatedHref?.(q);
      h.push(href ? `<li><a href="${escapeHtml(href)}">${escapeHtml(q)}</a></li>` : `<li>${escapeHtml(q)}</li>`);
    }
    h.push('</ul></section>');
  }
  h.push(
    `<p class="verification">${article.verification.checked} statements checked against their sources; ${article.verification.dropped} dropped.</p>`,
  );
  h.push(`<footer class="disclaimer"><p>${escapeHtml(article.disclaimer)}</p></footer>`);
  h.push('</article>');
  return h.join('\n');
}

const STANDALONE_CSS = `body{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1f23}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ddd}
.urgent{background:#b00020;color:#fff;padding:1rem;border-radius:6px}.question{color:#555}
.review-status{display:flex;gap:1rem;list-style:none;padding:0}.review-status li{padding:.2rem .6rem;border-radius:1rem;background:#eee}
.review-status .current{background:#1f6feb;color:#fff}.review-status .done{background:#cfe3ff}
.cite{text-decoration:none;font-size:.85em}.label{font-weight:600}.strength{color:#555}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid #ccc;color:#444}
.disclaimer{margin-top:2rem;font-size:.9rem;color:#555;border-top:1px solid #ddd}`;

/** A complete HTML page with the article and its own stylesheet; no script, no external requests. */
export function renderHtmlPage(article: Article): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(article.title ?? article.question)} — Evidentia</title><style>${STANDALONE_CSS}</style></head>
<body>
${renderArticleFragment(article)}
</body></html>
`;
}
