/** `m2m bench scan`: cost of one security scan (rules + model, and rules only) per message, and of loading the classifier. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClassifier, type ScanningClassifier } from '../../../inference/create-classifier.js';
import { M2MError } from '../../../protocol/errors.js';
import { EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';
import { percentile, syntheticBodies } from './bench-e2e-run.js';

export const help = `Usage: m2m bench scan [--corpus FILE.jsonl] [--count N] [--model auto|none|PATH] [--evict-mb N [--sweep]] [--parsed]
                      [--baseline DIST [--rounds N]] [--json]

Times classify() one message at a time on this thread, as the daemon calls it
(every body is scanned twice end to end: by the sending and the receiving
daemon). Reports per-scan microseconds (p50, p99, mean) and scans/s on N
synthetic 1 KB chat-style JSON bodies (the bodies of m2m bench e2e) and, with
--corpus, on every row of a JSONL corpus (its "json" string or "text" field),
for the fused classifier and, in the same run, rules only. Also the time and
RSS taken by loading the classifier.

  --corpus FILE   also time the rows of FILE
  --count N       synthetic bodies (default 5000)
  --model M       auto (shipped model), none (rules only) or a model file (default auto)
  --evict-mb N    before each timed scan (untimed), write 8,192 random cache lines of an
                  N MiB buffer: stands in for the daemon's other working set (m2m-lz-1
                  contexts, ~8 MB, random access) that evicts the scanner's tables between
                  messages (default 0: a warm cache, the scanner alone)
  --sweep         with --evict-mb: write every cache line of the buffer instead (e.g.
                  --evict-mb 48): a daemon that slept between paced messages while other
                  processes ran, as at 1k msgs/s on a small box (docs/AGENT-API.md)
  --parsed        hand classify() each body's parsed JSON too, as the daemon does (ClassifyOptions.parsed)
  --baseline DIST compare with another build in the same process: DIST is its dist/ directory (e.g. the
                  previous commit built elsewhere); both fused classifiers scan every body once per
                  round, alternately; reports CPU µs per scan (median of the rounds) and the speed-up
  --rounds N      rounds with --baseline (default 3)
  --json          one JSON object: {"model":v,"loadMs":x,"loadRssMb":x,"rssMb":x,
                  "synthetic":{"messages":N,"bytes":1024,"fused":{"p50Us","p99Us","meanUs","scansPerSec","cpuUs"},"rulesOnly":{…}},
                  "corpus":{"file":f,"messages":N,"fused":{…},"rulesOnly":{…}}}
                  with --baseline: {"baseline":DIST,"rounds":N,"parsed":b,"synthetic":{"messages":N,"baselineCpuUs":x,
                  "cpuUs":x,"speedup":x,"baselineRounds":[…],"rounds":[…]},"corpus":{…}}

Exit codes: 0 ok, 1 unreadable corpus, 2 usage error.`;

export interface ScanTiming {
  p50Us: number;
  p99Us: number;
  meanUs: number;
  scansPerSec: number;
  /** Process CPU time per scan (eviction excluded): unlike wall time, not inflated when other processes preempt this one. */
  cpuUs: number;
}

/** Texts of a JSONL corpus: each row's "json" string, else its "text". @throws M2MError BAD_INPUT */
export function readScanCorpus(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new M2MError('BAD_INPUT', `cannot read corpus ${path}: ${(e as Error).message}`);
  }
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as { json?: unknown; text?: unknown };
      if (typeof row.json === 'string') rows.push(row.json);
      else if (typeof row.text === 'string') rows.push(row.text);
    } catch {
      // not a JSON row: skipped
    }
  }
  if (rows.length === 0) throw new M2MError('BAD_INPUT', `${path}: no rows with a "json" or "text" string`);
  return rows;
}

/**
 * A function that writes 8,192 random cache lines of an `mb` MiB buffer (see `--evict-mb`), or with
 * `sweep` every line of it; undefined for 0. `buf` (16 int32 per 64-byte line) is for tests.
 */
export function cacheEvictor(mb: number, sweep = false, buf = new Int32Array(Math.ceil((Math.max(0, mb) * 2 ** 20) / 64) * 16)): (() => void) | undefined {
  if (mb <= 0) return undefined;
  const lines = buf.length / 16;
  if (sweep) {
    return () => {
      for (let i = 0; i < buf.length; i += 16) buf[i]++;
    };
  }
  let seed = 1;
  return () => {
    for (let i = 0; i < 8192; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      buf[(seed % lines) * 16]++;
    }
  };
}

