/**
 * The emergency lexicon, as data. Each category lists the signals that, found in a question,
 * mean the person may be describing an emergency happening now. A category fires when any of its
 * `any` patterns matches, or when every pattern of one of its `all` groups matches (a symptom
 * that is only alarming together with another, such as chest pain with sweating).
 *
 * The patterns run on normalised text (lower case, straight apostrophes, single spaces; see
 * `normaliseForRules`). They are written to catch lay words and common misspellings, and to leave
 * alone questions that only name a condition ("history of stroke, what diet?").
 */

export const EMERGENCY_CATEGORIES = [
  'cardiac',
  'stroke',
  'suicide_self_harm',
  'anaphylaxis',
  'severe_bleeding',
  'overdose_poisoning',
  'infant_fever',
  'prolonged_seizure',
  'breathing',
  'unresponsive',
  'meningitis_signs',
] as const;
export type EmergencyCategory = (typeof EMERGENCY_CATEGORIES)[number];

export interface EmergencyRule {
  category: EmergencyCategory;
  /** Any one of these is enough. */
  any: readonly RegExp[];
  /** Groups of patterns that must all match. */
  all?: readonly (readonly RegExp[])[];
}

// Building blocks, kept apart so the rules below stay readable.
const CANT = String.raw`(?:can ?not|can'?t|cant|unable to|could ?n'?t|couldnt|hard to|struggling to|struggle to|trouble|difficulty|hardly|can barely|barely)`;
const BREATHE = String.raw`(?:breath(?:e|ing)?|breth|breeth|brea?the?)`;
const CHEST_PAIN = String.raw`(?:chest|heart)\s*(?:pain|pian|pains|ache|hurts?|hurting|pressure|tightness|tight|heaviness|heavy|squeez\w*|crush\w*|discomfort)|(?:pain|pressure|tightness|heaviness|squeez\w*|crushing\w*)\s+(?:in|on|across|around)\s+(?:my|his|her|the)?\s*chest|chest (?:is|feels) (?:tight|heavy)|(?:tight|heavy|painful|sore|crushing|pressure in (?:my|his|her|the)) chest`;
const PERSON = String.raw`(?:i|i'm|im|i am|my \w+|he|she|they|he's|she's|hes|shes|we|our \w+|someone|somebody|a friend|my)`;
const WONT_STOP = String.raw`(?:won'?t|wont|will not|doesn'?t|does not|isn'?t|is not|not|didn'?t|did not|hasn'?t|has not|can'?t|cannot|can not) (?:stop|stopping|stopped|ending|ended)`;
const INFANT = String.raw`(?:newborn|new born|neonate|(?:[0-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -](?:weeks?|wks?|days?)[ -]old|(?:[0-9]|1[0-2]) ?(?:wk|wks|week|weeks|day|days|d) old|(?:1|2|one|two)[ -]months?[ -]old|(?:1|2|one|two)[ -]mo(?:nth)?s?[ -]?old|(?:1|2|one|two) month old|baby is (?:[0-9]|1[0-2]) (?:weeks?|days?)|(?:[0-9]|1[0-2]) (?:weeks?|days?) (?:old )?(?:baby|infant|son|daughter))`;
const FEVER = String.raw`(?:fever|feverish|febrile|temp(?:erature)? (?:of )?(?:3[89]|10[0-9])|temp(?:erature)? is (?:3[89]|10[0-9])|(?:3[89](?:\.\d)?|10[0-4](?:\.\d)?) ?(?:°|degrees?|c\b|f\b)|high temp|hot to (?:the )?touch|running a temp)`;

// Someone is describing themselves or a person with them, or asks for help now: what turns a
// broad symptom word into a possible emergency.
const PERSONAL =
  /\b(?:i|i'm|im|i've|ive|me|my|myself|himself|herself|themselves|we|our|us|he|she|he's|she's|his|her|him|they|their|them|someone|somebody|friend|son|daughter|mum|mom|dad|husband|wife|partner|baby|kid|child|toddler|grandma|grandpa|granny|uncle|aunt|sister|brother)\b|\b(?:help|right now|urgent|hurry|having|getting)\b/;
