/**
 * A bounded worker-thread pool (piscina underneath) with the error contract the
 * classifier needs: a full queue, an abort, a crashed worker and a closed pool
 * each reject with a {@link ModelError} carrying a stable code. A crashed worker
 * is replaced by piscina; `close()` lets queued and running tasks finish.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { abortError, ModelError } from '../model/errors.js';

/** @default 2 (or fewer cores) */
export const DEFAULT_POOL_THREADS = Math.max(1, Math.min(2, availableParallelism()));
/** Tasks waiting beyond the ones running. @default 1024 */
export const DEFAULT_POOL_MAX_QUEUE = 1024;
/** How long `close()` waits for pending tasks before terminating workers. @default 30 s */
export const DEFAULT_POOL_CLOSE_TIMEOUT_MS = 30_000;

export interface WorkerPoolOptions {
  /** Worker module (absolute path or file URL); its default export handles one task. */
  filename: string;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** @default {@link DEFAULT_POOL_THREADS} */
  threads?: number;
  /** @default {@link DEFAULT_POOL_MAX_QUEUE} */
  maxQueue?: number;
  /** Tasks one worker runs at the same time (async handlers only). @default 1 */
  concurrentTasksPerWorker?: number;
  /** @default {@link DEFAULT_POOL_CLOSE_TIMEOUT_MS} */
  closeTimeoutMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  transferList?: ArrayBuffer[];
}

/** Counters for metrics and tests. */
export interface PoolStats {
  threads: number;
  queued: number;
  completed: number;
  crashes: number;
}

export class WorkerPool<TIn, TOut> {
  private readonly piscina: Piscina;
  private closing: Promise<void> | null = null;
  private crashes = 0;

  constructor(options: WorkerPoolOptions) {
    const threads = options.threads ?? DEFAULT_POOL_THREADS;
    this.piscina = new Piscina({
      filename: options.filename,
      workerData: options.workerData,
      minThreads: threads,
      maxThreads: threads,
      maxQueue: options.maxQueue ?? DEFAULT_POOL_MAX_QUEUE,
      concurrentTasksPerWorker: options.concurrentTasksPerWorker ?? 1,
      closeTimeout: options.closeTimeoutMs ?? DEFAULT_POOL_CLOSE_TIMEOUT_MS,
      idleTimeout: Infinity,
    });
    // Errors without a task to blame (a worker dying while idle) are counted, not thrown.
    this.piscina.on('error', () => {
      this.crashes++;
    });
  }

  /**
   * Run one task on a worker.
   * @throws ModelError `QUEUE_FULL` when `maxQueue` tasks already wait, `ABORTED` when
   * `signal` fires first (a running task's worker is terminated and replaced),
   * `WORKER_CRASHED` when the worker died under the task, `POOL_CLOSED` after `close()`.
   */
  async run(task: TIn, options: RunOptions = {}): Promise<TOut> {
    if (this.closing) throw new ModelError('POOL_CLOSED', 'inference pool is closed');
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return (await this.piscina.run(task, { signal: options.signal ?? null, transferList: options.transferList })) as TOut;
    } catch (err) {
      throw this.translate(err, options.signal);
    }
  }

  private translate(err: unknown, signal?: AbortSignal): unknown {
    const e = err as Error;
    if (e?.name === 'AbortError') {
      return this.closing && !signal?.aborted ? new ModelError('POOL_CLOSED', 'inference pool is closed', undefined, { cause: err }) : abortError(signal);
    }
    const msg = String(e?.message ?? '');
    if (msg === 'Task queue is at limit' || msg === 'No task queue available and all Workers are busy') {
      return new ModelError('QUEUE_FULL', `inference queue is full (${this.piscina.options.maxQueue} waiting)`, { maxQueue: this.piscina.options.maxQueue });
    }
    if (this.closing && msg === 'Terminating worker thread') return new ModelError('POOL_CLOSED', 'inference pool was destroyed', undefined, { cause: err });
    if (msg.startsWith('worker exited with code') || msg === 'Terminating worker thread') {
      this.crashes++;
      return new ModelError('WORKER_CRASHED', `inference worker died: ${msg}`, undefined, { cause: err });
    }
    return err;
  }

  get stats(): PoolStats {
    return { threads: this.piscina.threads.length, queued: this.piscina.queueSize, completed: this.piscina.completed, crashes: this.crashes };
  }

  /** Stop accepting tasks, let queued and running ones finish, then end the workers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.piscina.close();
    return this.closing;
  }

  /** End the workers now; pending tasks reject with `POOL_CLOSED`. */
  async destroy(): Promise<void> {
    this.closing ??= Promise.resolve();
    await this.piscina.destroy();
  }
}
