import type { Article } from '../../domain/article.js';
import { citationNumbers, referenceDetails, reviewLine } from './labels.js';

/** The article as Markdown, for the terminal and for export. */
export function renderMarkdown(article: Article): string {
  const nums = citationNumbers(article);
  const cite = (c: readonly string[]) => {
    const n = nums(c);
    return n.length > 0 ? ` [${n.join(', ')}]` : '';
  };
  const out: string[] = [];
  out.push(`# ${article.title ?? article.question}`, '');
  out.push(`**Question:** ${article.question}`, '');
  if (article.urgentMessage) out.push(`> **${article.urgentMessage}**`, '');
  out.push(`_${reviewLine(article)}_`, '');
  out.push('## Direct answer', '', `${article.directAnswer.text}${cite(article.directAnswer.citations)}`, '');
  if (article.recommendations.length > 0) {
    out.push('## Recommendations', '');
    for (const r of article.recommendations) {
      const grade = [`Strength: ${r.strength}`, r.certainty ? `certainty: ${r.certainty}` : '']
        .filter(Boolean)
        .join('; ');
      const by = [r.issuer, r.year?.toString()].filter(Boolean).join(', ');
      out.push(`- ${r.statement} (${grade}${by ? `; ${by}` : ''})${cite(r.citations)}`);
    }
    out.push('');
  }
  for (const section of article.sections) {
    out.push(`## ${section.heading}`, '');
    for (const b of section.bullets) out.push(`- ${b.text}${cite(b.citations)}`);
    out.push('');
  }
  if (article.conflicts.length > 0) {
    out.push('## Where sources disagree', '');
    for (const c of article.conflicts) out.push(`- ${c.text}${cite(c.citations)}`);
    out.push('');
  }
  if (article.limitations.length > 0) {
    out.push('## Evidence limitations', '');
    for (const l of article.limitations) out.push(`- ${l.text}${cite(l.citations)}`);
    out.push('');
  }
  if (article.glossary && article.glossary.length > 0) {
    out.push('## Words used here', '');
    for (const g of article.glossary) out.push(`- **${g.term}**: ${g.meaning}`);
    out.push('');
  }
  if (article.references.length > 0) {
    out.push('## References', '');
    article.references.forEach((r, i) => {
      const ids = [r.pmid ? `PMID ${r.pmid}` : '', r.doi ? `doi:${r.doi}` : '', r.url ?? '']
        .filter(Boolean)
        .join(' · ');
      const details = referenceDetails(r);
      out.push(`${i + 1}. **${r.label}** — ${r.title}${details ? `. _${details}_` : ''}${ids ? `. ${ids}` : ''}`);
    });
    out.push('');
  }
  if (article.relatedQuestions.length > 0) {
    out.push('## Related questions', '');
    for (const q of article.relatedQuestions) out.push(`- ${q}`);
    out.push('');
  }
  out.push(
    `_Verification: ${article.verification.checked} statements checked against their sources, ${article.verification.dropped} dropped._`,
    '',
  );
  out.push('---', '', `_${article.disclaimer}_`, '');
  return out.join('\n');
}
