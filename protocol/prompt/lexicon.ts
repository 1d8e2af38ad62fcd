/**
 * Word lists used by the prose compiler and by the fidelity metric. The
 * stopword list is ours, written for this project along the lines of the
 * classic English function-word lists (articles, pronouns, auxiliaries,
 * prepositions, conjunctions, contraction fragments). It does NOT contain
 * politeness or framing words ("please", "want", "like", "sure"), so dropping
 * those counts against recall.
 */
import type { ActionVerb } from './schema.js';

/** Stopwords, lower-case; single letters are excluded from content words separately. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below between both but by
  can cannot could couldn did didn do does doesn doing don down during each few for from further had hadn has hasn have haven having
  he her here hers herself him himself his how i if in into is isn it its itself just ll me might mightn more most must mustn my myself
  needn no nor not now of off on once only or other our ours ourselves out over own re same shan she should shouldn so some such
  than that the their theirs them themselves then there these they this those through to too under until up ve very was wasn we
  were weren what when where which while who whom why will with won would wouldn you your yours yourself yourselves`.split(/\s+/).filter(Boolean),
);

/**
 * Stopwords the compiler keeps anyway because dropping them changes the
 * meaning (negation, restriction, condition, comparison, alternatives).
 */
export const MEANINGFUL_FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'no', 'not', 'nor', 'only', 'must', 'if', 'unless', 'until', 'before', 'after', 'than', 'or', 'more', 'most', 'few', 'all', 'each',
  'same', 'how', 'what', 'why', 'when', 'where', 'which', 'who', 'against', 'without', 'between', 'below', 'above', 'under', 'over',
]);

/** At level `max` only these function words survive. */
export const NEGATION_WORDS: ReadonlySet<string> = new Set(['no', 'not', 'nor', 'only', 'unless', 'without']);

/**
 * Frequent, low-information content words dropped at level `max` (they count
 * against recall: this is the level that trades fidelity for tokens).
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `also always able appropriate based best better clear clearly consider currently different easy effective effectively especially
  etc example examples following follow get given good great help helps highly important include including instead keep like
  make makes making may need needs new particular possible proper properly relevant really related several specific sure
  thing things try use used uses using various want way ways well whenever whether within`.split(/\s+/).filter(Boolean),
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
