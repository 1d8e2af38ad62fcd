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
