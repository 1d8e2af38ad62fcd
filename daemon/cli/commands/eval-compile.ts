/** `m2m eval compile`: token reduction and round-trip fidelity of the prose compiler over a JSONL corpus. */
import { readFileSync } from 'node:fs';
import { getTokenizer } from '../../../protocol/tokenizers.js';
import {
  compile,
  COMPILE_LEVELS,
  decompile,
  fromKV,
  measureFidelity,
  median,
  parsePromptYaml,
  reductionCeiling,
  tokenBreakdown,
  stopwordList,
  STOPWORD_LIST_NAMES,
  DEFAULT_STOPWORD_LIST,
  toKV,
  toPromptYaml,
  type CompileLevel,
  type StopwordListName,
  type TokenBreakdown,
} from '../../../protocol/prompt/index.js';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';
import { DEFAULT_LEVEL, LEVELS_HELP, parseLevel } from './compile.js';

export const help = `Usage: m2m eval compile --corpus FILE.jsonl [--level L] [--all-levels] [--format kv|kv-full|yaml]
                       [--stopwords glasgow|nltk|project] [--limit N] [--json]

Compile every row's "text" field, count o200k tokens before (the prose) and
after (the envelope as sent: short K:V lines by default), then decompile
the envelope (parsed back from that text) and compare with the prose:
  contentWordRecall  mean over rows of the share of distinct content words
                     kept (lower-cased letter runs of 2+ letters, minus a
                     published stopword list: glasgow = Glasgow IR group /
                     scikit-learn ENGLISH_STOP_WORDS, 318 words, the default;
                     nltk = NLTK english, 179; project = our earlier ~150)
  literalRecall      share of numbers, paths, URLs, identifiers, quoted
                     strings, inline code and template variables kept
                     verbatim (all rows together; must be 1)
Without --json it also prints the per-level trade-off (--all-levels), the
recall under the other stopword lists, where the level's tokens go, and the
ceiling under each list: the median reduction of an unordered bag of the
literals plus the cheapest 90% of content words, which no envelope without
abbreviations can beat at 90% recall (also with code blocks priced verbatim).

  --corpus FILE     JSON Lines with a "text" field
  --level L         ${LEVELS_HELP}
  --all-levels      measure every level (human output only)
  --format F        the form whose tokens are counted: kv (default; short
                    K:V, seed §2.2: OBJ:…, RULES:[…]), kv-full (MISSION.OBJ:…), yaml
  --stopwords LIST  stopword list of the content-word metric (default glasgow)
  --limit N         only the first N rows
  --json            {"rows","tokenReductionMedian","tokenReductionTotal","contentWordRecall","literalRecall"}

Exit codes: 0 ok, 1 bad input, 2 usage error.`;

/** One level's figures. */
export interface CompileEval {
  rows: number;
  tokenReductionMedian: number;
  tokenReductionTotal: number;
  contentWordRecall: number;
  literalRecall: number;
}

/** Wire form whose tokens are counted: short K:V (seed §2.2), K:V with full dotted paths, or YAML. */
export type EvalFormat = 'kv' | 'kv-full' | 'yaml';
const FORMATS: readonly EvalFormat[] = ['kv', 'kv-full', 'yaml'];

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** Measure one level over the texts with a token counter; `lists` adds the recall under other stopword lists. */
export function evaluate(
  texts: string[],
  level: CompileLevel,
  count: (s: string) => number,
  format: EvalFormat = 'kv',
  stopwords: StopwordListName = DEFAULT_STOPWORD_LIST,
  lists: readonly StopwordListName[] = [],
): CompileEval & { recallByList: Partial<Record<StopwordListName, number>>; breakdown: TokenBreakdown } {
  const ratios: number[] = [];
  const recalls: number[] = [];
  const other = lists.map((name) => ({ name, stop: stopwordList(name), sum: 0 }));
  const stop = stopwordList(stopwords);
  const breakdown: TokenBreakdown = { total: 0, code: 0, literals: 0, contentWords: 0, other: 0 };
  let before = 0;
  let after = 0;
  let lits = 0;
  let litsKept = 0;
  for (const text of texts) {
    const env = compile(text, { level });
    const short = format === 'kv';
    const wire = format === 'yaml' ? toPromptYaml(env) : toKV(env, { short });
    const back = decompile((format === 'yaml' ? parsePromptYaml(wire) : fromKV(wire, { short })) as typeof env);
    const b = count(text);
    const a = Math.max(1, count(wire));
    ratios.push(b / a);
    before += b;
    after += a;
    const parts = tokenBreakdown(env, wire, count, stop);
    for (const k of Object.keys(breakdown) as (keyof TokenBreakdown)[]) breakdown[k] += parts[k];
    const f = measureFidelity(text, back, stop);
    recalls.push(f.contentWords === 0 ? 1 : f.contentWordsKept / f.contentWords);
    for (const o of other) {
      const g = measureFidelity(text, back, o.stop);
      o.sum += g.contentWords === 0 ? 1 : g.contentWordsKept / g.contentWords;
    }
    lits += f.literals;
    litsKept += f.literalsKept;
  }
  return {
    rows: texts.length,
    tokenReductionMedian: r4(median(ratios)),
    tokenReductionTotal: r4(before / Math.max(1, after)),
    contentWordRecall: r4(recalls.reduce((x, y) => x + y, 0) / Math.max(1, recalls.length)),
    literalRecall: lits === 0 ? 1 : r4(litsKept / lits),
    recallByList: Object.fromEntries(other.map((o) => [o.name, r4(o.sum / Math.max(1, texts.length))])),
    breakdown,
  };
}

