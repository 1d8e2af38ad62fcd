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
  toKV,
  toPromptYaml,
  type CompileLevel,
} from '../../../protocol/prompt/index.js';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';
import { parseLevel } from './compile.js';

export const help = `Usage: m2m eval compile --corpus FILE.jsonl [--level L] [--all-levels] [--format kv|yaml] [--limit N] [--json]

Compile every row's "text" field, count o200k tokens before (the prose) and
after (the envelope as sent: K:V lines by default, or YAML), then decompile
the envelope (parsed back from that text) and compare with the prose:
  contentWordRecall  mean over rows of the share of distinct content words
                     kept (lower-cased letter runs of 2+ letters, minus our
                     own English stopword list, STOPWORDS in
                     protocol/prompt/lexicon.ts)
  literalRecall      share of numbers, paths, URLs, identifiers, quoted
                     strings, inline code and template variables kept
                     verbatim (all rows together; must be 1)
Without --json it also prints the per-level trade-off (--all-levels) and the
ceiling: the median reduction of an unordered bag of the literals plus the
cheapest 90% of content words, which no envelope can beat at 90% recall.

  --corpus FILE     JSON Lines with a "text" field
  --level L         light, standard, aggressive (default), max
  --all-levels      measure every level (human output only)
  --format F        kv (default) or yaml: the form whose tokens are counted
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

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** Measure one level over the texts with a token counter. */
export function evaluate(texts: string[], level: CompileLevel, count: (s: string) => number, format: 'kv' | 'yaml' = 'kv'): CompileEval {
  const ratios: number[] = [];
  const recalls: number[] = [];
  let before = 0;
  let after = 0;
  let lits = 0;
  let litsKept = 0;
  for (const text of texts) {
    const env = compile(text, { level });
    const wire = format === 'kv' ? toKV(env) : toPromptYaml(env);
    const back = decompile((format === 'kv' ? fromKV(wire) : parsePromptYaml(wire)) as typeof env);
    const b = count(text);
    const a = Math.max(1, count(wire));
    ratios.push(b / a);
    before += b;
    after += a;
    const f = measureFidelity(text, back);
    recalls.push(f.contentWords === 0 ? 1 : f.contentWordsKept / f.contentWords);
    lits += f.literals;
    litsKept += f.literalsKept;
  }
  return {
    rows: texts.length,
    tokenReductionMedian: r4(median(ratios)),
    tokenReductionTotal: r4(before / Math.max(1, after)),
    contentWordRecall: r4(recalls.reduce((x, y) => x + y, 0) / Math.max(1, recalls.length)),
    literalRecall: lits === 0 ? 1 : r4(litsKept / lits),
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
  });
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required');
  const format = (values.format as string | undefined) ?? 'kv';
  if (format !== 'kv' && format !== 'yaml') throw new UsageError('--format must be kv or yaml');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError('--limit must be a positive integer');
  const level = parseLevel(values.level, 'aggressive');
  const texts = readCorpus(values.corpus, limit);
  const tok = getTokenizer('o200k');
  const count = (s: string): number => tok.count(s);
  if (values.json) {
    out(JSON.stringify(evaluate(texts, level, count, format)));
    return EXIT_OK;
  }
  const levels = values['all-levels'] ? COMPILE_LEVELS : [level];
  out(`${texts.length} rows, o200k tokens, ${format} form`);
  out('level       median×  total×  contentWordRecall  literalRecall');
  for (const l of levels) {
    const r = evaluate(texts, l, count, format);
    out(`${l.padEnd(10)}  ${r.tokenReductionMedian.toFixed(2).padStart(6)}  ${r.tokenReductionTotal.toFixed(2).padStart(6)}  ${r.contentWordRecall.toFixed(4).padStart(17)}  ${r.literalRecall.toFixed(4).padStart(13)}`);
  }
  const ceiling = median(texts.map((t) => reductionCeiling(t, count, 0.9)));
  out(`ceiling at 90% recall (bag of literals + cheapest content words, no structure): median ${ceiling.toFixed(2)}×`);
  return EXIT_OK;
}
