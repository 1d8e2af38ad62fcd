/**
 * Fidelity of a round trip (`decompile(compile(x))` against `x`): share of
 * distinct content words kept, and share of distinct literals kept verbatim.
 */
import { contentWords, FENCE_RE, findLiterals, literalSet } from './literals.js';
import type { Envelope } from './schema.js';
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
 * order, structure or separators. With `codeVerbatim` fenced code blocks are
 * priced whole (the compiler's rule: code stays verbatim) and their words and
 * literals count as kept. A ceiling, not a target.
 */
export function reductionCeiling(
  text: string,
  countTokens: (s: string) => number,
  recall = 0.9,
  stop: ReadonlySet<string> = GLASGOW_STOPWORDS,
  codeVerbatim = false,
): number {
  const blocks = codeVerbatim ? (text.match(FENCE_RE) ?? []) : [];
  const prose = codeVerbatim ? text.replace(FENCE_RE, '\n') : text;
  const lits = [...literalSet(prose)];
  const free = new Set([...lits, ...blocks].flatMap((l) => [...contentWords(l, stop)]));
  const cw = [...contentWords(text, stop)];
  const need = Math.ceil(cw.length * recall) - cw.filter((w) => free.has(w)).length;
  const costs = cw.filter((w) => !free.has(w)).map((w) => countTokens(` ${w}`)).sort((a, b) => a - b);
  const fixed = (lits.length > 0 ? countTokens(lits.join(' ')) : 0) + blocks.reduce((a, b) => a + countTokens(b), 0);
  const best = costs.slice(0, Math.max(0, need)).reduce((a, b) => a + b, 0) + fixed;
  return countTokens(text) / Math.max(1, best);
}

/** Where an envelope's tokens go; each part is priced on its own, so the split is approximate. */
export interface TokenBreakdown {
  /** Tokens of the whole wire text. */
  total: number;
  /** Fenced code blocks (`CTX.CODE`), verbatim. */
  code: number;
  /** First occurrence of each literal outside code. */
  literals: number;
  /** First occurrence of each content word outside literals and code. */
  contentWords: number;
  /** The rest: keys, separators, kept function words, repeats. */
  other: number;
}

/** Split the tokens of `wire` (the envelope as sent) by what they carry. */
export function tokenBreakdown(env: Envelope, wire: string, countTokens: (s: string) => number, stop: ReadonlySet<string> = GLASGOW_STOPWORDS): TokenBreakdown {
  const total = countTokens(wire);
  const code = ((env.CTX?.CODE as string[] | undefined) ?? []).reduce((a, b) => a + countTokens(b), 0);
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'CODE') collect(x);
  };
  collect(env);
  const lits = new Set<string>();
  const cws = new Set<string>();
  for (const s of strings) {
    let rest = '';
    let pos = 0;
    for (const span of findLiterals(s)) {
      lits.add(span.text);
      rest += `${s.slice(pos, span.start)} `;
      pos = span.end;
    }
    for (const w of contentWords(rest + s.slice(pos), stop)) cws.add(w);
  }
  const literals = [...lits].reduce((a, l) => a + countTokens(` ${l}`), 0);
  const contentWordTokens = [...cws].reduce((a, w) => a + countTokens(` ${w}`), 0);
  return { total, code, literals, contentWords: contentWordTokens, other: Math.max(0, total - code - literals - contentWordTokens) };
}
