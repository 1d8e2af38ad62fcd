/** Measurement loop of `m2m bench codecs`: sizes per size class, MB/s, exact round trips. */
import { getEncoding } from 'js-tiktoken';
import { getTokenizer } from '../../../protocol/tokenizers.js';
import type { BenchAlgorithm, Wire } from './bench-codecs-algorithms.js';

export const SIZE_CLASSES = ['<300', '300-2048', '>2048'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export function sizeClass(bytes: number): SizeClass {
  return bytes < 300 ? '<300' : bytes <= 2048 ? '300-2048' : '>2048';
}

export interface AlgorithmReport {
  /** Total wire bytes / total JSON bytes. */
  ratio: number;
  ratioBySize: Record<SizeClass, number>;
  encodeMBps: number;
  decodeMBps: number;
  roundTripFailures: number;
  /** First error message, when encoding or decoding threw. */
  error?: string;
}

export interface TokenizerReport {
  encoding: 'cl100k';
  /** Best of 3 passes over the rows. */
  encodeMBps: number;
  /** First pass only (cold JIT and BPE merge cache). */
  firstPassMBps: number;
  /** js-tiktoken (best of 2 passes) on the same rows in the same run (the reference oracle). */
  jsTiktokenMBps?: number;
  /** Rows whose IDs differ from js-tiktoken's. */
  mismatches?: number;
}

export interface BenchReport {
  rows: number;
  jsonBytes: number;
  rowsBySize: Record<SizeClass, number>;
  algorithms: Record<string, AlgorithmReport>;
  tokenizer: TokenizerReport;
}

const wireBytes = (w: Wire): number => (typeof w === 'string' ? Buffer.byteLength(w, 'utf8') : w.length);
const mbps = (bytes: number, ms: number): number => Math.round((bytes / 1e6 / Math.max(ms, 1e-3)) * 1000 * 100) / 100;
const round = (x: number): number => Math.round(x * 10000) / 10000;
const WARMUP_ROWS = 50;

function benchOne(alg: BenchAlgorithm, rows: string[], sizes: number[]): AlgorithmReport {
  const total = sizes.reduce((a, b) => a + b, 0);
  const json: Record<SizeClass, number> = { '<300': 0, '300-2048': 0, '>2048': 0 };
  const wire: Record<SizeClass, number> = { '<300': 0, '300-2048': 0, '>2048': 0 };
  let error: string | undefined;
  let failures = 0;
  for (const r of rows.slice(0, WARMUP_ROWS)) {
    try {
      alg.decode(alg.encode(r));
    } catch {
      // counted in the measured pass
    }
  }
  const wires: (Wire | undefined)[] = new Array<Wire | undefined>(rows.length);
  let t = performance.now();
  for (let i = 0; i < rows.length; i++) {
    try {
      wires[i] = alg.encode(rows[i]);
    } catch (e) {
      error ??= (e as Error).message;
    }
  }
  const encodeMs = performance.now() - t;
  const decoded: (string | undefined)[] = new Array<string | undefined>(rows.length);
  t = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const w = wires[i];
    if (w === undefined) continue;
    try {
      decoded[i] = alg.decode(w);
    } catch (e) {
      error ??= (e as Error).message;
    }
  }
  const decodeMs = performance.now() - t;
  let wireTotal = 0;
  for (let i = 0; i < rows.length; i++) {
    const w = wires[i];
    const c = sizeClass(sizes[i]);
    json[c] += sizes[i];
    // A row that fails to encode counts as sent uncompressed.
    const n = w === undefined ? sizes[i] : wireBytes(w);
    wire[c] += n;
    wireTotal += n;
    if (decoded[i] !== rows[i]) failures++;
  }
  const ratioBySize = Object.fromEntries(SIZE_CLASSES.map((c) => [c, json[c] === 0 ? 0 : round(wire[c] / json[c])])) as Record<SizeClass, number>;
  const rep: AlgorithmReport = {
    ratio: round(wireTotal / total),
    ratioBySize,
    encodeMBps: mbps(total, encodeMs),
    decodeMBps: mbps(total, decodeMs),
    roundTripFailures: failures,
  };
  if (error !== undefined) rep.error = error;
  return rep;
}

/** Best-of-`passes` encode speed; the first pass (cold JIT and merge cache) is reported too. */
function timePasses(rows: string[], total: number, passes: number, encode: (r: string) => number[]): { first: number; best: number; ids: number[][] } {
  let ids: number[][] = [];
  let first = 0;
  let best = 0;
  for (let p = 0; p < passes; p++) {
    const t = performance.now();
    ids = rows.map(encode);
    const speed = mbps(total, performance.now() - t);
    if (p === 0) first = speed;
    best = Math.max(best, speed);
  }
  return { first, best, ids };
}

function benchTokenizer(rows: string[], total: number, oracle: boolean): TokenizerReport {
  const ours = getTokenizer('cl100k');
  ours.encode('warm up');
  const a = timePasses(rows, total, 3, (r) => ours.encode(r));
  const rep: TokenizerReport = { encoding: 'cl100k', encodeMBps: a.best, firstPassMBps: a.first };
  if (!oracle) return rep;
  const ref = getEncoding('cl100k_base');
  ref.encode('warm up', 'all');
  const b = timePasses(rows, total, 2, (r) => ref.encode(r, 'all'));
  rep.jsTiktokenMBps = b.best;
  let mismatches = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = a.ids[i];
    const y = b.ids[i];
    if (x.length !== y.length || x.some((v, j) => v !== y[j])) mismatches++;
  }
  rep.mismatches = mismatches;
  return rep;
}

/** Run every algorithm over `rows` (compact JSON strings). */
export function runBench(rows: string[], algorithms: readonly BenchAlgorithm[], opts: { oracle?: boolean } = {}): BenchReport {
  const sizes = rows.map((r) => Buffer.byteLength(r, 'utf8'));
  const jsonBytes = sizes.reduce((a, b) => a + b, 0);
  const rowsBySize: Record<SizeClass, number> = { '<300': 0, '300-2048': 0, '>2048': 0 };
  for (const s of sizes) rowsBySize[sizeClass(s)]++;
  const report: BenchReport = {
    rows: rows.length,
    jsonBytes,
    rowsBySize,
    algorithms: {},
    tokenizer: benchTokenizer(rows, jsonBytes, opts.oracle ?? true),
  };
  for (const alg of algorithms) report.algorithms[alg.name] = benchOne(alg, rows, sizes);
  return report;
}
