/** `m2m bench codecs`: wire size, speed and exact round trips of every codec over a JSONL corpus. */
import { readFileSync } from 'node:fs';
import { M2MError } from '../../../protocol/errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';
import { BENCH_ALGORITHMS } from './bench-codecs-algorithms.js';
import { SIZE_CLASSES, runBench, type BenchReport } from './bench-codecs-run.js';

export const help = `Usage: m2m bench codecs --corpus FILE.jsonl [--json] [--only A,B] [--no-oracle]

Reads JSON Lines whose rows have a "json" string field (e.g.
../shared/data/payloads.dev.jsonl) and, for every algorithm, reports total wire
bytes / JSON bytes (overall and per size class < 300 B, 300 B–2 KB, > 2 KB),
encode and decode MB/s (of JSON bytes), and an exact round-trip check of every
row. Also measures the cl100k tokenizer against js-tiktoken on the same rows.

  --corpus FILE         the JSONL corpus (required)
  --json                print one JSON object:
                        {"rows":N,"algorithms":{"<name>":{"ratio","ratioBySize","encodeMBps",
                        "decodeMBps","roundTripFailures"}},"tokenizer":{"encodeMBps",…}}
  --only A,B            bench only these algorithm names
  --no-oracle           skip the js-tiktoken comparison

Exit codes: 0 ok (also when round trips fail: see roundTripFailures), 1 unreadable corpus, 2 usage error.`;

/** JSON strings of the corpus rows. @throws M2MError BAD_INPUT */
export function readCorpus(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new M2MError('BAD_INPUT', `cannot read corpus ${path}: ${(e as Error).message}`);
  }
  const rows: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new M2MError('BAD_INPUT', `${path}:${i + 1}: not JSON`);
    }
    const json = (row as { json?: unknown }).json;
    if (typeof json !== 'string') throw new M2MError('BAD_INPUT', `${path}:${i + 1}: no "json" string field`);
    rows.push(json);
  });
  if (rows.length === 0) throw new M2MError('BAD_INPUT', `${path}: no rows`);
  return rows;
}

function table(r: BenchReport): string {
  const head = `${'algorithm'.padEnd(20)} ${'ratio'.padStart(6)} ${SIZE_CLASSES.map((c) => c.padStart(9)).join(' ')} ${'enc MB/s'.padStart(9)} ${'dec MB/s'.padStart(9)} ${'fail'.padStart(5)}`;
  const lines = Object.entries(r.algorithms).map(
    ([name, a]) =>
      `${name.padEnd(20)} ${a.ratio.toFixed(3).padStart(6)} ${SIZE_CLASSES.map((c) => a.ratioBySize[c].toFixed(3).padStart(9)).join(' ')} ${a.encodeMBps.toFixed(2).padStart(9)} ${a.decodeMBps.toFixed(2).padStart(9)} ${String(a.roundTripFailures).padStart(5)}${a.error ? `  (${a.error.slice(0, 60)})` : ''}`,
  );
  const t = r.tokenizer;
  return [
    `${r.rows} rows, ${r.jsonBytes} JSON bytes (by size: ${SIZE_CLASSES.map((c) => `${c} ${r.rowsBySize[c]}`).join(', ')})`,
    head,
    ...lines,
    `tokenizer cl100k: ${t.encodeMBps} MB/s` + (t.jsTiktokenMBps !== undefined ? `, js-tiktoken ${t.jsTiktokenMBps} MB/s, ${t.mismatches} rows with different IDs` : ''),
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    corpus: { type: 'string' },
    json: { type: 'boolean' },
    only: { type: 'string' },
    'no-oracle': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required');
  let algorithms = BENCH_ALGORITHMS;
  if (typeof values.only === 'string') {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !BENCH_ALGORITHMS.some((a) => a.name === n));
    if (unknown.length > 0) throw new UsageError(`unknown algorithm(s): ${unknown.join(', ')} (have: ${BENCH_ALGORITHMS.map((a) => a.name).join(', ')})`);
    algorithms = BENCH_ALGORITHMS.filter((a) => names.includes(a.name));
  }
  let rows: string[];
  try {
    rows = readCorpus(values.corpus);
  } catch (e) {
    if (e instanceof M2MError) {
      err(`m2m bench codecs: ${e.code}: ${e.message}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  const report = runBench(rows, algorithms, { oracle: !values['no-oracle'] });
  out(values.json ? JSON.stringify(report) : table(report));
  return EXIT_OK;
}
