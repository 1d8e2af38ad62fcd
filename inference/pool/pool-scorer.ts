/**
 * A {@link ModelScorer} backed by onnxruntime sessions on a worker pool: the
 * main thread posts text, a worker featurises and runs the graph. Texts that
 * arrive in the same event-loop turn travel as one batch (one message, one
 * graph run), which is what makes the pool fast; each caller still gets its
 * own promise and its own AbortSignal.
 */
import type { ClassifyOptions, ModelScore, ModelScorer } from '../types.js';
import type { DetectedModel } from '../onnx/detect.js';
import { abortError, ModelError } from '../model/errors.js';
import type { OnnxTask, OnnxWorkerData } from './onnx-worker.js';
import { onnxWorkerPath } from './worker-path.js';
import { WorkerPool, type PoolStats } from './worker-pool.js';
import { NativeGate } from './native-gate.js';

/** Most texts sent to a worker in one task. @default 32 */
export const DEFAULT_POOL_BATCH = 32;

export interface PoolScorerOptions {
  /** @default 2 (or fewer cores) */
  threads?: number;
  /** Batches waiting for a worker before `QUEUE_FULL`. @default 1024 */
  maxQueue?: number;
  /** @default {@link DEFAULT_POOL_BATCH} */
  maxBatch?: number;
}

interface Pending {
  text: string;
  signal?: AbortSignal;
  resolve: (s: ModelScore) => void;
  reject: (e: unknown) => void;
  settled: boolean;
}

export class PoolModelScorer implements ModelScorer {
  readonly version: string;
  private readonly pool: WorkerPool<OnnxTask, ModelScore[]>;
  private readonly maxBatch: number;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private closed = false;

  /** @throws ModelError `MODEL_NOT_FOUND` when the compiled worker is missing */
  constructor(model: DetectedModel, options: PoolScorerOptions = {}) {
    this.version = model.version;
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_POOL_BATCH);
    const gate = new NativeGate();
    const workerData: OnnxWorkerData = { kind: model.kind, model: model.onnx, gate: gate.buffer };
    this.pool = new WorkerPool({ filename: onnxWorkerPath(), workerData, threads: options.threads, maxQueue: options.maxQueue, gate });
  }

  /**
   * @throws ModelError `QUEUE_FULL`, `ABORTED`, `WORKER_CRASHED`, `POOL_CLOSED` (see {@link WorkerPool.run})
   */
  score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    if (this.closed) return Promise.reject(new ModelError('POOL_CLOSED', 'inference pool is closed'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<ModelScore>((resolve, reject) => {
      const p: Pending = { text, signal, resolve, reject, settled: false };
      if (signal) {
        // The batch keeps running; this caller just stops waiting for it.
        signal.addEventListener('abort', () => settle(p, () => reject(abortError(signal))), { once: true });
      }
      this.pending.push(p);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const waiting = this.pending.filter((p) => !p.settled);
    this.pending = [];
    for (let i = 0; i < waiting.length; i += this.maxBatch) {
      const batch = waiting.slice(i, i + this.maxBatch);
      this.pool.run({ texts: batch.map((p) => p.text) }).then(
        (scores) => batch.forEach((p, k) => settle(p, () => p.resolve(scores[k]))),
        (err: unknown) => batch.forEach((p) => settle(p, () => p.reject(err))),
      );
    }
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  /** Pending scans finish first; later calls reject with `POOL_CLOSED`. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.flushScheduled) await new Promise<void>((r) => setImmediate(r));
    await this.pool.close();
  }
}

function settle(p: Pending, fn: () => void): void {
  if (p.settled) return;
  p.settled = true;
  fn();
}