/** `{ parsed }` for each message that is a JSON object or array (as the daemon has it), else undefined. */
export function parsedOf(messages: readonly string[]): ({ parsed: unknown } | undefined)[] {
  return messages.map((m) => {
    const t = m.trimStart();
    if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
    try {
      return { parsed: JSON.parse(m) as unknown };
    } catch {
      return undefined;
    }
  });
}

/** Process CPU µs per scan of one pass over `messages` (eviction, when given, excluded). */
async function cpuPass(classifier: ScanningClassifier, messages: readonly string[], options: readonly ({ parsed: unknown } | undefined)[] | undefined, evict?: () => void): Promise<number> {
  let evictCpu = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < messages.length; i++) {
    if (evict) {
      const e0 = process.cpuUsage();
      evict();
      const e = process.cpuUsage(e0);
      evictCpu += e.user + e.system;
    }
    await classifier.classify(messages[i], options?.[i]);
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system - evictCpu) / messages.length;
}

/** `--baseline`: the other build's classifier and this one, alternately, `rounds` times over each set. */
async function compareBuilds(dist: string, rounds: number, model: string, sets: Record<string, string[]>, parsed: boolean, evict?: () => void): Promise<Record<string, unknown>> {
  const url = pathToFileURL(join(resolve(dist), 'inference', 'create-classifier.js')).href;
  let other: typeof import('../../../inference/create-classifier.js');
  try {
    other = (await import(url)) as typeof other;
  } catch (e) {
    throw new M2MError('BAD_INPUT', `--baseline ${dist}: cannot load ${url}: ${(e as Error).message}`);
  }
  const base = await other.createClassifier({ model });
  const current = await createClassifier({ model });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  try {
    const report: Record<string, unknown> = { baseline: dist, rounds, parsed };
    for (const [name, messages] of Object.entries(sets)) {
      const options = parsed ? parsedOf(messages) : undefined;
      const warm = messages.slice(0, 500);
      await cpuPass(base, warm, options);
      await cpuPass(current, warm, options);
      const b: number[] = [];
      const c: number[] = [];
      for (let r = 0; r < rounds; r++) {
        b.push(await cpuPass(base, messages, options, evict));
        c.push(await cpuPass(current, messages, options, evict));
      }
      report[name] = { messages: messages.length, baselineCpuUs: round1(median(b)), cpuUs: round1(median(c)), speedup: Math.round((median(b) / median(c)) * 100) / 100, baselineRounds: b.map(round1), rounds: c.map(round1) };
    }
    return report;
  } finally {
    await base.close();
    await current.close();
  }
}

/** Scan every message once as warm-up, then once timed per call (after `evict`, untimed, when given). */
export async function timeScans(classifier: ScanningClassifier, messages: readonly string[], evict?: () => void, options?: readonly ({ parsed: unknown } | undefined)[]): Promise<ScanTiming> {
  const warm = Math.min(messages.length, 500);
  for (let i = 0; i < warm; i++) await classifier.classify(messages[i], options?.[i]);
  const us: number[] = new Array<number>(messages.length);
  let total = 0;
  let evictCpu = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < messages.length; i++) {
    if (evict) {
      const e0 = process.cpuUsage();
      evict();
      const e = process.cpuUsage(e0);
      evictCpu += e.user + e.system;
    }
    const t0 = performance.now();
    await classifier.classify(messages[i], options?.[i]);
    const dt = (performance.now() - t0) * 1000;
    us[i] = dt;
    total += dt;
  }
  const cpu = process.cpuUsage(cpu0);
  us.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  const cpuUs = (cpu.user + cpu.system - evictCpu) / us.length;
  return { p50Us: round(percentile(us, 50)), p99Us: round(percentile(us, 99)), meanUs: round(total / us.length), scansPerSec: Math.round((us.length * 1e6) / total), cpuUs: round(cpuUs) };
}

