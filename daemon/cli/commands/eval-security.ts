/** `m2m eval security`: detection quality, obfuscation robustness, latency and throughput on a labelled corpus. */
import { createClassifier } from '../../../inference/create-classifier.js';
import { loadCorpus } from '../../../inference/eval/corpus.js';
import { runEval, summarizeScores, type EvalDetails, type EvalReport } from '../../../inference/eval/run.js';
import { thresholdAtFpr } from '../../../inference/eval/metrics.js';
import { FUSED_THRESHOLD } from '../../../inference/fused-classifier.js';
import { EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m eval security --corpus FILE.jsonl [--json] [--model auto|none|PATH] [--threshold X]
                        [--sources A,B] [--exclude-sources A,B] [--skip-obfuscated] [--skip-pool] [--concurrency N]
                        [--train FILE.jsonl [--loso]]

Score every row of a JSONL corpus (fields: text, label in benign|injection|
jailbreak|exfiltration, optional source) and print recall, benign false-positive
rate, precision, F1, ROC AUC, recall at 1% FPR, per-label rates, recall on
obfuscated copies of the attacks (spaced letters, zero-width characters,
homoglyphs, base64, Unicode tags; generated here), latency p50/p99 per message
up to 2 KB on one thread (main-thread CPU time: the process CPU time, which also counts
V8 helper threads, capped at the wall time; wall time is printed too), and throughput
of whole scans on the worker-thread pool (needs \`npm run build\`).

  --corpus FILE        the JSONL corpus (required)
  --json               print exactly (latency and throughput are 0 when not measured) {"rows","recall","fpr","precision","f1","auc","recallAt1pctFpr",
                       "perLabel","obfuscatedRecall","latencyP50Ms","latencyP99Ms","poolMsgsPerSec"}
  --model M            auto (shipped model), none (rules only), or a model file
  --threshold X        decision threshold (default: the calibrated one)
  --sources LIST       only rows whose source is in LIST (comma-separated)
  --exclude-sources L  drop rows whose source is in L (e.g. the sources a model was trained on)
  --skip-obfuscated    do not generate obfuscated copies
  --skip-pool          do not measure pool throughput
  --concurrency N      scans in flight for the throughput run (default 64)
  --train FILE         cross-source mode: instead of the shipped model, fuse the rules with a linear
                       model trained (by the project's training code, licence-filtered) on FILE only
  --loso               with --train: leave-one-source-out; each source family of the corpus is scored
                       by a model trained on FILE plus the corpus rows of all other families
                       (cross-source mode reports no latency or throughput: the models are built in memory)

Exit codes: 0 ok, 1 bad corpus, 2 usage error.`;

function list(v: unknown): Set<string> | null {
  return typeof v === 'string' && v.length > 0 ? new Set(v.split(',').map((s) => s.trim())) : null;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a';
}

function human(r: EvalReport, d: EvalDetails, model: string): string {
  const lines = [
    `rows ${r.rows}   model ${model}   threshold ${d.threshold}`,
    `attack recall ${pct(r.recall)}   benign FPR ${pct(r.fpr)}   precision ${pct(r.precision)}   F1 ${r.f1.toFixed(3)}`,
    `ROC AUC ${r.auc.toFixed(4)}   recall @1% FPR ${pct(r.recallAt1pctFpr)}`,
    'per label:',
    ...Object.entries(r.perLabel).map(([l, s]) => `  ${l.padEnd(13)} ${String(s.rows).padStart(6)} rows  ${l === 'benign' ? 'flagged (FPR)' : 'recall'} ${pct(s.flagged)}`),
    `obfuscated recall ${pct(r.obfuscatedRecall)} (${r.recall > 0 ? ((r.obfuscatedRecall / r.recall) * 100).toFixed(1) : 'n/a'}% of plain)`,
    ...Object.entries(d.perObfuscation).map(([n, v]) => `  ${n.padEnd(15)} ${pct(v)}   (obfuscated benign copies flagged: ${pct(d.perObfuscationBenignFpr[n as keyof typeof d.perObfuscationBenignFpr] ?? Number.NaN)})`),
    ...(r.latencyP50Ms === 0 && r.latencyP99Ms === 0
      ? ['latency and throughput: not measured in this mode']
      : [
          `latency per message ≤ 2 KB, main-thread CPU time (process CPU, at most the wall time): p50 ${r.latencyP50Ms} ms  p99 ${r.latencyP99Ms} ms   (all sizes p99 ${d.latencyAllP99Ms} ms)`,
          `  wall clock (includes scheduler delay on a busy machine): p50 ${d.wallP50Ms} ms  p99 ${d.wallP99Ms} ms`,
          `throughput: ${r.poolMsgsPerSec} msgs/s wall clock (${d.poolNote}); ${d.poolMsgsPerCpuSecond} msgs per CPU-second of the process`,
          `  same run on one thread (model in process): ${d.inProcessMsgsPerSec} msgs/s wall clock; ${d.inProcessMsgsPerCpuSecond} msgs per CPU-second`,
        ]),
    'per source:',
    ...Object.entries(d.perSource)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => `  ${k.padEnd(50)} ${String(s.rows).padStart(6)}  ${s.label === 'benign' ? 'FPR' : 'recall'} ${pct(s.flagged)}`),
  ];
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    corpus: { type: 'string' },
    json: { type: 'boolean' },
    model: { type: 'string' },
    threshold: { type: 'string' },
    sources: { type: 'string' },
    'exclude-sources': { type: 'string' },
    'skip-obfuscated': { type: 'boolean' },
    'skip-pool': { type: 'boolean' },
    concurrency: { type: 'string' },
    train: { type: 'string' },
    loso: { type: 'boolean' },
  });
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required');
  let threshold: number | undefined;
  if (typeof values.threshold === 'string') {
    threshold = Number(values.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError('--threshold must be in 0..1');
  }
  const concurrency = typeof values.concurrency === 'string' ? Number(values.concurrency) : 64;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  const only = list(values.sources);
  const exclude = list(values['exclude-sources']);
  const rows = loadCorpus(values.corpus).filter((r) => (!only || only.has(r.source ?? '')) && !exclude?.has(r.source ?? ''));
  if (rows.length === 0) throw new UsageError('no rows left after source filters');

  if (values.loso && typeof values.train !== 'string') throw new UsageError('--loso needs --train FILE');
  if (typeof values.train === 'string') {
    const { crossSourceScores } = await import('../../../inference/eval/cross-source.js');
    const mode = values.loso ? 'loso' : 'train-file';
    const collected = await crossSourceScores(rows, loadCorpus(values.train), {
      mode,
      obfuscate: values['skip-obfuscated'] !== true,
      onFold: (name, n, t) => err(`fold ${name}: train ${n} rows, test ${t} rows`),
    });
    const t = threshold ?? FUSED_THRESHOLD;
    const { report, details } = summarizeScores(rows, collected, t);
    const scored = rows.map((r, i) => ({ score: collected.scores[i], positive: r.label !== 'benign' }));
    const label = mode === 'loso' ? `rules + linear model, leave-one-source-out (train: ${values.train} + other corpus families)` : `rules + linear model trained on ${values.train} only`;
    out(values.json ? JSON.stringify(report) : `${human(report, details, label)}\ncalibration on these rows: threshold for benign FPR ≤ 1%: ${thresholdAtFpr(scored, 0.01).toFixed(4)}, ≤ 2%: ${thresholdAtFpr(scored, 0.02).toFixed(4)}`);
    return EXIT_OK;
  }

  const model = (values.model as string | undefined) ?? 'auto';
  const warn = { warn: (d: Record<string, unknown>, m: string) => err(`warning: ${m} (${String(d.error ?? d.code)})`) };
  const classifier = await createClassifier({ model, threshold, logger: warn });
  const pooled = values['skip-pool'] ? null : await createClassifier({ model, threshold, scanPool: true, logger: { warn: () => {} } });
  try {
    const modelName = classifier.modelVersion ?? 'rules only';
    const poolNote = `whole scans (rules${pooled?.modelVersion ? ' + model' : ''}) on the worker-thread pool, batched, ${concurrency} in flight`;
    const { report, details } = await runEval(classifier, rows, {
      threshold: threshold ?? classifier.threshold,
      obfuscate: values['skip-obfuscated'] !== true,
      pool: pooled ? { classifier: pooled, concurrency, note: poolNote } : undefined,
    });
    out(values.json ? JSON.stringify(report) : human(report, details, modelName));
    return EXIT_OK;
  } finally {
    await classifier.close();
    await pooled?.close();
  }
}
