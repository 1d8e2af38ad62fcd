/**
 * The fused classifier on a worker-thread pool: whole scans (rules + model)
 * run on every core. Texts that arrive in the same event-loop turn travel to
 * a worker as one batch, which keeps message overhead per scan small.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abortError, ModelError } from '../model/errors.js';
import { WorkerPool } from '../pool/worker-pool.js';
import { NativeGate } from '../pool/native-gate.js';
import type { FusionParams } from '../fused-classifier.js';
import type { Classifier, ClassifyOptions, Verdict } from '../types.js';
import type { ScanTask, ScanWorkerData } from './scan-worker.js';

/** Most texts per batch. @default 32 */
export const SCAN_BATCH = 32;

/** @throws ModelError `MODEL_NOT_FOUND` when the compiled worker is missing (run `npm run build`) */
export function scanWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const sibling = join(here, 'scan-worker.js');
  if (existsSync(sibling)) return sibling;
  const built = join(resolve(here, '..', '..'), 'dist', 'inference', 'scan-pool', 'scan-worker.js');
  if (existsSync(built)) return built;
  throw new ModelError('MODEL_NOT_FOUND', `scan worker is not built: run 'npm run build' (looked for ${sibling} and ${built})`);
}

export interface PooledClassifierOptions {
  modelPath: string | null;
  /** Version string of the model (for reporting); null when rules only. */
  modelVersion: string | null;
  threshold: number;
  blocking: boolean;
  fusion?: FusionParams;
  /** Worker threads. @default pool default (≤ 2) */
  threads?: number;
  /** Batches waiting beyond the running ones. @default pool default */
  maxQueue?: number;
}

interface Pending {
  text: string;
  resolve: (v: Verdict) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  settled: boolean;
}

export class PooledClassifier implements Classifier {
  private readonly pool: WorkerPool<ScanTask, Verdict[]>;
  private batch: Pending[] = [];
  private scheduled = false;
  readonly threshold: number;
  readonly modelVersion: string | null;

  constructor(options: PooledClassifierOptions) {
    // The gate: a Hydra model runs onnxruntime inside the worker, and every worker loads a module.
    const gate = new NativeGate();
    const workerData: ScanWorkerData = { modelPath: options.modelPath, threshold: options.threshold, blocking: options.blocking, fusion: options.fusion, gate: gate.buffer };
    this.pool = new WorkerPool<ScanTask, Verdict[]>({ filename: scanWorkerPath(), workerData, threads: options.threads, maxQueue: options.maxQueue, gate });
    this.threshold = options.threshold;
    this.modelVersion = options.modelVersion;
  }

  /**
   * @throws ModelError `ABORTED` when `signal` fires before the verdict,
   * `QUEUE_FULL` when the pool's queue is full, `POOL_CLOSED` after `close()`
   */
  classify(text: string, options: ClassifyOptions = {}): Promise<Verdict> {
    if (options.signal?.aborted) return Promise.reject(abortError(options.signal));
    return new Promise<Verdict>((resolvePromise, reject) => {
      const p: Pending = { text, resolve: resolvePromise, reject, signal: options.signal, settled: false };
      options.signal?.addEventListener(
        'abort',
        () => {
          if (!p.settled) {
            p.settled = true;
            reject(abortError(options.signal));
          }
        },
        { once: true },
      );
      this.batch.push(p);
      if (this.batch.length >= SCAN_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.batch.length > 0) {
      const items = this.batch.splice(0, SCAN_BATCH).filter((p) => !p.settled);
      if (items.length === 0) continue;
      this.pool.run({ texts: items.map((p) => p.text) }).then(
        (verdicts) => {
          items.forEach((p, i) => {
            if (!p.settled) {
              p.settled = true;
              p.resolve(verdicts[i]);
            }
          });
        },
        (err) => {
          for (const p of items) {
            if (!p.settled) {
              p.settled = true;
              p.reject(err);
            }
          }
        },
      );
    }
  }

  /** Send what is batched, let queued scans finish, end the workers. */
  async close(): Promise<void> {
    this.flush();
    await this.pool.close();
  }
}