function line(name: string, t: ScanTiming): string {
  return `  ${name.padEnd(11)} p50 ${t.p50Us.toFixed(1).padStart(7)} µs  p99 ${t.p99Us.toFixed(1).padStart(7)} µs  mean ${t.meanUs.toFixed(1).padStart(7)} µs  ${String(t.scansPerSec).padStart(7)} scans/s  CPU ${t.cpuUs.toFixed(1).padStart(6)} µs/scan`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    corpus: { type: 'string' },
    count: { type: 'string' },
    model: { type: 'string' },
    'evict-mb': { type: 'string' },
    sweep: { type: 'boolean' },
    parsed: { type: 'boolean' },
    baseline: { type: 'string' },
    rounds: { type: 'string' },
    json: { type: 'boolean' },
  });
  const count = values.count === undefined ? 5000 : Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count must be a positive integer, got '${String(values.count)}'`);
  const evictMb = values['evict-mb'] === undefined ? 0 : Number(values['evict-mb']);
  if (!Number.isFinite(evictMb) || evictMb < 0 || evictMb > 1024) throw new UsageError(`--evict-mb must be a number of MiB in 0..1024, got '${String(values['evict-mb'])}'`);
  const sweep = values.sweep === true;
  if (sweep && evictMb === 0) throw new UsageError('--sweep needs --evict-mb N (the buffer to sweep)');
  const evict = cacheEvictor(evictMb, sweep);
  const corpusFile = values.corpus as string | undefined;
  const corpus = corpusFile ? readScanCorpus(corpusFile) : null;
  const parsed = values.parsed === true;
  if (values.baseline !== undefined) {
    const rounds = values.rounds === undefined ? 3 : Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds must be a positive integer, got '${String(values.rounds)}'`);
    const sets: Record<string, string[]> = { synthetic: syntheticBodies(count).map((b) => JSON.stringify(b)) };
    if (corpus) sets.corpus = corpus;
    const report = await compareBuilds(values.baseline as string, rounds, (values.model as string | undefined) ?? 'auto', sets, parsed, evict);
    if (values.json) out(JSON.stringify(report));
    else {
      const lines = [`CPU µs per scan, median of ${rounds} alternating rounds${parsed ? ' (parsed bodies, as the daemon)' : ''}; baseline ${String(values.baseline)}:`];
      for (const name of Object.keys(sets)) {
        const r = report[name] as { messages: number; baselineCpuUs: number; cpuUs: number; speedup: number };
        lines.push(`  ${name.padEnd(10)} ${String(r.messages).padStart(6)} bodies  baseline ${r.baselineCpuUs.toFixed(1).padStart(7)}  this build ${r.cpuUs.toFixed(1).padStart(7)}  ×${r.speedup.toFixed(2)}`);
      }
      out(lines.join('\n'));
    }
    return EXIT_OK;
  }
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const fused = await createClassifier({ model: (values.model as string | undefined) ?? 'auto', logger: { warn: (d, m) => err(`warning: ${m} (${String(d.error ?? d.code)})`) } });
  const loadMs = performance.now() - t0;
  const loadRssMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
  const rules = await createClassifier({ model: 'none' });
  const bodies = syntheticBodies(count).map((b) => JSON.stringify(b));
  const bodyOptions = parsed ? parsedOf(bodies) : undefined;
  const corpusOptions = parsed && corpus ? parsedOf(corpus) : undefined;
  try {
    const synthetic = { messages: count, bytes: 1024, fused: await timeScans(fused, bodies, evict, bodyOptions), rulesOnly: await timeScans(rules, bodies, evict, bodyOptions) };
    const onCorpus =
      corpus && corpusFile
        ? { file: corpusFile, messages: corpus.length, fused: await timeScans(fused, corpus, evict, corpusOptions), rulesOnly: await timeScans(rules, corpus, evict, corpusOptions) }
        : undefined;
    const report = {
      model: fused.modelVersion,
      loadMs: Math.round(loadMs * 10) / 10,
      loadRssMb: Math.round(loadRssMb * 10) / 10,
      rssMb: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
      ...(evictMb > 0 ? { evictMb, evictSweep: sweep } : {}),
      synthetic,
      ...(onCorpus ? { corpus: onCorpus } : {}),
    };
    if (values.json) {
      out(JSON.stringify(report));
      return EXIT_OK;
    }
    const lines = [
      `model ${report.model ?? 'none (rules only)'}: loaded in ${report.loadMs} ms, +${report.loadRssMb} MB RSS (process ${report.rssMb} MB)`,
      `${count} synthetic 1 KB JSON bodies${evictMb > 0 ? ` (cache evicted ${sweep ? 'by a sweep of' : 'from'} a ${evictMb} MiB buffer before each scan)` : ''}:`,
      line('fused', synthetic.fused),
      line('rules only', synthetic.rulesOnly),
    ];
    if (onCorpus) lines.push(`${onCorpus.messages} rows of ${onCorpus.file}:`, line('fused', onCorpus.fused), line('rules only', onCorpus.rulesOnly));
    out(lines.join('\n'));
    return EXIT_OK;
  } finally {
    await fused.close();
    await rules.close();
  }
}