// Within a few words of each other, in either order.
const near = (a: string, b: string, words = 4) =>
  new RegExp(
    String.raw`\b(?:${a})\b(?:\W+[\w']+){0,${words}}?\W+(?:${b})\b|\b(?:${b})\b(?:\W+[\w']+){0,${words}}?\W+(?:${a})\b`,
  );
const CHEST_WORDS = String.raw`pain|pains|pian|hurt\w*|ache\w*|aching|tight\w*|heav\w*|pressure|crush\w*|squeez\w*|burning|elephant|clutch\w*|discomfort|gripping`;
const CARDIAC_COMPANIONS = String.raw`\b(?:sweat\w*|drenched|clammy|grey|gray|pale|ashen|breath\w*|breathe|winded|sick|nause\w*|vomit\w*|throw\w* up|threw up|arm|arms|jaw|neck|shoulder|dizz\w*|faint\w*|collaps\w*|light ?headed)\b`;
const FACE_SIGN =
  near(
    'face|smile|mouth|lips?|cheek',
    String.raw`droop\w*|sag\w*|crooked|lopsided|uneven|numb|wonky|fallen|dropped|slack|twisted`,
    3,
  ).source + String.raw`|\bcan'?t smile\b`;
const LIMB_SIGN = near(
  String.raw`arm|arms|leg|legs|hand|side`,
  String.raw`floppy|limp|weak|weakness|numb|dead|useless|won'?t (?:work|move)|can'?t (?:move|lift|feel|use|raise)|not working|gave way|gone`,
  4,
).source;
const SPEECH_SIGN =
  near(
    String.raw`speech|talking|words|speaking|voice`,
    String.raw`slurr\w*|weird|strange|odd|garbled|jumbled|gibberish|nonsense|funny|wrong|drunk|muddled`,
    3,
  ).source +
  String.raw`|\bcan'?t (?:find|get out|say) (?:his|her|my|the|their) words\b|\b(?:can'?t|cannot|unable to) (?:speak|talk)\b`;
const SUDDEN =
  /\b(?:sudden\w*|all of a sudden|out of nowhere|just now|since (?:\d+|ten|five|an?|half an) (?:minutes?|mins?|hours?)|\d+ (?:minutes?|mins?) ago|this morning|an hour ago|right now)\b/;
const ANY_STROKE_SIGN = new RegExp(`(?:${FACE_SIGN})|(?:${LIMB_SIGN})|(?:${SPEECH_SIGN})`);

