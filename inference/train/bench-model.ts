/**
 * Model latency and throughput, measured (never asserted in tests):
 *
 *   node dist/inference/train/bench-model.js [--model PATH] [--corpus FILE] [--messages N] [--threads N]
 *
 * Prints p50/p99 per message ≤ 2 KB on this thread for the in-process JS
 * scorer and for onnxruntime in this thread, the pool's throughput, and the
 * cost per KB of long texts (windows, linear in length).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { detectModel } from '../onnx/detect.js';
import { linearModelFromOnnx } from '../onnx/linear-graph.js';
import { OrtModelScorer } from '../onnx/ort-scorer.js';
import { PoolModelScorer } from '../pool/pool-scorer.js';
import { LinearModelScorer } from '../model/linear-scorer.js';
import { defaultModelPath } from '../model/load-scorer.js';
import { loadRows } from './data.js';
import { say } from './say.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Timing {
  /** Wall time per message. */
  p50: number;
  p99: number;
  mean: number;
  /** CPU time per message (process.cpuUsage; immune to other processes preempting us on a shared machine). */
  cpuP50: number;
  cpuP99: number;
}

async function timeEach(texts: string[], fn: (t: string) => unknown): Promise<Timing> {
  for (const t of texts.slice(0, 200)) await fn(t);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const t of texts) {
    const c = process.cpuUsage();
    const s = performance.now();
    await fn(t);
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: round(quantile(wall, 0.5)),
    p99: round(quantile(wall, 0.99)),
    mean: round(wall.reduce((a, b) => a + b, 0) / wall.length),
    cpuP50: round(quantile(cpu, 0.5)),
    cpuP99: round(quantile(cpu, 0.99)),
  };
}

function round(x: number, d = 4): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: defaultModelPath() },
      corpus: { type: 'string', default: '../shared/data/security.dev.jsonl' },
      messages: { type: 'string', default: '4000' },
      threads: { type: 'string', default: '2' },
    },
  });
  const bytes = new Uint8Array(readFileSync(values.model!));
  const model = detectModel(bytes);
  const rows = loadRows(values.corpus!).filter((r) => Buffer.byteLength(r.text) <= 2048);
  const n = Number(values.messages);
  const texts = Array.from({ length: n }, (_, i) => rows[i % rows.length].text);
  const report: Record<string, unknown> = { model: values.model, kind: model.kind, version: model.version, messages: n, corpusRowsUpTo2KB: rows.length };

  if (model.kind === 'linear') {
    const js = new LinearModelScorer(linearModelFromOnnx(bytes));
    report.jsOneThreadMs = await timeEach(texts, (t) => js.scoreSync(t));
    const unit = 'The quarterly report covers revenue, hiring and the new office in Lyon. ';
    const perKb: Record<string, number> = {};
    for (const kb of [2, 20, 200]) {
      const long = unit.repeat(Math.ceil((kb * 1024) / unit.length)).slice(0, kb * 1024);
      const r = await timeEach(Array.from({ length: kb >= 200 ? 20 : 100 }, () => long), (t) => js.scoreSync(t));
      perKb[`${kb}KB`] = round(r.p50 / kb);
    }
    report.jsMsPerKbLongText = perKb;
  }
  const ortScorer = await OrtModelScorer.create(model);
  report.ortOneThreadMs = await timeEach(texts, (t) => ortScorer.score(t));
  await ortScorer.close();

  const pool = new PoolModelScorer(model, { threads: Number(values.threads), maxQueue: 4096 });
  await Promise.all(texts.slice(0, 200).map((t) => pool.score(t)));
  const start = performance.now();
  const window = 256;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < texts.length) await pool.score(texts[next++]);
  };
  await Promise.all(Array.from({ length: window }, worker));
  const secs = (performance.now() - start) / 1000;
  report.pool = { threads: Number(values.threads), msgsPerSec: Math.round(texts.length / secs) };
  await pool.close();
  say(JSON.stringify(report, null, 2));
}

await main();
