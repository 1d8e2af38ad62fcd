/**
 * Fidelity of a round trip (`decompile(compile(x))` against `x`): share of
 * distinct content words kept, and share of distinct literals kept verbatim.
 */
import { contentWords, literalSet } from './literals.js';
import { GLASGOW_STOPWORDS } from './stopwords.js';

/** Recall figures for one text. Both are 1 when the source has nothing to keep. */
export interface Fidelity {
  contentWords: number;
  contentWordsKept: number;
  literals: number;
  literalsKept: number;
  /** Literals of the source that are missing from the result. */
  missingLiterals: string[];
}

/**
 * Compare a source text with its round-tripped form.
 * @param stop stopwords excluded from content words @default GLASGOW_STOPWORDS
 */
export function measureFidelity(source: string, roundTripped: string, stop: ReadonlySet<string> = GLASGOW_STOPWORDS): Fidelity {
  const want = contentWords(source, stop);
  const have = contentWords(roundTripped, stop);
  let kept = 0;
  for (const w of want) if (have.has(w)) kept++;
  const lits = literalSet(source);
  const missing = [...lits].filter((l) => !roundTripped.includes(l));
  return { contentWords: want.size, contentWordsKept: kept, literals: lits.size, literalsKept: lits.size - missing.length, missingLiterals: missing };
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Best token reduction any output could reach while keeping `recall` of the
 * distinct content words and every literal: the literals verbatim plus the
 * cheapest remaining content words, one token-priced word each, with no
 * order, structure or separators. A ceiling, not a target.
 */
export function reductionCeiling(text: string, countTokens: (s: string) => number, recall = 0.9, stop: ReadonlySet<string> = GLASGOW_STOPWORDS): number {
  const lits = [...literalSet(text)];
  const inLiterals = new Set(lits.flatMap((l) => [...contentWords(l, stop)]));
  const cw = [...contentWords(text, stop)];
  const need = Math.ceil(cw.length * recall) - cw.filter((w) => inLiterals.has(w)).length;
  const costs = cw.filter((w) => !inLiterals.has(w)).map((w) => countTokens(` ${w}`)).sort((a, b) => a - b);
  const best = costs.slice(0, Math.max(0, need)).reduce((a, b) => a + b, 0) + (lits.length > 0 ? countTokens(lits.join(' ')) : 0);
  return countTokens(text) / Math.max(1, best);
}
