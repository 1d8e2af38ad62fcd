/**
 * A {@link ModelScorer} backed by onnxruntime sessions on a worker pool:
 * the main thread posts text, a worker featurises and runs the graph.
 */
import type { ClassifyOptions, ModelScore, ModelScorer } from '../types.js';
import type { DetectedModel } from '../onnx/detect.js';
import type { OnnxTask, OnnxWorkerData } from './onnx-worker.js';
import { onnxWorkerPath } from './worker-path.js';
import { WorkerPool, type PoolStats } from './worker-pool.js';

export interface PoolScorerOptions {
  /** @default 2 (or fewer cores) */
  threads?: number;
  /** @default 1024 */
  maxQueue?: number;
}

export class PoolModelScorer implements ModelScorer {
  readonly version: string;
  private readonly pool: WorkerPool<OnnxTask, ModelScore>;

  /** @throws ModelError `MODEL_NOT_FOUND` when the compiled worker is missing */
  constructor(model: DetectedModel, options: PoolScorerOptions = {}) {
    this.version = model.version;
    const workerData: OnnxWorkerData = { kind: model.kind, model: model.onnx };
    this.pool = new WorkerPool({ filename: onnxWorkerPath(), workerData, threads: options.threads, maxQueue: options.maxQueue });
  }

  /**
   * @throws ModelError `QUEUE_FULL`, `ABORTED`, `WORKER_CRASHED`, `POOL_CLOSED` (see {@link WorkerPool.run})
   */
  score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    return this.pool.run({ text }, { signal: options.signal });
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  /** Pending scans finish first. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
