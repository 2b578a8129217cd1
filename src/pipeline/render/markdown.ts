import type { Article } from '../../domain/article.js';
import { citationNumbers, referenceDetails, reviewLine, searchedForLine } from './labels.js';
import { escapeMarkdown as md } from './markdown-escape.js';

/**
 * The article as Markdown, for the terminal and for export. An urgent message comes before
 * anything else; every text that came from a source or a question is escaped, so it cannot add
 * links, images or HTML.
 */
export function renderMarkdown(article: Article): string {
  const nums = citationNumbers(article);
  const cite = (c: readonly string[]) => {
    const n = nums(c);
    return n.length > 0 ? ` [${n.join(', ')}]` : '';
  };
  const out: string[] = [];
  if (article.urgentMessage) out.push(`> **${md(article.urgentMessage)}**`, '');
  out.push(`# ${md(article.title ?? article.question)}`, '');
  out.push(`**Question:** ${md(article.question)}`, '');
  if (article.searchedFor && article.searchedFor.length > 0)
    out.push(`_${md(searchedForLine(article.searchedFor))}_`, '');
  out.push(`_${reviewLine(article)}_`, '');
  out.push('## Direct answer', '', `${md(article.directAnswer.text)}${cite(article.directAnswer.citations)}`, '');
  if (article.recommendations.length > 0) {
    out.push('## Recommendations', '');
    for (const r of article.recommendations) {
      const grade = [`Strength: ${md(r.strength)}`, r.certainty ? `certainty: ${md(r.certainty)}` : '']
        .filter(Boolean)
        .join('; ');
      const by = [r.issuer, r.year?.toString()].filter(Boolean).join(', ');
      out.push(`- ${md(r.statement)} (${grade}${by ? `; ${md(by)}` : ''})${cite(r.citations)}`);
    }
    out.push('');
  }
  for (const section of article.sections) {
    out.push(`## ${md(section.heading)}`, '');
    for (const b of section.bullets) out.push(`- ${md(b.text)}${cite(b.citations)}`);
    out.push('');
  }
  if (article.conflicts.length > 0) {
    out.push('## Where sources disagree', '');
    for (const c of article.conflicts) out.push(`- ${md(c.text)}${cite(c.citations)}`);
    out.push('');
  }
  if (article.limitations.length > 0) {
    out.push('## Evidence limitations', '');
    for (const l of article.limitations) out.push(`- ${md(l.text)}${cite(l.citations)}`);
    out.push('');
  }
  if (article.glossary && article.glossary.length > 0) {
    out.push('## Words used here', '');
    for (const g of article.glossary) out.push(`- **${md(g.term)}**: ${md(g.meaning)}`);
    out.push('');
  }
  if (article.references.length > 0) {
    out.push('## References', '');
    article.references.forEach((r, i) => {
      const ids = [r.pmid ? `PMID ${md(r.pmid)}` : '', r.doi ? `doi:${md(r.doi)}` : '', r.url ? md(r.url) : '']
        .filter(Boolean)
        .join(' · ');
      const details = referenceDetails(r);
      out.push(
        `${i + 1}. **${md(r.label)}** — ${md(r.title)}${details ? `. _${md(details)}_` : ''}${ids ? `. ${ids}` : ''}`,
      );
    });
    out.push('');
  }
  if (article.relatedQuestions.length > 0) {
    out.push('## Related questions', '');
    for (const q of article.relatedQuestions) out.push(`- ${md(q)}`);
    out.push('');
  }
  out.push(
    `_Verification: ${article.verification.checked} statements checked against their sources, ${article.verification.dropped} dropped._`,
    '',
  );
  out.push('---', '', `_${md(article.disclaimer)}_`, '');
  return out.join('\n');
}