export const EMERGENCY_RULES: readonly EmergencyRule[] = [
  {
    category: 'cardiac',
    any: [
      /\b(?:i'?m|i am|i think i'?m|i think i am|he'?s|she'?s|he is|she is|may be|might be|could be|is|am i) having a heart attack\b/,
      /\bheart attack (?:right )?now\b/,
      /\b(?:(?:is|went|going|gone) (?:in|into) cardiac arrest|having a cardiac arrest|no pulse|heart (?:has )?stopped|(?:isn'?t|is not|not) breathing and)\b/,
      /\bcpr\b.*\b(?:now|doing|started|should i)\b/,
    ],
    all: [
      [PERSONAL, near('chest', CHEST_WORDS), new RegExp(CARDIAC_COMPANIONS)],
      [
        new RegExp(CHEST_PAIN),
        new RegExp(
          String.raw`\b(?:sweat\w*|swet\w*|clammy|cold sweat|short(?:ness)? of ${BREATHE}|breathless\w*|out of breath|${CANT} (?:catch (?:my|his|her) )?${BREATHE}|(?:left |right )?arm|jaw|nause\w*|vomit\w*|throwing up|faint\w*|dizz\w*|light ?headed|passed out|collapsed?|radiat\w*|spread\w* to)\b`,
        ),
      ],
    ],
  },
  {
    category: 'stroke',
    any: [
      /\b(?:face|mouth|smile|lip|eyelid)\b[^.?!]{0,30}\b(?:droop\w*|dropping|dropped|sagg\w*|lopsided|crooked)\b/,
      /\bface\b[^.?!]{0,15}\b(?:is |feels |went |going |gone )?numb\b/,
      /\b(?:droop\w*|drooping|lopsided|crooked) (?:face|smile|mouth)\b/,
      /\bslurr\w* (?:his |her |my |their )?(?:speech|words)|\bspeech (?:is |became |suddenly )?slurr\w*|\btalking (?:funny|strange\w*|gibberish)|\bwords (?:are |come |keep )?(?:coming )?(?:out )?(?:jumbled|garbled|all wrong|mixed up)|\bsuddenly (?:can'?t|cannot|unable to) (?:speak|talk|understand)/,
      /\bsudden(?:ly)?\b[^.?!]{0,40}\b(?:weak\w*|numb\w*|paraly\w*|(?:can'?t|cannot|can not|unable to) (?:move|lift|feel|raise))\b[^.?!]{0,40}\b(?:one side|left side|right side|arm|leg|face|half)\b/,
      /\b(?:weak\w*|numb\w*|paraly\w*|can'?t (?:move|lift|feel))\b[^.?!]{0,30}\b(?:one side of (?:the |my |his |her )?(?:body|face))\b/,
      /\b(?:i'?m|i am|he'?s|she'?s|he is|she is|may be|might be|is|am i|think (?:i'?m|he'?s|she'?s|my \w+ is)) having a stroke\b/,
      /\bworst headache of (?:my|his|her|their) life\b/,
      /\b(?:sudden|suddenly|thunderclap)\b[^.?!]{0,30}\b(?:severe|worst|explosive|excruciating)\b[^.?!]{0,20}\bheadache\b/,
      /\bsudden(?:ly)?\b[^.?!]{0,15}\b(?:(?:lost|loss of|los\w*|can'?t see|cannot see|blind\w*)\b[^.?!]{0,20}\b(?:vision|sight|eyes?)\b|went blind)/,
    ],
    all: [
      [PERSONAL, new RegExp(FACE_SIGN), new RegExp(`(?:${LIMB_SIGN})|(?:${SPEECH_SIGN})`)],
      [PERSONAL, new RegExp(LIMB_SIGN), new RegExp(SPEECH_SIGN)],
      [PERSONAL, ANY_STROKE_SIGN, SUDDEN],
    ],
  },
  {
    category: 'suicide_self_harm',
    any: [
      /\b(?:kill|killing|hang|hanging|shoot|shooting|drown) (?:my ?self|myself|him ?self|her ?self|themselves)\b/,
      /\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\b/,
      /\b(?:i'?m|i am|im|i feel|feeling|i've been|been|he'?s|she'?s|he is|she is|my \w+ is|they are|they're|am i) (?:very |really |so |kind of |a bit |getting |becoming |feeling )?suicidal\b/,
      /\b(?:having|have|had|has|with|get|getting) (?:\w+ )?(?:suicidal (?:thoughts|feelings|ideas?|urges)|thoughts of (?:suicide|killing|ending|dying|death))\b/,
      /\b(?:i|he|she|they) (?:just )?(?:want|wants|wanna) to (?:die|be dead|not (?:be alive|exist|wake up))\b/,
      /\b(?:don'?t|do not|doesn'?t|does not) want to (?:live|be alive|wake up|exist)\b/,
      /\b(?:cutting|cut|burning|hurting|harming|hurt|harm|injuring) (?:my ?self|myself|him ?self|herself|themselves)\b/,
      /\b(?:i|i'm|im|i've|ive|he|she|he's|she's|they|my \w+|is|been|keeps?|started) (?:\w+ )?self[- ]?harm(?:ing|ed|s)?\b/,
      /\b(?:plan|planning|plans|going) to (?:commit suicide|end it all|kill)\b|\bend it all\b|\bcommit(?:ting)? suicide\b(?!.*\b(?:rates?|risk|statistics|why do)\b)/,
      /\bbetter off (?:dead|without me)\b|\bno reason to live\b|\bsuicide note\b/,
      /\b(?:plan|planning|plans|going|want|wants|intend\w*|ready|tempted|thinking about|thought about) (?:to )?(?:overdose|od|kill (?:my|him|her)self|hang|jump off|jump in front|cut (?:my|his|her) wrists)\b/,
      /\b(?:thinking|thought|think|considering|contemplating) (?:of|about) (?:suicide|killing myself|ending (?:it|my life|things))\b/,
      /\b(?:life|living|it) (?:is ?n'?t|is not|isnt|not|no longer) worth (?:living|it anymore|it any more)\b/,
      /\bwant (?:it|this|everything|it all|all this) to (?:be over|end)\b/,
      /\b(?:end|ending|finish|finishing) (?:everything|it all|things|my life|his life|her life)\b/,
      /\b(?:can'?t|cannot|can not) (?:go on|carry on|take it) (?:anymore|any more|like this|any longer)\b/,
      /\b(?:got|have|has|bought|saved up|collected|stockpiled) (?:the |my |his |her |some )?(?:pills|tablets|rope|gun|blades?) (?:ready|to (?:die|end))\b|\b(?:pills|tablets|rope|gun) (?:are |is )?ready\b/,
      /\b(?:bridge|roof|ledge|cliff|edge of|top of (?:a|the) building)\b[^.?!]{0,40}\b(?:jump|jumping|he'?ll jump|she'?ll jump)\b|\b(?:going to|wants to|threatening to|says (?:he|she|they)'?(?:ll| will)) jump\b/,
      /\b(?:texted|said|wrote|left|sent) (?:me |us )?(?:a )?goodbye\b|\b(?:rope|noose) (?:is )?ready\b|\bhave (?:the|a) (?:rope|noose)\b/,
    ],
  },
  {
    category: 'anaphylaxis',
    any: [
      /\b(?:throat|airway)\b[^.?!]{0,15}\b(?:is |are |feels? )?(?:swelling|closing|closed|swelling shut|closing up)\b/,
      /\b(?:tongue|lips?)\b[^.?!]{0,10}\b(?:is |are )?(?:swelling up|swelling|swollen)\b[^.?!]{0,40}\b(?:breath\w*|voice|speak|talk|after|ate|eating|sting|stung|allerg\w*)/,
      /\b(?:having|in|going into|having an?) (?:anaphyla\w*|allergic reaction)\b(?![^.?!]*\b(?:last (?:year|month|week)|years? ago|once|before|history)\b)/,
      /\b(?:anaphyla\w*|allergic reaction)\b[^.?!]{0,40}\b(?:now|right now|can'?t breathe|help)\b/,
      new RegExp(
        String.raw`\b(?:sting|stung|bee|wasp|peanut|nuts?|shellfish|ate|eating|injection|antibiotic|penicillin|allergic)\b[^.?!]{0,60}\b(?:${CANT} ${BREATHE}|wheez\w*|hives all over|passing out|fainted|collaps\w*)\b`,
      ),
      /\b(?:used|gave|give|given|injected) (?:an? |the |my |his |her )?(?:epipen|epi pen|epinephrine|adrenaline)\b[^.?!]{0,40}\b(?:still|not working|worse|now what|what next|again)\b/,
    ],
    all: [
      [
        /\b(?:throat|airway|tongue|lips?|face|mouth)\b[^.?!]{0,25}\b(?:swell\w*|swollen|closing|closed|tight\w*|puff\w*)\b|\b(?:swell\w*|swollen|puffy) (?:throat|tongue|lips?|airway|face)\b/,
        /\b(?:after|ate|eating|eaten|sting|stung|bitten|allerg\w*|reaction|took|taking|taken|injection|injected|contrast|antibiotic|penicillin|peanuts?|nuts?|shellfish|shrimp|prawns?|medicine|medication|vaccine|jab)\b/,
      ],
    ],
  },
  {
    category: 'severe_bleeding',
    any: [
      new RegExp(String.raw`\bbleed\w*\b[^.?!]{0,30}\b${WONT_STOP}\b`),
      /\b(?:bleeding|bleed) (?:very |really |so )?(?:heavily|a lot|profusely|badly|like crazy|everywhere)\b/,
      new RegExp(String.raw`\b(?:blood|bleed\w*)\b[^.?!]{0,30}\b${WONT_STOP}\b`),
      /\b(?:lots of|a lot of|so much|loads of|tons of|pool of|cups? of|too much|buckets of) blood (?:coming|pouring|everywhere|from|out|on)\b/,
      /\b(?:heavy|severe|massive|uncontrolled|uncontrollable|profuse) bleeding\b(?![^.?!]*\b(?:periods?|menstrua\w*|causes?|risk|with (?:warfarin|apixaban|rivaroxaban|anticoagulants?))\b)/,
      /\b(?:it|wound|cut|leg|arm|wrist|head|neck) (?:is |was |keeps )?(?:spurting|gushing|squirting|pumping)\b|\b(?:spurting|gushing|pouring|squirting|pumping) (?:out )?(?:blood|bright red)\b|\bblood (?:is )?(?:spurting|gushing|pouring|everywhere)\b/,
      /\b(?:vomit\w*|throwing up|threw up|puk\w*|cough\w* up) (?:a lot of |lots of |large amounts? of |cups of |bright red )?blood\b/,
      /\bsoak\w* (?:through )?(?:a |one |\d+ )?(?:pads?|towels?|tampons?)[^.?!]{0,20}\b(?:an? |every |each )?(?:hour|\d+ minutes)\b/,
      /\b(?:deep|big) (?:cut|gash|wound|laceration)\b[^.?!]{0,40}\b(?:won'?t stop|pouring|spurting|gushing|a lot of blood|lots of blood|bleeding heavily)\b/,
      /\b(?:amputat\w*|cut off) (?:my|his|her|a) (?:finger|toe|hand)\b/,
    ],
  },
  {
    category: 'overdose_poisoning',
    any: [
      /\b(?:i|he|she|they|we|my \w+|someone|son|daughter|kid|child|toddler|baby) (?:just |accidentally |accidently |may have |might have |has |have )?(?:overdosed|od'?d|took an overdose)\b/,
      /\b(?:took|taken|take|swallowed|ate|had|takes|drank|given) (?:way |far )?(?:too many|too much|a whole (?:bottle|pack|box)|the whole (?:bottle|pack|box)|an entire (?:bottle|pack|box)|a handful|handfuls|\d{2,} (?:pills|tablets|capsules))\b/,
      /\b(?:took|taken|swallowed|ate|had|drank|given) (?:\w+ ){0,3}(?:(?:\d+|double|triple|twice|three times|10 times|ten times) (?:the )?(?:dose|doses|amount|pills|tablets)|extra doses)\b[^.?!]{0,40}\b(?:by (?:mistake|accident)|accidentally|what (?:do|should)|is (?:he|she|it) (?:ok|okay|going to be)|dangerous|now)\b/,
      /\b(?:swallowed|drank|drunk|ate|eaten|ingested|licked|chewed|bit into) (?:some |a |an |the |a bit of |a little |some of the |a sip of |part of a )?(?:\w+ )?(?:bleach|antifreeze|anti-freeze|drain cleaner|detergent pods?|laundry pods?|dishwasher (?:pod|tablet)s?|button batter(?:y|ies)|batter(?:y|ies)|rat poison|poison|weed killer|pesticide|insecticide|lighter fluid|gasoline|petrol|kerosene|paraffin|lamp oil|windshield washer|methanol|mushrooms? from the (?:yard|garden|woods)|wild mushrooms?|oleander|nicotine liquid|e-liquid|vape juice|magnets?|cleaning (?:fluid|product))\b/,
      /\b(?:i|i'?ve|i have|he|she|they|we|my \w+|someone|somebody)\b[^.?!]{0,20}\b(?:been poisoned|was poisoned|is poisoned|got poisoned|poisoned (?:me|him|her|us|them|myself))\b|\bi'?ve been poisoned\b|\bpoisoned\b[^.?!]{0,20}\b(?:help|now|what do)\b/,
      /\b(?:carbon monoxide)\b[^.?!]{0,40}\b(?:alarm (?:is )?(?:going off|went off|beeping)|headache|dizzy|sleepy|confus\w*|everyone|all of us|family)\b/,
      /\b(?:took|taken|swallowed|ate|eaten|had|drank|chewed|got into|popped)\b[^.?!]{0,25}\b(?:\d{2,}|twenty|thirty|forty|fifty|a dozen|dozens|all (?:of )?(?:my|his|her|their|the)|some of (?:my|his|her|their|the)|(?:grandma|grandpa|granny|nana|mum|mom|dad|someone else|a friend)'?s)\b[^.?!]{0,20}\b(?:pills?|tablets?|capsules?|meds|medicines?|medication|paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|iron|vitamins|gummies)\b/,
      /\b(?:swallowed|drank|drunk|ate|eaten|ingested|gulped|sipped)\b[^.?!]{0,25}\b(?:bleach|antifreeze|drain cleaner|washer fluid|screenwash|weed killer|pesticide|rat poison|lighter fluid|gasoline|petrol|kerosene|lamp oil|methanol|batter(?:y|ies)|detergent|laundry pods?|dishwasher (?:pods?|tablets?))\b/,
      /\b(?:took|taken|injected|used|smoked|snorted|shot up|given|gave (?:him|her|them)) (?:way |far |a lot )?too much (?:of (?:his|her|my|their|the) )?(?:heroin|fentanyl|opioids?|opiates?|methadone|oxy\w*|morphine|insulin|cocaine|meth|ketamine|ghb|xanax|benzos?|pills|tablets|medicine|medication|meds|paracetamol|tylenol|acetaminophen|digoxin|lithium|warfarin)\b/,
      /\b(?:drank|drunk|swallowed|ate|licked|sipped|gulped)\b[^.?!]{0,20}\b(?:dishwasher|washing[- ]up|cleaning|cleaner|household|toilet|oven|descaler|bleach|ammonia|perfume|mouthwash|hand sanitiz\w*|nail polish remover|essential oil)\b/,
      /\bgot into (?:my|the|her|his|our) (?:\w+ ){0,3}(?:pills|medicine|medication|tablets|cabinet)\b/,
      /\b(?:mixed|mixing|combined|drank) (?:bleach and ammonia|ammonia and bleach|cleaning products)\b/,
    ],
  },
  {
    category: 'infant_fever',
    any: [
      new RegExp(String.raw`\b${INFANT}\b[^.?!]{0,60}${FEVER}`),
      new RegExp(String.raw`${FEVER}[^.?!]{0,60}\b${INFANT}\b`),
      /\b(?:newborn|new born|neonate)\b[^.?!]{0,40}\b(?:hot|warm to the touch|temp)\b/,
      new RegExp(
        String.raw`\b${INFANT}\b[^?!]{0,60}\b(?:feels? (?:very |really |so )?(?:hot|warm)|burning up|3[89](?:\.\d)?|10[0-4](?:\.\d)?)\b`,
      ),
    ],
  },
  {
    category: 'prolonged_seizure',
    any: [
      new RegExp(
        String.raw`\b(?:seizure|seizures|fit|fits|convulsion|convulsions|seizing|convulsing|fitting|shaking)\b[^.?!]{0,30}\b${WONT_STOP}\b`,
      ),
      /\b(?:seiz\w*|convuls\w*|fitting|having a (?:seizure|fit)|shaking)\b[^.?!]{0,30}\b(?:for|over|more than|longer than|almost|nearly) (?:\d+|five|ten|fifteen|twenty|several) (?:minutes|mins?)\b/,
      /\b(?:seizure|fit|convulsion)s? (?:after|upon) (?:another|seizure|fit|convulsion)\b|\b(?:\w+ )(?:seizures|fits|convulsions) (?:in a row|back to back|one after)\b/,
      /\b(?:not|isn'?t|is not|hasn'?t|has not|doesn'?t|does not|without) (?:woken|waking|wake|come round|coming round|come to|coming to|regain\w* consciousness)(?: up)? (?:in )?(?:between|after)\b/,
      /\b(?:one (?:seizure|fit) after (?:another|the other)|back[- ]to[- ]back seizures|seizures? (?:one after another|keep coming|in a row|without waking)|(?:not|hasn'?t|has not|isn'?t|doesn'?t) (?:woken|waking|wake|come|coming) (?:up )?(?:back )?(?:between|after) (?:the )?(?:seizures|fits))\b/,
      /\b(?:in|having|into|is in) status epilepticus\b/,
      /\b(?:seizure|seizures|fit|fits|seizing|convuls\w*|fitting|jerking)\b[^.?!]{0,40}\b(?:still (?:going|seizing|shaking|fitting|jerking|happening)|(?:\d+|ten|five|fifteen) (?:minutes?|mins?) ago|keeps? going|ongoing)\b/,
      /\b(?:first|1st) (?:ever )?seizure\b[^.?!]{0,40}\b(?:now|just|right now|today|still)\b/,
      /\b(?:seizure|fit|convuls\w*)\b[^.?!]{0,40}\b(?:turn\w* blue|blue lips|not breathing|hit (?:his|her|my) head)\b/,
    ],
  },
  {
    category: 'breathing',
    any: [
      new RegExp(
        String.raw`\b${PERSON}\b[^.?!]{0,25}\b${CANT} ${BREATHE}\b(?![^.?!]*\b(?:through (?:my|his|her) nose|at night when|with a cold|stuffy|blocked nose|when i exercise|during exercise|after running|climbing stairs)\b)`,
      ),
      /\b(?:lips|face|skin|fingers?|fingertips|tongue) (?:(?:are|is|turn\w*|going|gone|went|look\w*|getting|slightly|a bit) ){0,2}(?:blue|bluish|grey|gray)\b(?![^.?!]*\b(?:cold|swimming|swim|winter|raynaud\w*)\b)/,
      /\b(?:he|she|they|baby|he's|she's|is|are|went|gone|looks?|looking) (?:is |are |has |gone |turned |turning |going )?(?:blue|grey|gray)\b(?! (?:eyes|light|badge))/,
      /\b(?:inhaler|reliever|puffer|ventolin|salbutamol|albuterol|nebuli[sz]er)\b[^.?!]{0,20}\b(?:is ?n'?t|is not|not|doesn'?t|does not|isnt|stopped) (?:working|helping)\b/,
      /\bturn\w* blue\b(?![^.?!]*\b(?:cold|swimming|swim|winter|raynaud\w*)\b)/,
      /\b(?:gasping for (?:air|breath)|choking (?:on|and (?:can'?t|cannot))|is choking|he'?s choking|she'?s choking|i'?m choking)\b/,
      /\b(?:asthma attack)\b[^.?!]{0,50}\b(?:inhaler (?:isn'?t|is not|not) (?:working|helping)|can'?t (?:talk|speak|breathe)|not (?:working|helping)|getting worse)\b/,
      /\bstopped breathing\b|\bnot breathing\b/,
      new RegExp(
        String.raw`(?:^|[.!?] )${CANT} ${BREATHE}\b|\b${CANT} ${BREATHE} (?:at all|anymore|any more|properly,? help|help)\b`,
      ),
      /\b(?:wheez\w*|asthma|breathless\w*|short of breath)\b[^.?!]{0,40}\b(?:can'?t (?:speak|talk)|unable to (?:speak|talk)|inhaler (?:is ?n'?t|is not|not|isnt) (?:helping|working)|blue)\b/,
    ],
  },
  {
    category: 'unresponsive',
    any: [
      /\b(?:is ?n'?t|is not|not|won'?t|doesn'?t|does not|stopped) (?:responding|respond|reacting)\b(?! to (?:treatment|antibiotics|medication|therapy|the drug|tablets))/,
      /\b(?:unresponsive|won'?t wake up|will not wake up|can'?t wake (?:him|her|them|my \w+)(?: up)?|cannot wake (?:him|her|them)|not waking up|doesn'?t wake up|does not wake up|passed out and (?:won'?t|isn'?t|not)|unconscious|collapsed and (?:isn'?t|is not|won'?t|not))\b(?![^.?!]*\b(?:in the morning|tired|groggy|for school)\b)/,
      /\b(?:hit|banged|bumped|injured) (?:his|her|my|their) head\b[^.?!]{0,60}\b(?:vomit\w*|throw\w* up|confus\w*|drowsy|sleepy|passed out|knocked out|unconscious|seizure|won'?t wake|pupils?)\b/,
      /\b(?:knocked out|lost consciousness)\b[^.?!]{0,60}\b(?:vomit\w*|confus\w*|drowsy|still|now)\b/,
    ],
  },
  {
    category: 'meningitis_signs',
    any: [
      /\b(?:rash|spots|marks|blotches|dots|bruises)\b[^.?!]{0,30}\b(?:don'?t|do not|doesn'?t|does not|won'?t|didn'?t|did not|not) (?:fade|blanch|go away (?:when|under))\b/,
      /\b(?:stiff neck|neck stiffness|neck is stiff)\b[^.?!]{0,60}\b(?:fever|temperature|rash|spots|vomit\w*)\b|\b(?:fever|temperature)\b[^.?!]{0,60}\b(?:stiff neck|neck stiffness|neck is stiff)\b/,
      /\brash\b[^.?!]{0,50}\b(?:doesn'?t|does not|won'?t|didn'?t|did not|not) (?:fade|go away|blanch|disappear)\b[^.?!]{0,50}\b(?:glass|press\w*|fever|stiff)?/,
      /\bstiff neck\b[^.?!]{0,60}\b(?:fever|rash|light hurts|confus\w*|vomit\w*)\b|\bfever\b[^.?!]{0,60}\bstiff neck\b/,
    ],
  },
];

/**
 * A question asked in general terms ("What is a fever in a newborn?") about no one in particular
 * is a request for information, not a report of an emergency.
 */
export const GENERAL_QUESTION =
  /^(?:what|what's|how|why|when|which|who|where|is|are|does|do|can|could|should|will|would)\b/;
export const PERSONAL_REFERENCE = PERSONAL;

/** What the person is told first, per category. */
export const GENERAL_URGENT_MESSAGE =
  'This may be a medical emergency. Call your local emergency number now (for example 911 in the US and Canada, 112 in the EU, 999 in the UK) or go to the nearest emergency department. Do not wait for an answer from this article.';

export const URGENT_MESSAGES: Readonly<Record<EmergencyCategory, string>> = {
  cardiac: `${GENERAL_URGENT_MESSAGE} Chest pain with sweating, breathlessness or pain spreading to the arm or jaw can be a heart attack.`,
  stroke: `${GENERAL_URGENT_MESSAGE} Sudden face drooping, arm weakness or speech trouble can be a stroke; note the time the signs began.`,
  suicide_self_harm:
    'If you are thinking about ending your life or hurting yourself, or someone else is in danger, call your local emergency number now. In the US you can call or text 988 (Suicide & Crisis Lifeline) at any time. You do not have to face this alone.',
  anaphylaxis: `${GENERAL_URGENT_MESSAGE} Swelling of the throat, tongue or lips or trouble breathing after a trigger can be anaphylaxis; use an adrenaline (epinephrine) auto-injector if one is prescribed.`,
  severe_bleeding: `${GENERAL_URGENT_MESSAGE} Press firmly on the wound with a clean cloth and keep pressing until help arrives.`,
  overdose_poisoning: `${GENERAL_URGENT_MESSAGE} For a poisoning, a poison centre can advise (in the US: Poison Help 1-800-222-1222). Do not make the person vomit unless told to.`,
  infant_fever: `${GENERAL_URGENT_MESSAGE} A fever in a baby under three months old needs to be seen by a doctor urgently.`,
  prolonged_seizure: `${GENERAL_URGENT_MESSAGE} A seizure lasting more than five minutes, or seizures without waking in between, need emergency care.`,
  breathing: `${GENERAL_URGENT_MESSAGE} Severe trouble breathing or blue lips need emergency care.`,
  unresponsive: `${GENERAL_URGENT_MESSAGE} Someone who cannot be woken, or who is confused or vomiting after a head injury, needs emergency care.`,
  meningitis_signs: `${GENERAL_URGENT_MESSAGE} Fever with a stiff neck or a rash that does not fade under pressure can be meningitis.`,
};
