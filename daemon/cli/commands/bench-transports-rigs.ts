/**
 * Echo rigs for `m2m bench transports`: for each transport, one pipe through our Connection and one
 * through the bare library (same process, same certificates, same message framing where the library
 * has none: a u32 length prefix decoded by the same decoder), so the ratio shows what our layer costs.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createHmac, randomBytes, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { Socket } from 'node:net';
import { QUICClient, QUICServer, events as qev } from '@matrixai/quic';
import Logger, { LogLevel } from '@matrixai/logger';
import type { Connection, DialOptions, ListenOptions, Transport } from '../../../transports/transport.js';
import { LengthPrefixDecoder, lengthPrefix } from '../../../transports/framing.js';
import { loadWebTransportLibrary } from '../../../transports/webtransport.js';

/** A client end whose server echoes every message. */
export interface Pipe {
  send(b: Uint8Array): boolean;
  onMessage(cb: (m: Uint8Array) => void): void;
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface Rig {
  name: string;
  ours(): Promise<Pipe>;
  bare(): Promise<Pipe>;
}

const HWM = 1024 * 1024;
const MAX = 32 * 1024 * 1024;

async function oursPipe(t: Transport, url: string, lopts: ListenOptions, dopts: Omit<DialOptions, 'signal'>): Promise<Pipe> {
  const l = await t.listen(url, lopts);
  l.on('connection', (c) => c.on('message', (m) => c.send(m)));
  const c: Connection = await t.dial(l.url, { ...dopts, signal: AbortSignal.timeout(10_000) });
  return {
    send: (b) => c.send(b),
    onMessage: (cb) => void c.on('message', cb),
    drained: async () => void (await once(c, 'drain')),
    close: async () => {
      c.abort();
      await l.close();
    },
  };
}

function framed(m: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + m.byteLength);
  out.set(lengthPrefix(m.byteLength));
  out.set(m, 4);
  return out;
}

/** Bare WHATWG stream pair: one write per message, the library's own desiredSize for backpressure. */
function streamPipe(readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array>, close: () => Promise<void>): Pipe {
  const w = writable.getWriter();
  let cb: (m: Uint8Array) => void = () => {};
  const dec = new LengthPrefixDecoder(MAX);
  void (async () => {
    const r = readable.getReader();
    for (;;) {
      const { value, done } = await r.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      dec.push(value, (m) => cb(m));
    }
  })();
  return {
    send: (b) => {
      w.write(framed(b)).catch(() => {});
      return (w.desiredSize ?? 0) > 0;
    },
    onMessage: (f) => void (cb = f),
    drained: () => w.ready,
    close,
  };
}

function echoStream(readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array>): void {
  const w = writable.getWriter();
  const dec = new LengthPrefixDecoder(MAX);
  void (async () => {
    const r = readable.getReader();
    for (;;) {
      const { value, done } = await r.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      dec.push(value, (m) => void w.write(framed(m)).catch(() => {}));
    }
  })();
}

