import type { QuestionType } from '../../domain/question.js';

/**
 * A facet is one thing a reader wants to know (who qualifies, the risks…). It is recognised by
 * the heading of the section a sentence sits in, or failing that by cue words in the sentence.
 */
export interface Facet {
  id: string;
  heading: string;
  headingCue: RegExp;
  sentenceCue: RegExp;
  /** Question used to suggest this facet when the article does not cover it; {focus} is filled in. */
  relatedQuestion: string;
}

const F = {
  selection: {
    id: 'selection',
    heading: 'Who is a candidate',
    headingCue: /\b(candidate|selection|eligib|indication|who (?:should|may|can|is)|patient selection)/i,
    sentenceCue:
      /\b(candidates?|eligib\w*|indicated for|selection|criteria|suitable for|considered for|is recommended for|should be offered|offer\w*|appropriate for|who have not (?:improved|responded)|failed)\b/i,
    relatedQuestion: 'Who is a good candidate for {focus}?',
  },
  contraindications: {
    id: 'contraindications',
    heading: 'Who should not have it',
    headingCue: /\b(contraindicat|who should not|not suitable|exclusion|precaution|cautions?)\b/i,
    sentenceCue:
      /\b(contraindicat\w*|should not|must not|not be (?:performed|used|given)|not recommended|unsuitable|exclud\w*|avoid\w*|do not (?:use|give|offer))\b/i,
    relatedQuestion: 'Who should not have {focus}?',
  },
  technique: {
    id: 'technique',
    heading: 'How it is done',
    headingCue:
      /\b(how (?:it|the procedure) is (?:done|performed)|technique|procedure|dosing|dose|administration|how to take|regimen)\b/i,
    sentenceCue:
      /\b(performed|technique|approach|guidance|probe|needle|inserted|fluoroscop\w*|sedation|an(?:a)?esthe\w*|regimen|administered|twice daily|once daily|single dose|for \d+ days|obtained|specimens?|measurements?|confirmed with|cuff|imaging is required|procedure is done|simultaneously)\b/i,
    relatedQuestion: 'How is {focus} done?',
  },
  outcomes: {
    id: 'outcomes',
    heading: 'Expected outcomes',
    headingCue: /\b(outcome|result|efficacy|effectiveness|benefit|what to expect)\b/i,
    sentenceCue:
      /\b(improv\w*|reduc\w*|outcomes?|efficacy|effective\w*|benefits?|response|relief|success\w*|remission|sustained|persist\w*)\b/i,
    relatedQuestion: 'What results can be expected from {focus}?',
  },
  risks: {
    id: 'risks',
    heading: 'Risks and side effects',
    headingCue: /\b(risks?|adverse|complications?|side effects?|harms?|safety)\b/i,
    sentenceCue:
      /\b(risks? of (?:harm|bleeding|infection|death)|adverse|complications?|side effects?|harms?|bleeding|injur\w*|safety|toxicity|allerg\w*|false-(?:positive|negative)|dependency|reactions?)\b/i,
    relatedQuestion: 'What are the risks of {focus}?',
  },
  practical: {
    id: 'practical',
    heading: 'Practical considerations',
    headingCue: /\b(practical|cost|access|recovery|follow-up|aftercare|what to expect after|living with|self-care)\b/i,
    sentenceCue:
      /\b(cost\w*|insurance|coverage|cover|outpatient|return to|recovery|follow-up|repeat\w*|access|travel|same day|work\w*|refer\w*|consult\w*|monitor\w*|visits?|program\w*|training|educat\w*|available|made available)\b/i,
    relatedQuestion: 'What should patients expect before and after {focus}?',
  },
  limitations: {
    id: 'limitations',
    heading: 'Limits of the evidence',
    headingCue: /\b(limitation|limits of the evidence|quality of (?:the )?evidence|gaps|uncertaint)/i,
    sentenceCue:
      /\b(limitations?|industry|sponsor\w*|funded|bias\w*|small (?:sample|studies|trials)|few (?:trials|studies)|crossover|more research|further research|not blinded|narrow|generali[sz]\w*|uncertain\w*|insufficient|inadequate evidence|limited evidence|no evidence|evidence is lacking|poor quality|conflicting|unclear|more information|could change|may change)\b/i,
    relatedQuestion: 'How strong is the evidence for {focus}?',
  },
  rationale: {
    id: 'rationale',
    heading: 'Why it works',
    headingCue: /\b(rationale|mechanism|anatomy|anatomic|background|how it works|why)\b/i,
    sentenceCue:
      /\b(innervat\w*|mechanism|anatom\w*|pathophysiolog\w*|rationale|pain generator|source of (?:the )?pain|because)\b/i,
    relatedQuestion: 'Why does {focus} work?',
  },
  definition: {
    id: 'definition',
    heading: 'What it is',
    headingCue: /\b(what is|what are|overview|definition|about|introduction|summary|information)\b/i,
    sentenceCue: /\b(is an?|are an?|refers to|defined as|is the|condition in which|disease in which|disorder)\b/i,
    relatedQuestion: 'What is {focus}?',
  },
  symptoms: {
    id: 'symptoms',
    heading: 'Symptoms and signs',
    headingCue: /\b(symptom|signs?)\b/i,
    sentenceCue: /\b(symptoms?|signs?|presents? with|feel\w*|fever|pain)\b/i,
    relatedQuestion: 'What are the symptoms of {focus}?',
  },
  causes: {
    id: 'causes',
    heading: 'Causes and risk factors',
    headingCue: /\b(cause|risk factor|genetic|inherit)/i,
    sentenceCue: /\b(caused? by|causes?|risk factors?|due to|associated with|inherit\w*|genetic|mutations?)\b/i,
    relatedQuestion: 'What causes {focus}?',
  },
  diagnosis: {
    id: 'diagnosis',
    heading: 'Diagnosis and tests',
    headingCue: /\b(diagnos|test|screening|exam|evaluation|assessment)/i,
    sentenceCue: /\b(diagnos\w*|tests?|testing|screen\w*|imaging|examination|measure\w*|confirm\w*)\b/i,
    relatedQuestion: 'How is {focus} diagnosed?',
  },
  treatment: {
    id: 'treatment',
    heading: 'Treatment',
    headingCue: /\b(treatment|therapy|management|recommendations?|what to do)\b/i,
    sentenceCue: /\b(treat\w*|therap\w*|manag\w*|medications?|drugs?|surgery|recommend\w*|first-line|prescrib\w*)\b/i,
    relatedQuestion: 'How is {focus} treated?',
  },
  outlook: {
    id: 'outlook',
    heading: 'Outlook',
    headingCue: /\b(outlook|prognosis|long-term)\b/i,
    sentenceCue: /\b(prognosis|outlook|survival|recover\w*|long-term|life expectancy)\b/i,
    relatedQuestion: 'What is the outlook for {focus}?',
  },
  prevention: {
    id: 'prevention',
    heading: 'Prevention',
    headingCue: /\b(prevent|screening)/i,
    sentenceCue: /\b(prevent\w*|vaccin\w*|reduce the risk|lower the risk)\b/i,
    relatedQuestion: 'How can {focus} be prevented?',
  },
} satisfies Record<string, Facet>;

/** The leading section: the statements that answer the question most directly, whatever their facet. */
export const KEY_EVIDENCE = { id: 'key-evidence', heading: 'What the evidence says' } as const;

export type FacetId = keyof typeof F;
export const FACETS: Readonly<Record<FacetId, Facet>> = F;

export interface Layout {
  name: string;
  facets: readonly Facet[];
}

/** For a question about doing something (a procedure, a treatment, a drug). */
export const INTERVENTION_LAYOUT: Layout = {
  name: 'intervention',
  facets: [F.selection, F.contraindications, F.technique, F.outcomes, F.risks, F.practical, F.limitations, F.rationale],
};

/** For a question about a condition, its cause, diagnosis, course or prevention. */
export const CONDITION_LAYOUT: Layout = {
  name: 'condition',
  facets: [F.definition, F.symptoms, F.causes, F.diagnosis, F.treatment, F.outlook, F.prevention, F.limitations],
};

export function layoutFor(type: QuestionType): Layout {
  return type === 'treatment' || type === 'procedure' || type === 'drug' ? INTERVENTION_LAYOUT : CONDITION_LAYOUT;
}
