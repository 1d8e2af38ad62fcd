import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../../../inference/pool/worker-pool.js';
import { hasErrorCode } from '../../../inference/model/errors.js';

interface Task {
  value?: number;
  sleepMs?: number;
  crash?: boolean;
  fail?: string;
}
interface Out {
  echo: number;
  threadId: number;
}

const filename = fileURLToPath(new URL('./fixtures/echo-worker.mjs', import.meta.url));
let pool: WorkerPool<Task, Out> | null = null;

function make(threads: number, maxQueue: number): WorkerPool<Task, Out> {
  pool = new WorkerPool<Task, Out>({ filename, threads, maxQueue });
  return pool;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

afterEach(async () => {
  await pool?.destroy();
  pool = null;
});

describe('WorkerPool', () => {
  it('runs tasks on worker threads', async () => {
    const p = make(2, 16);
    const out = await Promise.all([1, 2, 3, 4].map((value) => p.run({ value })));
    expect(out.map((o) => o.echo)).toEqual([1, 2, 3, 4]);
    expect(out.every((o) => o.threadId > 0)).toBe(true);
  });

  it('rejects with QUEUE_FULL once maxQueue tasks wait, and recovers', async () => {
    const p = make(1, 2);
    const busy = p.run({ value: 0, sleepMs: 300 });
    const queued = [p.run({ value: 1 }), p.run({ value: 2 })];
    expect(await codeOf(p.run({ value: 3 }))).toBe('QUEUE_FULL');
    expect((await busy).echo).toBe(0);
    expect((await Promise.all(queued)).map((o) => o.echo)).toEqual([1, 2]);
    expect((await p.run({ value: 4 })).echo).toBe(4);
  });

  it('aborts a queued task and a running task with ABORTED; the pool keeps working', async () => {
    const p = make(1, 8);
    const running = new AbortController();
    const queued = new AbortController();
    const a = p.run({ value: 1, sleepMs: 5_000 }, { signal: running.signal });
    const b = p.run({ value: 2 }, { signal: queued.signal });
    queued.abort();
    expect(await codeOf(b)).toBe('ABORTED');
    running.abort(new Error('caller gave up'));
    const err = await a.catch((e: unknown) => e);
    expect(hasErrorCode(err, 'ABORTED')).toBe(true);
    expect((err as Error).name).toBe('AbortError');
    expect((await p.run({ value: 3 })).echo).toBe(3);
  });

  it('rejects at once when the signal has already fired', async () => {
    const p = make(1, 8);
    expect(await codeOf(p.run({ value: 1 }, { signal: AbortSignal.abort() }))).toBe('ABORTED');
  });

  it('reports WORKER_CRASHED when a worker dies and replaces it', async () => {
    const p = make(1, 8);
    const first = await p.run({ value: 1 });
    expect(await codeOf(p.run({ crash: true }))).toBe('WORKER_CRASHED');
    const after = await p.run({ value: 2 });
    expect(after.echo).toBe(2);
    expect(after.threadId).not.toBe(first.threadId);
    expect(p.stats.crashes).toBe(1);
  });

  it('passes task errors through unchanged', async () => {
    const p = make(1, 8);
    await expect(p.run({ fail: 'boom' })).rejects.toThrow('task failed: boom');
  });

  it('close() drains queued and running tasks, then refuses new ones with POOL_CLOSED', async () => {
    const p = make(1, 16);
    const pending = [1, 2, 3, 4, 5].map((value) => p.run({ value, sleepMs: 20 }));
    const closed = p.close();
    expect(await codeOf(p.run({ value: 6 }))).toBe('POOL_CLOSED');
    expect((await Promise.all(pending)).map((o) => o.echo)).toEqual([1, 2, 3, 4, 5]);
    await closed;
    expect(p.stats.completed).toBe(5);
  });
});
