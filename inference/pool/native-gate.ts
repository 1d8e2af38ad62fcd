/**
 * Keeps native calls and worker termination apart.
 *
 * onnxruntime-node aborts the whole process ("terminate called after throwing
 * an instance of 'Napi::Error'") when a worker thread is terminated while one
 * of its native calls is in flight: measured with 1.30.0 on Node 20, a worker
 * terminated 40–120 ms after start, while `InferenceSession.create` ran,
 * aborted the process in 11 of 18 runs. A pool that closes soon after it
 * started (a SIGHUP reload, a short-lived CLI, a test) hits exactly that.
 *
 * Node 20 has a second way to die here: terminating a worker while it still
 * instantiates its module (piscina `require()`s the handler) is a V8 fatal
 * error ("v8::Module::IsGraphAsync must be used on an instantiated module").
 *
 * The gate is shared int32 memory: how many native calls are running, whether
 * the pool is closing, and the thread ids of workers whose module has finished
 * loading. A worker enters before each native call and leaves after it, and
 * marks itself loaded as the last statement of its module. The pool sets
 * "closing", then waits until no native call runs and every live worker is
 * loaded, and only then terminates anything. Entering adds first and reads
 * "closing" second, the pool stores "closing" first and reads "running"
 * second, so one of the two always sees the other (Atomics are sequentially
 * consistent).
 */

const RUNNING = 0;
const CLOSING = 1;
/** Set when more workers loaded than there are slots: loading is no longer tracked. */
const OVERFLOW = 2;
const SLOTS_AT = 3;
/** Loaded-worker slots (a crashed worker's replacement takes a new one). */
const SLOTS = 253;

/** How often the closing side re-reads the counter. */
const POLL_MS = 2;

export class NativeGate {
  private readonly flags: Int32Array;

  /** @param buffer the shared buffer of the pool's gate (`gate.buffer`), or none to make a new gate */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer((SLOTS_AT + SLOTS) * 4)) {
    this.flags = new Int32Array(buffer);
  }

  /** Worker side: the last statement of the worker module (`threadId` from node:worker_threads). */
  markLoaded(threadId: number): void {
    for (let i = SLOTS_AT; i < this.flags.length; i++) {
      if (Atomics.compareExchange(this.flags, i, 0, threadId) === 0) return;
    }
    Atomics.store(this.flags, OVERFLOW, 1);
  }

  /** Whether the worker with this thread id has finished loading its module. */
  loaded(threadId: number): boolean {
    if (Atomics.load(this.flags, OVERFLOW) !== 0) return true;
    for (let i = SLOTS_AT; i < this.flags.length; i++) {
      const id = Atomics.load(this.flags, i);
      if (id === threadId) return true;
      if (id === 0) return false;
    }
    return false;
  }

  /** Worker side: true when a native call may start now (call {@link leave} after it); false once the pool is closing. */
  enter(): boolean {
    Atomics.add(this.flags, RUNNING, 1);
    if (Atomics.load(this.flags, CLOSING) === 0) return true;
    Atomics.sub(this.flags, RUNNING, 1);
    return false;
  }

  leave(): void {
    Atomics.sub(this.flags, RUNNING, 1);
  }

  /** Native calls in flight across all workers. */
  get running(): number {
    return Atomics.load(this.flags, RUNNING);
  }

  get closing(): boolean {
    return Atomics.load(this.flags, CLOSING) !== 0;
  }

  /**
   * Pool side: refuse new native calls, then wait until none is running and every live worker
   * has loaded.
   * @param liveThreads the thread ids of the pool's workers now (re-read while waiting: a worker may exit)
   * @returns false when `timeoutMs` passed first
   */
  async close(timeoutMs: number, liveThreads: () => readonly number[] = () => []): Promise<boolean> {
    Atomics.store(this.flags, CLOSING, 1);
    const deadline = Date.now() + timeoutMs;
    while (this.running > 0 || !liveThreads().every((id) => this.loaded(id))) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return true;
  }
}
