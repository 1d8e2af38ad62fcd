// The gate between native calls and worker termination (see inference/pool/native-gate.ts).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NativeGate } from '../../../inference/pool/native-gate.js';

describe('NativeGate', () => {
  it('close() waits for running calls, and refuses new ones from the moment it starts', async () => {
    const pool = new NativeGate();
    const worker = new NativeGate(pool.buffer);
    expect(worker.enter()).toBe(true);
    expect(pool.running).toBe(1);
    let closed = false;
    const closing = pool.close(5_000).then((ok) => {
      closed = ok;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    expect(worker.enter()).toBe(false);
    expect(pool.running).toBe(1);
    worker.leave();
    await closing;
    expect(closed).toBe(true);
    expect(pool.running).toBe(0);
  });

  it('close() waits for live workers that have not finished loading, ignoring exited ones', async () => {
    const pool = new NativeGate();
    const live = [7, 9];
    let done = false;
    const closing = pool.close(5_000, () => live).then(() => {
      done = true;
    });
    new NativeGate(pool.buffer).markLoaded(7);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    live.pop(); // thread 9 exited before it loaded
    await closing;
    expect(done).toBe(true);
    expect(pool.loaded(7)).toBe(true);
    expect(pool.loaded(9)).toBe(false);
  });

  it('close() gives up after the timeout and says so', async () => {
    const pool = new NativeGate();
    expect(new NativeGate(pool.buffer).enter()).toBe(true);
    expect(await pool.close(30)).toBe(false);
  });

  it('onnxruntime pools closed during start-up never abort the process', () => {
    const script = fileURLToPath(new URL('./fixtures/early-close.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '8'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/terminate called|FATAL ERROR/);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('ok');
  });
});
