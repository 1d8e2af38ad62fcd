/**
 * `m2m eval security`: score a labelled corpus with a classifier and report
 * detection quality, obfuscation robustness, single-thread latency and
 * concurrent throughput.
 */
import { OBFUSCATIONS, type ObfuscationName } from '../obfuscate.js';
import type { Classifier, Label } from '../types.js';
import type { CorpusRow } from './corpus.js';
import { confusion, f1, fpr, percentile, precision, recall, recallAtFpr, rocAuc, type ScoredRow } from './metrics.js';

/** Messages up to this size count toward the latency target. */
export const LATENCY_TARGET_CHARS = 2048;

export interface LabelStats {
  rows: number;
  /** Share flagged: recall for attack labels, false-positive rate for `benign`. */
  flagged: number;
}

/** The JSON shape, in its key order. */
export interface EvalReport {
  rows: number;
  recall: number;
  fpr: number;
  precision: number;
  f1: number;
  auc: number;
  recallAt1pctFpr: number;
  perLabel: Partial<Record<Label, LabelStats>>;
  obfuscatedRecall: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  poolMsgsPerSec: number;
}

/** What the human-readable output adds to {@link EvalReport}. */
export interface EvalDetails {
  threshold: number;
  perSource: Record<string, LabelStats & { label: string }>;
  perObfuscation: Partial<Record<ObfuscationName, number>>;
  /** Share of obfuscated benign copies flagged, per generator. */
  perObfuscationBenignFpr: Partial<Record<ObfuscationName, number>>;
  latencyAllP99Ms: number;
  /** Wall-clock p50/p99 for messages ≤ 2 KB (includes scheduler delays on a busy machine). */
  wallP50Ms: number;
  wallP99Ms: number;
  /** Messages per CPU-second of the whole process during the throughput run (capacity on a contended machine). */
  poolMsgsPerCpuSecond: number;
  /** The same run through the single-thread classifier (model in process), wall clock and per CPU-second. */
  inProcessMsgsPerSec: number;
  inProcessMsgsPerCpuSecond: number;
  poolNote: string;
}

export interface EvalOptions {
  /** Score at or above which a row counts as flagged. */
  threshold: number;
  /** Generate obfuscated copies of every attack. @default true */
  obfuscate?: boolean;
  /** Classifier for the concurrent throughput run; omitted → throughput is 0. */
  pool?: { classifier: Classifier; concurrency: number; note: string };
}

/**
 * Score texts one at a time. Latency is the scan's CPU time on the main thread,
 * which is what one message costs a core; on a shared machine wall time
 * mostly measures the scheduler. The process's CPU time also counts V8's helper
 * threads (concurrent marking, background compilation) running beside the scan
 * on the other core, and the main thread cannot use more CPU than the wall time
 * that passed, so each latency is min(process CPU time, wall time): an upper
 * bound on the main thread's share. Wall time is kept too.
 */
async function scoreAll(classifier: Classifier, texts: readonly string[]): Promise<{ scores: number[]; latencies: number[]; wall: number[] }> {
  const scores: number[] = [];
  const latencies: number[] = [];
  const wall: number[] = [];
  for (const t of texts) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const v = await classifier.classify(t);
    const elapsed = performance.now() - started;
    wall.push(elapsed);
    const used = process.cpuUsage(cpu);
    latencies.push(Math.min((used.user + used.system) / 1000, elapsed));
    scores.push(v.score);
  }
  return { scores, latencies, wall };
}

/** CPU seconds the whole process (all threads, including pool workers) used during the last {@link throughput} run. */
export let lastThroughputCpuSeconds = 0;

/** Messages per second with `concurrency` scans in flight, over all `texts` once. */
export async function throughput(classifier: Classifier, texts: readonly string[], concurrency: number): Promise<number> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < texts.length) {
      const t = texts[next++];
      await classifier.classify(t);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const used = process.cpuUsage(cpu);
  lastThroughputCpuSeconds = (used.user + used.system) / 1e6;
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? texts.length / seconds : 0;
}

function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Scores gathered for one corpus: plain rows, obfuscated attack copies, per-message cost. */
export interface Collected {
  scores: number[];
  /** Per generator, the score of each attack's obfuscated copy (attacks in corpus order). */
  obfuscated: Partial<Record<ObfuscationName, number[]>>;
  /** Per generator, the score of each benign row's obfuscated copy (what treating obfuscation as evidence costs). */
  obfuscatedBenign?: Partial<Record<ObfuscationName, number[]>>;
  latencies: number[];
  wall: number[];
}

/** Score `rows` (and obfuscated copies of the attacks) with `classifier`, one scan at a time. */
export async function collectScores(classifier: Classifier, rows: readonly CorpusRow[], obfuscate = true): Promise<Collected> {
  const { scores, latencies, wall } = await scoreAll(classifier, rows.map((r) => r.text));
  const obfuscated: Collected['obfuscated'] = {};
  const obfuscatedBenign: Collected['obfuscated'] = {};
  const attacks = rows.filter((r) => r.label !== 'benign');
  const benign = rows.filter((r) => r.label === 'benign');
  if (obfuscate) {
    for (const [name, fn] of Object.entries(OBFUSCATIONS) as [ObfuscationName, (t: string) => string][]) {
      if (attacks.length > 0) obfuscated[name] = (await scoreAll(classifier, attacks.map((r) => fn(r.text)))).scores;
      if (benign.length > 0) obfuscatedBenign[name] = (await scoreAll(classifier, benign.map((r) => fn(r.text)))).scores;
    }
  }
  return { scores, obfuscated, obfuscatedBenign, latencies, wall };
}

