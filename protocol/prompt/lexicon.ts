/**
 * Word lists used by the prose compiler. These are the compiler's own notion
 * of droppable words, separate from the published stopword lists the
 * fidelity metric uses (`stopwords.ts`): the metric's Glasgow list also holds
 * words such as "system", "name", "describe", "find", "empty" or "never",
 * which carry meaning in a prompt and which the compiler keeps.
 */
import type { ActionVerb } from './schema.js';
import { PROJECT_STOPWORDS } from './stopwords.js';

/**
 * Function words the compiler may drop: the project's list (articles,
 * pronouns, auxiliaries, prepositions, conjunctions, contraction fragments)
 * plus the connectives, discourse adverbs and indefinite pronouns of the
 * Glasgow list. Quantifiers and frequency words (always, never, often, every,
 * except, …) are not in it. Single letters are excluded from content words separately.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...PROJECT_STOPWORDS,
  ...`afterwards also although amongst among another anyhow anyone anything anyway anywhere became become becomes becoming
  beforehand besides thereby therefore therein thereupon thence thereafter hence hereafter hereby herein hereupon however indeed
  latter latterly meanwhile moreover namely nevertheless perhaps rather somehow someone something sometime somewhere
  though thus thru upon us via whatever whence whereafter whereas whereby wherein whereupon wherever whither whoever whose yet
  onto toward towards etc`
    .split(/\s+/)
    .filter(Boolean),
]);

/**
 * Stopwords the compiler keeps anyway because dropping them changes the
 * meaning (negation, restriction, condition, comparison, alternatives).
 */
export const MEANINGFUL_FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'no', 'not', 'nor', 'only', 'must', 'if', 'unless', 'until', 'before', 'after', 'than', 'or', 'more', 'most', 'few', 'all', 'each',
  'same', 'how', 'what', 'why', 'when', 'where', 'which', 'who', 'against', 'without', 'between', 'below', 'above', 'under', 'over',
]);

/**
 * Words that set an instruction's polarity: dropping a repeat of one turns
 * "avoid enums" into "enums", so the repeated-word rule never drops them.
 */
export const POLARITY_WORDS: ReadonlySet<string> = new Set(
  `always never avoid avoided prefer preferred favor favour forbid forbidden allow allowed disallow require required mandatory optional
  minimize minimise maximize maximise limit except instead`.split(/\s+/).filter(Boolean),
);

/** At level `max` only these function words survive: negation, restriction, condition, alternative, order. */
export const LOGIC_WORDS: ReadonlySet<string> = new Set(['no', 'not', 'nor', 'only', 'unless', 'without', 'if', 'when', 'or', 'before', 'after', 'than']);

/**
 * Frequent, low-information content words dropped at level `max` (they count
 * against recall: this is the level that trades fidelity for tokens).
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `also able appropriate based best better clear clearly consider currently different easy effective effectively especially
  etc example examples following follow get given good great help helps highly important include including keep like
  make makes making may need needs new particular possible proper properly relevant really related several specific sure
  thing things try use used uses using various want way ways well whenever whether within`.split(/\s+/).filter(Boolean),
);

/**
 * Manner adverbs (`-ly`) dropped at level `max` ("carefully", "clearly"),
 * except these, which restrict or are not adverbs.
 */
export const KEPT_LY_WORDS: ReadonlySet<string> = new Set(
  `only strictly exclusively explicitly solely early daily weekly monthly yearly hourly family apply reply supply comply imply rely multiply
  italy july ugly friendly unfriendly user-friendly likely unlikely assembly anomaly butterfly holy jelly rally silly lonely lovely costly deadly
  elderly orderly curly poly readonly monopoly`.split(/\s+/).filter(Boolean),
);

/** Words with no instruction content in a prompt, dropped even though they are not stopwords. */
export const FILLER_WORDS: ReadonlySet<string> = new Set(['please', 'kindly', 'really', 'basically', 'actually', 'simply']);

/** Framing phrases removed before anything else (case-insensitive, at clause start or anywhere for the first group). */
export const FRAMING_PATTERNS: readonly RegExp[] = [
  /\b(?:could|can|would|will) you(?: please)?\b/gi,
  /\bi (?:would like|want|need|wish) (?:for )?you to\b/gi,
  /\bi(?:'d| would) like (?:you )?to\b/gi,
  /\b(?:please )?(?:make sure|be sure|ensure) (?:that |to )?(?=\w)/gi,
  /\b(?:your (?:task|job|goal|role|mission) (?:is|will be) to)\b/gi,
  /\bit is (?:important|essential|crucial) (?:that|to)\b/gi,
  /\b(?:you should|you must|you will|you need to|you are to|you'll)\b/gi,
  /\bthank(?:s| you)[^.!?\n\uE000]*[.!?]?/gi,
];

/** Imperative verbs mapped to the seed's action verbs. */
export const VERB_MAP: Readonly<Record<string, ActionVerb>> = Object.freeze({
  analyze: 'ANALYZE', analyse: 'ANALYZE', review: 'ANALYZE', examine: 'ANALYZE', inspect: 'ANALYZE', audit: 'ANALYZE', investigate: 'ANALYZE', assess: 'ANALYZE', evaluate: 'ANALYZE',
  create: 'CREATE', write: 'CREATE', generate: 'CREATE', build: 'CREATE', add: 'CREATE', design: 'CREATE', draft: 'CREATE', compose: 'CREATE',
  delete: 'DELETE', remove: 'DELETE',
  enhance: 'ENHANCE', improve: 'ENHANCE', optimize: 'ENHANCE', optimise: 'ENHANCE', extend: 'ENHANCE',
  fix: 'FIX', repair: 'FIX', debug: 'FIX', resolve: 'FIX', correct: 'FIX',
   implement: 'IMPLEMENT', develop: 'IMPLEMENT',
   migrate: 'MIGRATE', upgrade: 'MIGRATE', convert: 'MIGRATE',
  refactor: 'REFACTOR', restructure: 'REFACTOR', reorganize: 'REFACTOR', simplify: 'REFACTOR',
  test: 'TEST',
  validate: 'VALIDATE', verify: 'VALIDATE', check: 'VALIDATE', confirm: 'VALIDATE',
});

/** Verbs that introduce a deliverable ("return a summary" → ARTIFACTS). */
export const DELIVERABLE_VERBS: ReadonlySet<string> = new Set(['return', 'provide', 'produce', 'output', 'deliver', 'give', 'report', 'submit', 'send']);

/** Verbs of modification used by scope phrases ("only modify files in X", "do not touch Y"). */
export const SCOPE_VERBS = '(?:modify|change|edit|touch|alter|write to|update)';
