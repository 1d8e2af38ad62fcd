/**
 * Binary WebSocket transport (`ws`): `ws://`, `wss://` (TLS, optional mutual TLS) and
 * `ws+unix:///path.sock`. Binary frames only (a text frame is a protocol violation),
 * permessage-deflate off (frames are already compressed), `maxPayload` = maxMessageBytes,
 * no pings (the session layer does keepalive; a dead peer process is seen through TCP).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { unlinkSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { BaseConnection } from './base-connection.js';
import { DEFAULT_PATH, resolveOptions, type ResolvedOptions } from './defaults.js';
import { TransportError, dialAborted } from './errors.js';
import { hostPort, identityFromTlsSocket, pemList, pemString } from './tls.js';
import type { Connection, DialOptions, Listener, ListenerEvents, ListenOptions, RemoteIdentity, Transport } from './transport.js';

const SEND_OPTS = { binary: true, compress: false } as const;
/** Close codes: RFC 6455 normal closure and unsupported data. */
const WS_NORMAL = 1000;
const WS_GOING_AWAY = 1001;
const WS_UNSUPPORTED_DATA = 1003;

interface WsAddress {
  secure: boolean;
  unixPath?: string;
  host: string;
  port: number;
  path: string;
}

function parse(url: string | URL): WsAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError('INVALID_ADDRESS', `not a URL: ${String(url)}`);
  }
  if (u.protocol === 'ws+unix:') {
    if (!u.pathname || u.pathname === '/') throw new TransportError('INVALID_ADDRESS', 'ws+unix:// needs an absolute socket path');
    return { secure: false, unixPath: decodeURIComponent(u.pathname), host: '', port: 0, path: DEFAULT_PATH };
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new TransportError('INVALID_ADDRESS', `not a ws/wss URL: ${u.href}`);
  const secure = u.protocol === 'wss:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  return { secure, host, port, path: u.pathname && u.pathname !== '/' ? u.pathname : DEFAULT_PATH };
}

class WsConnection extends BaseConnection {
  readonly transport = 'ws' as const;
  private lastError: Error | undefined;

  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: net.Socket,
    remote: RemoteIdentity,
    opts: ResolvedOptions,
  ) {
    super(remote, opts);
    socket.on('drain', () => this.maybeDrain());
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        this.lastError = new TransportError('PROTOCOL_VIOLATION', 'text WebSocket frame (binary only)');
        ws.close(WS_UNSUPPORTED_DATA, 'binary frames only');
        return;
      }
      this.deliver(data as Buffer);
    });
    ws.on('error', (e) => {
      this.lastError ??= e;
    });
    ws.on('close', (code, reason) => {
      const graceful = (code === WS_NORMAL || code === WS_GOING_AWAY) && !this.lastError;
      const text = reason.toString('utf8') || `code ${code}`;
      this.finish(this.endInfo(graceful, text, graceful ? undefined : this.lastError ?? new TransportError('CONNECTION_LOST', `WebSocket closed: ${text}`)));
    });
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  protected write(data: Uint8Array): void {
    // Frames sent in one turn of the event loop leave in one syscall (measured: a write per frame
    // was the daemon's largest single cost after scanning).
    if (!this.corked && !this.socket.destroyed) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.ws.send(data, SEND_OPTS);
  }

  protected beginClose(reason: string): void {
    this.ws.close(WS_NORMAL, Buffer.from(reason).subarray(0, 123).toString());
  }

  protected destroy(): void {
    this.ws.terminate();
  }

  protected setReading(on: boolean): void {
    if (on) this.ws.resume();
    else this.ws.pause();
  }
}

function remoteOf(socket: net.Socket, unixPath: string | undefined): RemoteIdentity {
  const address = unixPath !== undefined ? `unix:${unixPath}` : hostPort(socket.remoteAddress, socket.remotePort);
  if ('encrypted' in socket && (socket as TLSSocket).encrypted) return identityFromTlsSocket(socket as TLSSocket, address);
  return { address, authenticated: false };
}

class WsListener extends EventEmitter<ListenerEvents> implements Listener {
  readonly transport = 'ws' as const;
  readonly connections = new Set<Connection>();
  url = '';
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: http.Server | https.Server,
    private readonly wss: WebSocketServer,
    private readonly addr: WsAddress,
    opts: ResolvedOptions,
  ) {
    super();
    wss.on('connection', (ws, req) => {
      const conn = new WsConnection(ws, req.socket, remoteOf(req.socket, addr.unixPath), opts);
      this.connections.add(conn);
      conn.once('close', () => this.connections.delete(conn));
      this.emit('connection', conn);
    });
    wss.on('error', (e) => this.listenerCount('error') > 0 && this.emit('error', e));
    server.on('tlsClientError', (e) => this.listenerCount('error') > 0 && this.emit('error', e));
  }

  async start(): Promise<void> {
    const { server, addr } = this;
    await listenOn(server, addr);
    if (addr.unixPath !== undefined) {
      this.url = `ws+unix://${addr.unixPath}`;
      return;
    }
    const a = server.address() as net.AddressInfo;
    this.url = `${addr.secure ? 'wss' : 'ws'}://${hostPort(a.address, a.port)}${addr.path}`;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const done = new Promise<void>((r) => this.server.close(() => r()));
      this.wss.close();
      await Promise.all([...this.connections].map((c) => c.close('listener closed')));
      this.server.closeAllConnections();
      await done;
      this.emit('close');
    })();
    return this.closing;
  }
}

