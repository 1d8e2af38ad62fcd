import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { wsTransport } from '../../transports/ws.js';
import { conformance } from './conformance.js';
import { closed, makeCerts } from './helpers.js';

const certs = makeCerts(['node-a']);
const other = makeCerts(['node-a']);
afterAll(() => {
  certs.cleanup();
  other.cleanup();
});
const child = (url: string, certDir?: string) =>
  spawn(process.execPath, [join(import.meta.dirname, 'fixtures/peer-child.mjs'), 'ws', url, ...(certDir ? [certDir] : [])], { stdio: 'ignore' });
let sock = 0;

conformance('ws', () => ({
  transport: wsTransport,
  listenUrl: 'ws://127.0.0.1:0/m2m',
  listenOpts: {},
  dialOpts: {},
  spawnPeer: (url) => child(url),
}));

conformance('wss (mutual TLS)', () => ({
  transport: wsTransport,
  listenUrl: 'wss://127.0.0.1:0/m2m',
  listenOpts: { tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca }, requireClientCert: true },
  dialOpts: { tls: { ca: certs.ca, ...certs.client('node-a'), serverName: 'localhost' } },
  bigMessageBytes: 16 * 1024 * 1024,
  expectClientNodeId: 'node-a',
  rejects: [
    { name: 'client trusts another CA', dialOpts: { tls: { ca: other.ca, ...certs.client('node-a') } } },
    { name: 'no client certificate', dialOpts: { tls: { ca: certs.ca } } },
    { name: 'client cert from another CA', dialOpts: { tls: { ca: certs.ca, ...other.client('node-a') } } },
  ],
  spawnPeer: (url) => child(url, certs.dir),
}));

conformance('ws+unix', () => ({
  transport: wsTransport,
  listenUrl: `ws+unix://${join(tmpdir(), `m2m-ws-${process.pid}-${sock++}.sock`)}`,
  listenOpts: {},
  dialOpts: {},
  spawnPeer: (url) => child(url),
}));

describe('ws specifics', () => {
  it('closes the connection on a text frame (binary only)', async () => {
    const l = await wsTransport.listen('ws://127.0.0.1:0/m2m');
    const accepted = new Promise<import('../../transports/transport.js').Connection>((r) => l.once('connection', r));
    const raw = new WebSocket(l.url);
    await new Promise((r) => raw.once('open', r));
    const conn = await accepted;
    const info = closed(conn);
    raw.send('hello');
    expect(await info).toMatchObject({ graceful: false, error: expect.objectContaining({ code: 'PROTOCOL_VIOLATION' }) });
    raw.terminate();
    await l.close();
  });

  it('reuses a stale unix socket file left by a dead process', async () => {
    const path = join(tmpdir(), `m2m-stale-${process.pid}.sock`);
    writeFileSync(path, '');
    const l = await wsTransport.listen(`ws+unix://${path}`);
    const c = await wsTransport.dial(l.url, { signal: AbortSignal.timeout(3000) });
    expect(c.remote.address).toBe(`unix:${path}`);
    c.abort();
    await l.close();
  });

  it('rejects bad URLs and mTLS without wss', async () => {
    await expect(wsTransport.listen('http://127.0.0.1:0')).rejects.toMatchObject({ code: 'INVALID_ADDRESS' });
    await expect(wsTransport.listen('ws://127.0.0.1:0', { requireClientCert: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(wsTransport.listen('wss://127.0.0.1:0')).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
  });

  it('reports the server identity verified by TLS on dial', async () => {
    const l = await wsTransport.listen('wss://127.0.0.1:0/m2m', { tls: { cert: certs.serverCert, key: certs.serverKey } });
    const c = await wsTransport.dial(l.url, { signal: AbortSignal.timeout(3000), tls: { ca: certs.ca, serverName: 'localhost' } });
    expect(c.remote).toMatchObject({ authenticated: true, nodeId: 'localhost' });
    c.abort();
    await l.close();
  });
});
