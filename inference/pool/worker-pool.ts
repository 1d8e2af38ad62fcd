/**
 * A bounded worker-thread pool (piscina underneath) with the error contract the
 * classifier needs: a full queue, an abort, a crashed worker and a closed pool
 * each reject with a {@link ModelError} carrying a stable code. A crashed worker
 * is replaced by piscina; `close()` lets queued and running tasks finish.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { abortError, ModelError } from '../model/errors.js';
import type { NativeGate } from './native-gate.js';

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
  /**
   * For workers that make native calls which must not be cut short (onnxruntime): the pool closes
   * the gate and waits for running calls, and for workers still loading, before it terminates a
   * worker. The workers get `gate.buffer` through `workerData`, wrap each native call in
   * `enter()`/`leave()` and call `markLoaded(threadId)` as the last statement of their module.
   * Do not pass an AbortSignal to {@link run} for such tasks: piscina terminates the worker of an
   * aborted running task (the gated callers batch texts and let the batch finish instead).
   */
  gate?: NativeGate;
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
  private readonly gate?: NativeGate;
  private readonly closeTimeoutMs: number;
  private inFlight = 0;
  private onSettled: (() => void) | null = null;

  constructor(options: WorkerPoolOptions) {
    const threads = options.threads ?? DEFAULT_POOL_THREADS;
    this.gate = options.gate;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_POOL_CLOSE_TIMEOUT_MS;
    this.piscina = new Piscina({
      filename: options.filename,
      workerData: options.workerData,
      minThreads: threads,
      maxThreads: threads,
      maxQueue: options.maxQueue ?? DEFAULT_POOL_MAX_QUEUE,
      concurrentTasksPerWorker: options.concurrentTasksPerWorker ?? 1,
      closeTimeout: this.closeTimeoutMs,
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
    this.inFlight++;
    try {
      return (await this.piscina.run(task, { signal: options.signal ?? null, transferList: options.transferList })) as TOut;
    } catch (err) {
      throw this.translate(err, options.signal);
    } finally {
      if (--this.inFlight === 0) this.onSettled?.();
    }
  }

  /** Thread ids of the workers alive now (an exited worker reports -1 and is left out). */
  private liveThreads(): number[] {
    return this.piscina.threads.map((w) => w.threadId).filter((id) => id > 0);
  }

  /** Resolves once every task submitted so far has settled. */
  private settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onSettled = () => {
        this.onSettled = null;
        resolve();
      };
    });
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
    this.closing ??= this.closeGated();
    return this.closing;
  }

  private async closeGated(): Promise<void> {
    if (this.gate) {
      // Queued tasks still need workers that may load; only then may no new native call start.
      await this.settled();
      await this.gate.close(this.closeTimeoutMs, () => this.liveThreads());
    }
    await this.piscina.close();
  }

  /**
   * End the workers now; pending tasks reject with `POOL_CLOSED`. With a gate, native calls
   * already running finish first (they take milliseconds; cutting one short aborts the process).
   */
  async destroy(): Promise<void> {
    this.closing ??= Promise.resolve();
    await this.gate?.close(this.closeTimeoutMs, () => this.liveThreads());
    await this.piscina.destroy();
  }
}
