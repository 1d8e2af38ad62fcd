import { describe, expect, it } from 'vitest';
import { dial, listen, registerTransport, supportedSchemes, transportFor } from '../../transports/registry.js';
import { memoryTransport } from '../../transports/memory.js';
import { collect } from './helpers.js';

describe('transport registry', () => {
  it('maps every URL scheme to its transport', async () => {
    expect((await transportFor('ws://127.0.0.1:1/m2m')).name).toBe('ws');
    expect((await transportFor('wss://h:1/m2m')).name).toBe('ws');
    expect((await transportFor('ws+unix:///tmp/x.sock')).name).toBe('ws');
    expect((await transportFor('quic://127.0.0.1:1')).name).toBe('quic');
    expect((await transportFor('https://127.0.0.1:1/m2m')).name).toBe('webtransport');
    expect((await transportFor('memory://x')).name).toBe('memory');
    expect(supportedSchemes()).toEqual(expect.arrayContaining(['ws', 'wss', 'ws+unix', 'quic', 'https', 'memory']));
  });

  it('rejects unknown schemes and non-URLs with stable codes', async () => {
    await expect(transportFor('tcp://127.0.0.1:1')).rejects.toMatchObject({ code: 'UNSUPPORTED_SCHEME' });
    await expect(dial('not a url', { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ code: 'INVALID_ADDRESS' });
  });

  it('listens and dials through the scheme', async () => {
    const l = await listen('ws://127.0.0.1:0/m2m');
    l.on('connection', (c) => c.on('message', (m) => c.send(m)));
    const c = await dial(l.url, { signal: AbortSignal.timeout(3000) });
    const got = collect(c, 1);
    c.send(Uint8Array.of(9));
    expect([...(await got)[0]]).toEqual([9]);
    await c.close();
    await l.close();
  });

  it('accepts a registered replacement', async () => {
    const t = { ...memoryTransport(), schemes: ['test'] as const };
    registerTransport(t);
    expect(await transportFor('test://x')).toBe(t);
  });
});
