import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { http3Available, webTransport } from '../../transports/webtransport.js';
import { conformance } from './conformance.js';
import { collect, makeCerts, nextConnection, pattern, sameBytes } from './helpers.js';

const certs = makeCerts(['node-a']);
const other = makeCerts(['node-a']);
afterAll(() => {
  certs.cleanup();
  other.cleanup();
});
const listenOpts = { tls: { cert: certs.wtCert, key: certs.wtKey } };
const dialOpts = { tls: { certHashes: [certs.wtHash] } };

conformance('webtransport (HTTP/2)', () => ({
  transport: webTransport,
  listenUrl: 'https://127.0.0.1:0/m2m',
  listenOpts,
  dialOpts,
  // No client certificates on this path: peers authenticate in HELLO (see hello-auth tests).
  rejects: [
    { name: 'pinned hash of another certificate', dialOpts: { tls: { certHashes: [other.wtHash] } } },
    { name: 'no pin, private CA not in the system store', dialOpts: {} },
  ],
  spawnPeer: (url) => spawn(process.execPath, [join(import.meta.dirname, 'fixtures/peer-child.mjs'), 'webtransport', url, certs.dir], { stdio: 'ignore' }),
}));

describe('webtransport specifics', () => {
  it('pushes well over 16 KiB through one session (HTTP/2 session flow-control workaround)', async () => {
    const l = await webTransport.listen('https://127.0.0.1:0/m2m', listenOpts);
    try {
      l.on('connection', (c) => c.on('message', (m) => c.send(m)));
      const c = await webTransport.dial(l.url, { ...dialOpts, signal: AbortSignal.timeout(5000) });
      const msgs = Array.from({ length: 40 }, (_, i) => pattern(1024, i));
      const got = collect(c, msgs.length);
      for (const m of msgs) c.send(m);
      (await got).forEach((m, i) => expect(sameBytes(m, msgs[i])).toBe(true));
      const big = collect(c, 1);
      c.send(pattern(3 * 1024 * 1024, 99));
      expect((await big)[0].byteLength).toBe(3 * 1024 * 1024);
      await c.close();
    } finally {
      await l.close();
    }
  });

  it('refuses requireClientCert (no mTLS on WebTransport) and bad URLs', async () => {
    await expect(webTransport.listen('https://127.0.0.1:0/m2m', { ...listenOpts, requireClientCert: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(webTransport.listen('wss://127.0.0.1:0/m2m', listenOpts)).rejects.toMatchObject({ code: 'INVALID_ADDRESS' });
    await expect(webTransport.dial('https://127.0.0.1:1/m2m', { tls: { certHashes: ['zz'] }, signal: AbortSignal.timeout(1000) })).rejects.toMatchObject({ code: 'TLS_FAILED' });
  });

  it('reports the peer address of an accepted session', async () => {
    const l = await webTransport.listen('https://127.0.0.1:0/m2m', listenOpts);
    try {
      const acc = nextConnection(l);
      const c = await webTransport.dial(l.url, { ...dialOpts, signal: AbortSignal.timeout(5000) });
      const s = await acc;
      expect(s.remote.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(s.remote.authenticated).toBe(false);
      c.abort();
    } finally {
      await l.close();
    }
  });
});

// HTTP/3 needs @fails-components/webtransport-transport-http3-quiche, an optional dependency whose
// install downloads a prebuilt binary from GitHub. That fails offline (here and on CI), so the probe
// fails and these tests skip; with the binary present they run the same suite over h3.
const h3 = await http3Available();
describe.skipIf(!h3)('webtransport over HTTP/3 (skipped: http3-quiche native package not installed)', () => {
  it('echoes over h3 when the native package loads', async () => {
    const l = await webTransport.listen('https://127.0.0.1:0/m2m', listenOpts);
    try {
      l.on('connection', (c) => c.on('message', (m) => c.send(m)));
      const c = await webTransport.dial(l.url, { ...dialOpts, signal: AbortSignal.timeout(10_000) });
      const got = collect(c, 1);
      c.send(Uint8Array.of(1, 2, 3));
      expect(Buffer.from((await got)[0]).toString('hex')).toBe('010203');
      c.abort();
    } finally {
      await l.close();
    }
  });
});
