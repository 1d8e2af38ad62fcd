import { describe, expect, it } from 'vitest';
import { memoryPair, memoryTransport } from '../../transports/memory.js';
import { conformance } from './conformance.js';
import { closed, collect, pattern, sameBytes } from './helpers.js';

let n = 0;
conformance('memory', () => ({
  transport: memoryTransport(),
  listenUrl: `memory://conf-${process.pid}-${n++}`,
  listenOpts: {},
  dialOpts: {},
}));

describe('memory transport faults', () => {
  it('delivers intact when every write is split into 3-byte chunks (partial writes)', async () => {
    const { a, b } = memoryPair({ maxChunkBytes: 3 });
    const msgs = [pattern(10, 1), new Uint8Array(0), pattern(70_000, 2), pattern(1, 3)];
    const got = collect(b, msgs.length);
    for (const m of msgs) a.send(m);
    const back = await got;
    back.forEach((m, i) => expect(sameBytes(m, msgs[i])).toBe(true));
    a.abort();
  });

  it('keeps order with an injected delay', async () => {
    const { a, b } = memoryPair({ delayMs: 5 });
    const got = collect(b, 20);
    for (let i = 0; i < 20; i++) a.send(Uint8Array.of(i));
    expect((await got).map((m) => m[0])).toEqual([...Array(20).keys()]);
    await a.close();
  });

  it('sever() loses the connection: both sides close non-gracefully with CONNECTION_LOST', async () => {
    const { a, b, sever } = memoryPair();
    const ca = closed(a);
    const cb = closed(b);
    const errors: Error[] = [];
    b.on('error', (e) => errors.push(e));
    sever();
    const ia = await ca;
    const ib = await cb;
    expect(ia).toMatchObject({ graceful: false, error: expect.objectContaining({ code: 'CONNECTION_LOST' }) });
    expect(ib).toMatchObject({ graceful: false, local: false });
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['CONNECTION_LOST']);
  });

  it('refuses a second listener on the same name and dials to nowhere', async () => {
    const t = memoryTransport();
    const l = await t.listen('memory://dup');
    await expect(t.listen('memory://dup')).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    await l.close();
    await expect(t.dial('memory://dup', { signal: AbortSignal.timeout(1000) })).rejects.toMatchObject({ code: 'DIAL_FAILED' });
    await expect(t.listen('ws://x')).rejects.toMatchObject({ code: 'INVALID_ADDRESS' });
  });
});

describe('credit-based flow control (what WebTransport runs on)', () => {
  // pipeBytes: Infinity models a library whose receive side never pushes back.
  async function stallPoint(creditWindow: number | undefined): Promise<number> {
    const { a, b } = memoryPair({ pipeBytes: Number.POSITIVE_INFINITY, creditWindow }, { highWaterMark: 64 * 1024 });
    b.on('message', () => {});
    b.pause();
    let sent = 0;
    const cap = 16 * 1024 * 1024;
    for (;;) {
      while (sent < cap && a.send(new Uint8Array(16 * 1024))) sent += 16 * 1024;
      if (sent >= cap) break;
      sent += 16 * 1024;
      const drained = await Promise.race([new Promise((r) => a.once('drain', () => r(true))), new Promise((r) => setTimeout(r, 100, false))]);
      if (!drained) break;
    }
    a.abort();
    return sent;
  }

  it('a paused reader stalls the writer only with credit', async () => {
    expect(await stallPoint(undefined)).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(await stallPoint(256 * 1024)).toBeLessThan(1024 * 1024);
  });

  it('big messages both ways at once with a small window neither deadlock nor interleave', async () => {
    const { a, b } = memoryPair({ creditWindow: 64 * 1024, maxChunkBytes: 5000 });
    const fromA = [pattern(300_000, 1), pattern(10, 2), pattern(200_000, 3)];
    const fromB = [pattern(250_000, 4), pattern(0, 5), pattern(150_000, 6)];
    const gotB = collect(b, fromA.length);
    const gotA = collect(a, fromB.length);
    for (let i = 0; i < 3; i++) {
      a.send(fromA[i]);
      b.send(fromB[i]);
    }
    (await gotB).forEach((m, i) => expect(sameBytes(m, fromA[i])).toBe(true));
    (await gotA).forEach((m, i) => expect(sameBytes(m, fromB[i])).toBe(true));
    const bc = closed(b);
    await a.close();
    expect(await bc).toMatchObject({ graceful: true, local: false });
  });
});