/** Read the "text" field of every JSONL row. */
export function readCorpus(file: string, limit?: number): string[] {
  const texts: string[] = [];
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${i + 1}: not JSON`);
    }
    const t = (row as { text?: unknown }).text;
    if (typeof t !== 'string') throw new UsageError(`${file}:${i + 1}: no "text" string field`);
    texts.push(t);
    if (limit !== undefined && texts.length >= limit) break;
  }
  return texts;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    corpus: { type: 'string' },
    level: { type: 'string' },
    'all-levels': { type: 'boolean' },
    format: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    stopwords: { type: 'string' },
  });
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required');
  const format = (values.format as string | undefined) ?? 'kv';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError('--limit must be a positive integer');
  const stopwords = (values.stopwords as string | undefined) ?? DEFAULT_STOPWORD_LIST;
  if (!(STOPWORD_LIST_NAMES as readonly string[]).includes(stopwords)) throw new UsageError(`--stopwords must be one of ${STOPWORD_LIST_NAMES.join(', ')}`);
  const list = stopwords as StopwordListName;
  const level = parseLevel(values.level, DEFAULT_LEVEL);
  const texts = readCorpus(values.corpus, limit);
  const tok = getTokenizer('o200k');
  const count = (s: string): number => tok.count(s);
  if (values.json) {
    const { rows, tokenReductionMedian, tokenReductionTotal, contentWordRecall, literalRecall } = evaluate(texts, level, count, format as EvalFormat, list);
    out(JSON.stringify({ rows, tokenReductionMedian, tokenReductionTotal, contentWordRecall, literalRecall }));
    return EXIT_OK;
  }
  const levels = values['all-levels'] ? COMPILE_LEVELS : [level];
  const others = STOPWORD_LIST_NAMES.filter((n) => n !== list);
  out(`${texts.length} rows, o200k tokens, ${format} form; content words exclude the ${list} stopword list (${stopwordList(list).size} words)`);
  out(`level       median×  total×  contentWordRecall  literalRecall${others.map((n) => `  recall[${n}]`).join('')}`);
  let parts: TokenBreakdown | undefined;
  for (const l of levels) {
    const r = evaluate(texts, l, count, format as EvalFormat, list, others);
    if (l === level) parts = r.breakdown;
    const extra = others.map((n) => (r.recallByList[n] ?? 0).toFixed(4).padStart(n.length + 10)).join('');
    const mark = l === DEFAULT_LEVEL ? ' (default)' : '';
    out(`${l.padEnd(10)}  ${r.tokenReductionMedian.toFixed(2).padStart(6)}  ${r.tokenReductionTotal.toFixed(2).padStart(6)}  ${r.contentWordRecall.toFixed(4).padStart(17)}  ${r.literalRecall.toFixed(4).padStart(13)}${extra}${mark}`);
  }
  if (parts) {
    const pct = (n: number): string => `${((100 * n) / Math.max(1, parts.total)).toFixed(0)}%`;
    out(`${level} tokens: code blocks ${pct(parts.code)}, literals ${pct(parts.literals)}, content words ${pct(parts.contentWords)}, keys/separators/function words/repeats ${pct(parts.other)}`);
  }
  const ceiling = (codeVerbatim: boolean): string =>
    [list, ...others].map((n) => `${n} ${median(texts.map((t) => reductionCeiling(t, count, 0.9, stopwordList(n), codeVerbatim))).toFixed(2)}×`).join(', ');
  out(`ceiling at 90% recall (bag of literals + cheapest content words, no structure), median: ${ceiling(false)}`);
  out(`  the same with code blocks kept verbatim, as the compiler must: ${ceiling(true)}`);
  return EXIT_OK;
}
