/**
 * Consumer questions ask for one kind of section of a health page: its symptoms, causes,
 * treatment, outlook… A cue in the question names the section headings that answer it. The
 * first cues are specific; "what is" (an overview) applies only when nothing else matched.
 */
const CUES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/\b(symptoms?|signs?)\b/i, ['symptoms', 'signs']],
  [/\b(genetic changes?|genes? (?:related|linked|associated)|mutations?)\b/i, ['genetic changes', 'genetics']],
  [/\b(inherit\w*|passed down|hereditary)\b/i, ['inheritance']],
  [/\b(what causes|causes? of|caused by|why do)\b/i, ['causes']],
  [/\b(treat\w*|therap\w*|cured?|cures|manage\w*)\b/i, ['treatment', 'therapy', 'management']],
  [/\b(outlook|prognosis|life expectancy|survival|chances? of recovery)\b/i, ['outlook', 'prognosis']],
  [/\b(prevent\w*)\b/i, ['prevention']],
  [/\b(diagnos\w*|tests?|exams?)\b/i, ['exams and tests', 'diagnosis']],
  [/\b(how many people|how common|prevalence|frequency)\b/i, ['frequency']],
  [/\b(at risk|risk factors?|susceptib\w*)\b/i, ['susceptibility', 'risk factors']],
  [/\b(research|clinical trials?)\b/i, ['research', 'clinical trials']],
  [/\b(stages?|staging)\b/i, ['stages']],
  [/\b(complications?)\b/i, ['complications']],
];
const OVERVIEW = /^\s*(what is|what are|what's|what is \(are\)|do you have information about)\b/i;
const OVERVIEW_HEADINGS = ['information', 'overview'] as const;

/**
 * The section headings a consumer question asks for ([] when it names none).
 * @param question the question text
 */
export function sectionCues(question: string): string[] {
  const headings: string[] = [];
  for (const [cue, names] of CUES) if (cue.test(question)) headings.push(...names);
  if (headings.length === 0 && OVERVIEW.test(question)) headings.push(...OVERVIEW_HEADINGS);
  return [...new Set(headings)];
}