async function listenOn(server: net.Server, addr: WsAddress): Promise<void> {
  const attempt = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      const ok = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (addr.unixPath !== undefined) server.listen(addr.unixPath, ok);
      else server.listen(addr.port, addr.host, ok);
    });
  try {
    await attempt();
  } catch (e) {
    // A socket file left by a dead daemon: remove it if nobody answers on it, then retry once.
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && addr.unixPath !== undefined && !(await answers(addr.unixPath))) {
      unlinkSync(addr.unixPath);
      await attempt();
      return;
    }
    throw new TransportError('LISTEN_FAILED', `cannot listen: ${(e as Error).message}`, { cause: e });
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function listen(url: string | URL, options: ListenOptions = {}): Promise<Listener> {
  const addr = parse(url);
  const opts = resolveOptions(options);
  const tls = options.tls ?? {};
  let server: http.Server | https.Server;
  if (addr.secure) {
    if (!tls.cert || !tls.key) throw new TransportError('LISTEN_FAILED', 'wss:// needs tls.cert and tls.key');
    if (options.requireClientCert && !tls.ca) throw new TransportError('LISTEN_FAILED', 'requireClientCert needs tls.ca');
    server = https.createServer({
      cert: pemString(tls.cert),
      key: pemString(tls.key),
      ca: pemList(tls.ca),
      requestCert: !!options.requireClientCert,
      rejectUnauthorized: !!options.requireClientCert,
    });
  } else {
    if (options.requireClientCert) throw new TransportError('UNSUPPORTED', 'requireClientCert needs wss://');
    server = http.createServer();
  }
  const wss = new WebSocketServer({
    server,
    path: addr.path,
    maxPayload: opts.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const l = new WsListener(server, wss, addr, opts);
  await l.start();
  return l;
}

async function dial(url: string | URL, options: DialOptions): Promise<Connection> {
  const addr = parse(url);
  const opts = resolveOptions(options);
  const { signal } = options;
  if (signal.aborted) throw dialAborted(signal);
  const tls = options.tls ?? {};
  const target =
    addr.unixPath !== undefined
      ? `ws+unix://${addr.unixPath}:${addr.path}`
      : `${addr.secure ? 'wss' : 'ws'}://${hostPort(addr.host, addr.port)}${addr.path}`;
  const clientOpts: ClientOptions & { servername?: string } = {
    maxPayload: opts.maxMessageBytes,
    perMessageDeflate: false,
    ca: pemList(tls.ca),
    cert: tls.cert === undefined ? undefined : pemString(tls.cert),
    key: tls.key === undefined ? undefined : pemString(tls.key),
    servername: tls.serverName,
    rejectUnauthorized: true,
  };
  const ws = new WebSocket(target, clientOpts);
  return new Promise<Connection>((resolve, reject) => {
    let socket: net.Socket | undefined;
    const fail = (e: Error): void => {
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(e);
    };
    const onAbort = (): void => fail(dialAborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    ws.once('upgrade', (res) => (socket = res.socket));
    ws.once('unexpected-response', (_req, res) => fail(new TransportError('DIAL_FAILED', `WebSocket upgrade refused: HTTP ${res.statusCode}`)));
    ws.once('error', (e) => fail(classify(e)));
    ws.once('close', () => fail(new TransportError('DIAL_FAILED', 'connection closed during the handshake')));
    ws.once('open', () => {
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      const s = socket as net.Socket;
      resolve(new WsConnection(ws, s, remoteOf(s, addr.unixPath), opts));
    });
  });
}

/** Map a dial error to a code: certificate and handshake failures are TLS_FAILED. */
function classify(e: Error): TransportError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const tlsish = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALERT/i.test(code) || /certificate|ssl|tls|alert/i.test(e.message);
  return new TransportError(tlsish ? 'TLS_FAILED' : 'DIAL_FAILED', `WebSocket dial failed: ${e.message}`, { cause: e });
}

/** The WebSocket transport (`ws`, `wss`, `ws+unix`). */
export const wsTransport: Transport = { name: 'ws', schemes: ['ws', 'wss', 'ws+unix'], listen, dial };