async function bareWs(unixPath?: string): Promise<Pipe> {
  const http = await import('node:http');
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: MAX });
  wss.on('connection', (s) => s.on('message', (m) => s.send(m as Buffer, { binary: true })));
  await new Promise<void>((r) => (unixPath ? server.listen(unixPath, r) : server.listen(0, '127.0.0.1', r)));
  const port = (server.address() as { port: number }).port;
  const ws = new WebSocket(unixPath ? `ws+unix://${unixPath}:/` : `ws://127.0.0.1:${port}/`, { perMessageDeflate: false, maxPayload: MAX });
  await once(ws, 'open');
  const sock = (ws as unknown as { _socket: Socket })._socket;
  return {
    send: (b) => {
      ws.send(b, { binary: true });
      return ws.bufferedAmount < HWM;
    },
    onMessage: (cb) => void ws.on('message', (m) => cb(m as Buffer)),
    drained: async () => {
      while (ws.bufferedAmount >= HWM) await once(sock, 'drain');
    },
    close: async () => {
      ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const quiet = (): Logger => new Logger('bench', LogLevel.SILENT);

async function bareQuic(certDir: string): Promise<Pipe> {
  const r = (f: string): string => readFileSync(join(certDir, f), 'utf8');
  const key = randomBytes(32);
  const ops = {
    sign: async (k: ArrayBuffer, d: ArrayBuffer) => new Uint8Array(createHmac('sha256', Buffer.from(k)).update(Buffer.from(d)).digest()).buffer,
    verify: async () => true,
  };
  const server = new QUICServer({
    crypto: { key: new Uint8Array(key).buffer, ops },
    logger: quiet(),
    config: { key: r('server.key'), cert: r('server.crt'), applicationProtos: ['m2m/1'], readableChunkSize: 64 * 1024 },
  });
  server.addEventListener(qev.EventQUICServerConnection.name, (e: Event) => {
    const conn = (e as qev.EventQUICServerConnection).detail;
    conn.addEventListener(qev.EventQUICConnectionStream.name, (s: Event) => {
      const st = (s as qev.EventQUICConnectionStream).detail;
      echoStream(st.readable, st.writable);
    });
  });
  await server.start({ host: '127.0.0.1', port: 0 });
  const client = await QUICClient.createQUICClient({
    host: '127.0.0.1',
    port: server.port,
    serverName: 'localhost',
    logger: quiet(),
    crypto: { ops: { randomBytes: async (b: ArrayBuffer) => void webcrypto.getRandomValues(new Uint8Array(b)) } },
    config: { ca: r('ca.crt'), applicationProtos: ['m2m/1'], readableChunkSize: 64 * 1024 },
  });
  const st = client.connection.newStream('bidi');
  return streamPipe(st.readable, st.writable, async () => {
    await client.destroy({ force: true }).catch(() => {});
    await server.stop({ force: true }).catch(() => {});
  });
}

async function bareWebTransport(certDir: string): Promise<Pipe> {
  const r = (f: string): string => readFileSync(join(certDir, f), 'utf8');
  const { Http2Server, WebTransport } = await loadWebTransportLibrary();
  const win = 15 * 1024 * 1024;
  const server = new Http2Server({
    port: 0,
    host: '127.0.0.1',
    secret: randomBytes(16).toString('hex'),
    cert: r('wt.crt'),
    privKey: r('wt.key'),
    initialSessionFlowControlWindow: win,
    sessionFlowControlWindowSizeLimit: win,
    defaultDatagramsReadableMode: 'bytes',
  });
  server.startServer();
  await server.ready;
  void (async () => {
    const sessions = (server.sessionStream('/m2m') as ReadableStream<any>).getReader();
    for (;;) {
      const { value: s, done } = await sessions.read();
      if (done) return;
      await s.ready;
      const { value: bidi } = await s.incomingBidirectionalStreams.getReader().read();
      echoStream(bidi.readable, bidi.writable);
    }
  })();
  const port = (server.address() as { port: number }).port;
  const hash = Buffer.from(r('wt.sha256').trim(), 'hex');
  const wt = new WebTransport(`https://127.0.0.1:${port}/m2m`, { forceReliable: true, serverCertificateHashes: [{ algorithm: 'sha-256', value: hash }] } as any);
  await wt.ready;
  const bidi = await wt.createBidirectionalStream();
  return streamPipe(bidi.readable, bidi.writable, async () => {
    wt.close();
    server.stopServer();
  });
}

/** The rigs, given a directory made by certs/make-dev-certs.sh and a scratch dir for sockets. */
export async function rigs(certDir: string, scratch: string): Promise<Rig[]> {
  const r = (f: string): string => readFileSync(join(certDir, f), 'utf8');
  const { wsTransport } = await import('../../../transports/ws.js');
  const { quicTransport } = await import('../../../transports/quic.js');
  const { webTransport } = await import('../../../transports/webtransport.js');
  let n = 0;
  const sock = (): string => join(scratch, `b${n++}.sock`);
  return [
    { name: 'ws', ours: () => oursPipe(wsTransport, 'ws://127.0.0.1:0/m2m', {}, {}), bare: () => bareWs() },
    { name: 'ws+unix', ours: () => oursPipe(wsTransport, `ws+unix://${sock()}`, {}, {}), bare: () => bareWs(sock()) },
    {
      name: 'webtransport',
      ours: () => oursPipe(webTransport, 'https://127.0.0.1:0/m2m', { tls: { cert: r('wt.crt'), key: r('wt.key') } }, { tls: { certHashes: [r('wt.sha256').trim()] } }),
      bare: () => bareWebTransport(certDir),
    },
    {
      name: 'quic',
      ours: () => oursPipe(quicTransport, 'quic://127.0.0.1:0', { tls: { cert: r('server.crt'), key: r('server.key') } }, { tls: { ca: r('ca.crt'), serverName: 'localhost' } }),
      bare: () => bareQuic(certDir),
    },
  ];
}