/** Metrics over collected scores at `threshold`. */
export function summarizeScores(rows: readonly CorpusRow[], c: Collected, threshold: number, poolMsgsPerSec = 0, poolNote = 'not measured', poolCpuSeconds = 0): { report: EvalReport; details: EvalDetails } {
  const scored: ScoredRow[] = rows.map((r, i) => ({ score: c.scores[i], positive: r.label !== 'benign' }));
  const conf = confusion(scored, threshold);
  const perLabel: Partial<Record<Label, LabelStats>> = {};
  const perSource: EvalDetails['perSource'] = {};
  rows.forEach((r, i) => {
    const flagged = c.scores[i] >= threshold ? 1 : 0;
    const l = (perLabel[r.label] ??= { rows: 0, flagged: 0 });
    l.rows++;
    l.flagged += flagged;
    const key = `${r.source ?? 'unknown'}/${r.label}`;
    const s = (perSource[key] ??= { label: r.label, rows: 0, flagged: 0 });
    s.rows++;
    s.flagged += flagged;
  });
  for (const l of Object.values(perLabel)) l.flagged = round(l.flagged / l.rows);
  for (const s of Object.values(perSource)) s.flagged = round(s.flagged / s.rows);
  const perObfuscation: EvalDetails['perObfuscation'] = {};
  let obfTotal = 0;
  let obfFlagged = 0;
  for (const [name, os] of Object.entries(c.obfuscated) as [ObfuscationName, number[]][]) {
    const flagged = os.filter((s) => s >= threshold).length;
    perObfuscation[name] = round(flagged / os.length);
    obfTotal += os.length;
    obfFlagged += flagged;
  }
  const perObfuscationBenignFpr: EvalDetails['perObfuscationBenignFpr'] = {};
  for (const [name, os] of Object.entries(c.obfuscatedBenign ?? {}) as [ObfuscationName, number[]][]) {
    perObfuscationBenignFpr[name] = round(os.filter((s) => s >= threshold).length / os.length);
  }
  const smallIdx = rows.flatMap((r, i) => (r.text.length <= LATENCY_TARGET_CHARS ? [i] : []));
  const pick = (v: number[]): number[] => (smallIdx.length > 0 ? smallIdx.map((i) => v[i]) : v);
  const report: EvalReport = {
    rows: rows.length,
    recall: round(recall(conf)),
    fpr: round(fpr(conf)),
    precision: round(precision(conf)),
    f1: round(f1(conf)),
    auc: round(rocAuc(scored)),
    recallAt1pctFpr: round(recallAtFpr(scored, 0.01)),
    perLabel,
    obfuscatedRecall: obfTotal === 0 ? 0 : round(obfFlagged / obfTotal),
    latencyP50Ms: c.latencies.length ? round(percentile(pick(c.latencies), 50), 3) : 0,
    latencyP99Ms: c.latencies.length ? round(percentile(pick(c.latencies), 99), 3) : 0,
    poolMsgsPerSec: Math.round(poolMsgsPerSec),
  };
  const details: EvalDetails = {
    threshold,
    perSource,
    perObfuscation,
    perObfuscationBenignFpr,
    latencyAllP99Ms: c.latencies.length ? round(percentile(c.latencies, 99), 3) : 0,
    wallP50Ms: c.wall.length ? round(percentile(pick(c.wall), 50), 3) : 0,
    wallP99Ms: c.wall.length ? round(percentile(pick(c.wall), 99), 3) : 0,
    poolMsgsPerCpuSecond: poolCpuSeconds > 0 ? Math.round(rows.length / poolCpuSeconds) : 0,
    inProcessMsgsPerSec: 0,
    inProcessMsgsPerCpuSecond: 0,
    poolNote,
  };
  return { report, details };
}

/** Evaluate `classifier` on `rows`. Scans run one at a time (latency is single-thread CPU time). */
export async function runEval(classifier: Classifier, rows: readonly CorpusRow[], options: EvalOptions): Promise<{ report: EvalReport; details: EvalDetails }> {
  // Warm-up pass over the corpus (regex compilation, JIT tiers): latency is reported for the steady state.
  for (const r of rows) await classifier.classify(r.text);
  const collected = await collectScores(classifier, rows, options.obfuscate !== false);
  let poolMsgsPerSec = 0;
  let poolCpu = 0;
  let inProcess = 0;
  let inProcessCpu = 0;
  if (options.pool) {
    inProcess = await throughput(classifier, rows.map((r) => r.text), options.pool.concurrency);
    inProcessCpu = lastThroughputCpuSeconds;
    // The workers start cold: one unmeasured pass, like the single-thread warm-up.
    await throughput(options.pool.classifier, rows.map((r) => r.text), options.pool.concurrency);
    poolMsgsPerSec = await throughput(options.pool.classifier, rows.map((r) => r.text), options.pool.concurrency);
    poolCpu = lastThroughputCpuSeconds;
  }
  const result = summarizeScores(rows, collected, options.threshold, poolMsgsPerSec, options.pool?.note, poolCpu);
  result.details.inProcessMsgsPerSec = Math.round(inProcess);
  result.details.inProcessMsgsPerCpuSecond = inProcessCpu > 0 ? Math.round(rows.length / inProcessCpu) : 0;
  return result;
}
