/**
 * WebTransport transport (`@fails-components/webtransport`): `https://host:port/path`.
 * One bidirectional stream per session carries length-prefixed messages.
 *
 * - HTTP/3 needs the optional native package `@fails-components/webtransport-transport-http3-quiche`.
 *   We probe it with a dynamic import() once; only when it loads do we use `HttpServer` (h2 + h3 on one
 *   port) and let clients try h3 first. Without it `HttpServer`/`Http3Server` hang silently, so we use
 *   `Http2Server` and `forceReliable` clients (WebTransport over HTTP/2). On this machine the probe fails.
 * - Library bug worked around: the HTTP/2 server advertises a 16 KiB session window but never updates it
 *   unless `initialSessionFlowControlWindow === sessionFlowControlWindowSizeLimit`; we always set both.
 * - The library's receive side buffers without bound while our reader is paused, so messages ride on our
 *   own credit-based flow control (WT_CREDIT_WINDOW_BYTES per direction; control frames in the framing).
 * - No mutual TLS on this path (the Node client cannot present a certificate): listen() refuses
 *   `requireClientCert`; authenticate in HELLO instead. Clients verify the server by certificate hash
 *   (`tls.certHashes`, certificates valid ≤ 14 days) or, without hashes, against Node's CA store
 *   (the library has no `ca` option: use NODE_EXTRA_CA_CERTS for a private CA).
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { StreamConnection, type ByteStreamPair } from './stream-connection.js';
import { DEFAULT_PATH, resolveOptions, type ResolvedOptions } from './defaults.js';
import { TransportError, dialAborted } from './errors.js';
import { hashBytes, hostPort, pemString } from './tls.js';
import type { Connection, DialOptions, Listener, ListenerEvents, ListenOptions, RemoteIdentity, Transport } from './transport.js';

/** Session flow-control window, set equal on both knobs (library bug workaround). */
export const WT_SESSION_WINDOW_BYTES = 15 * 1024 * 1024;
/** How long listen() waits for the server to come up before giving up (it can hang silently). */
const READY_TIMEOUT_MS = 10_000;
/**
 * Our credit window per direction: bytes written and not yet read by the peer. The library buffers
 * without bound while a reader is paused (a stream stops reading only while a read is pending), so we
 * run our own credit-based flow control on top (see StreamConnection `creditWindow`).
 */
export const WT_CREDIT_WINDOW_BYTES = 2 * 1024 * 1024;
const FLOW_CONTROL = {
  initialSessionFlowControlWindow: WT_SESSION_WINDOW_BYTES,
  sessionFlowControlWindowSizeLimit: WT_SESSION_WINDOW_BYTES,
};
/** How long a client tries HTTP/3 before falling back to HTTP/2 (only when h3 is installed). */
const H3_CONNECT_TIMEOUT_MS = 2000;
const CODE_NORMAL = 0;
const CODE_ABORT = 1;
const H3_PACKAGE = '@fails-components/webtransport-transport-http3-quiche';

type WtModule = typeof import('@fails-components/webtransport');
let lib: Promise<WtModule> | undefined;
let h3: Promise<boolean> | undefined;

/** What the library prints (to stdout and stderr) when the optional h3 binary is missing. */
const H3_NOISE = /^(http3 loader:|Problem loading http3-quiche transport|Did you install @fails-components\/webtransport-transport-http3-quiche)/;

/**
 * Load the library lazily. Importing it without the h3 binary prints a stack trace to stdout, which would
 * corrupt machine-readable CLI output (`--json`); we drop exactly those lines while it loads.
 */
export function loadWebTransportLibrary(): Promise<WtModule> {
  lib ??= (async () => {
    const con = globalThis.console;
    const { log, error } = con;
    const quiet =
      (orig: (...a: unknown[]) => void) =>
      (...a: unknown[]): void => {
        if (!(typeof a[0] === 'string' && H3_NOISE.test(a[0]))) orig.apply(con, a);
      };
    con.log = quiet(log);
    con.error = quiet(error);
    try {
      const m = await import('@fails-components/webtransport');
      await m.quicheLoaded;
      await new Promise((r) => setTimeout(r, 20));
      return m;
    } finally {
      con.log = log;
      con.error = error;
    }
  })();
  return lib;
}

/** True when the HTTP/3 native part is installed and loads (probed once per process). */
export function http3Available(): Promise<boolean> {
  h3 ??= (async () => {
    try {
      const name = H3_PACKAGE;
      await import(name);
      return true;
    } catch {
      return false;
    }
  })();
  return h3;
}

interface WtSession {
  ready: Promise<unknown>;
  closed: Promise<{ closeCode?: number; reason?: string }>;
  close(info?: { closeCode?: number; reason?: string }): void;
  incomingBidirectionalStreams: ReadableStream<ByteStreamPair & { readable: ReadableStream<Uint8Array> }>;
  createBidirectionalStream(): Promise<ByteStreamPair>;
  peerAddress?: string;
}

function parse(url: string | URL): { host: string; port: number; path: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError('INVALID_ADDRESS', `not a URL: ${String(url)}`);
  }
  if (u.protocol !== 'https:' || !u.hostname) throw new TransportError('INVALID_ADDRESS', `not an https://host:port/path URL: ${u.href}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 443, path: u.pathname && u.pathname !== '/' ? u.pathname : DEFAULT_PATH };
}

class WtConnection extends StreamConnection {
  readonly transport = 'webtransport' as const;

  constructor(
    private readonly session: WtSession,
    streams: ByteStreamPair,
    remote: RemoteIdentity,
    opts: ResolvedOptions,
  ) {
    super(streams, remote, opts, { preamble: true, creditWindow: WT_CREDIT_WINDOW_BYTES });
    session.closed.then(
      (info) => {
        const reason = info?.reason || `session closed (code ${info?.closeCode ?? '?'})`;
        // A normal close comes after both FINs; let the reader take in what already arrived first.
        if ((info?.closeCode ?? CODE_NORMAL) === CODE_NORMAL) setTimeout(() => this.lost(undefined, reason), 50).unref();
        else this.lost(new TransportError('CONNECTION_LOST', `peer aborted: ${reason}`), reason);
      },
      (e: unknown) => this.lost(e instanceof Error ? e : new TransportError('CONNECTION_LOST', String(e)), 'session failed'),
    );
  }

  protected shutdown(graceful: boolean, reason: string): void {
    try {
      this.session.close({ closeCode: graceful ? CODE_NORMAL : CODE_ABORT, reason: reason.slice(0, 100) });
    } catch {
      // already closed
    }
  }
}

class WtListener extends EventEmitter<ListenerEvents> implements Listener {
  readonly transport = 'webtransport' as const;
  readonly connections = new Set<Connection>();
  url = '';
  private closing: Promise<void> | undefined;
  private readonly sessions = new Set<WtSession>();

  constructor(
    private readonly server: any,
    private readonly opts: ResolvedOptions,
  ) {
    super();
  }

  async accept(path: string): Promise<void> {
    const reader = (this.server.sessionStream(path) as ReadableStream<WtSession>).getReader();
    for (;;) {
      const { value: session, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !session) return;
      if (this.closing) {
        session.close({ closeCode: CODE_ABORT, reason: 'listener closed' });
        continue;
      }
      void this.onSession(session);
    }
  }

  private async onSession(session: WtSession): Promise<void> {
    this.sessions.add(session);
    session.closed.finally(() => this.sessions.delete(session)).catch(() => {});
    try {
      await session.ready;
      const streams = session.incomingBidirectionalStreams.getReader();
      const { value, done } = await streams.read();
      streams.releaseLock();
      if (done || !value || this.closing) {
        session.close({ closeCode: CODE_ABORT, reason: 'no stream' });
        return;
      }
      const remote: RemoteIdentity = { address: session.peerAddress ?? 'unknown', authenticated: false };
      const conn = new WtConnection(session, value, remote, this.opts);
      this.connections.add(conn);
      conn.once('close', () => this.connections.delete(conn));
      this.emit('connection', conn);
    } catch (e) {
      if (this.listenerCount('error') > 0) this.emit('error', e as Error);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.connections].map((c) => c.close('listener closed')));
      for (const s of this.sessions) s.close({ closeCode: CODE_ABORT, reason: 'listener closed' });
      this.server.stopServer();
      await Promise.race([this.server.closed, new Promise((r) => setTimeout(r, 2000).unref())]).catch(() => {});
      this.emit('close');
    })();
    return this.closing;
  }
}

async function listen(url: string | URL, options: ListenOptions = {}): Promise<Listener> {
  const addr = parse(url);
  const opts = resolveOptions(options);
  const tls = options.tls ?? {};
  if (options.requireClientCert) {
    throw new TransportError('UNSUPPORTED', 'WebTransport has no client certificates here: authenticate peers in HELLO');
  }
  if (!tls.cert || !tls.key) throw new TransportError('LISTEN_FAILED', 'https:// (WebTransport) needs tls.cert and tls.key');
  const { Http2Server, HttpServer } = await loadWebTransportLibrary();
  const Server = (await http3Available()) ? HttpServer : Http2Server;
  const server = new Server({
    port: addr.port,
    host: addr.host,
    secret: randomBytes(16).toString('hex'),
    cert: pemString(tls.cert),
    privKey: pemString(tls.key),
    ...FLOW_CONTROL,
    defaultDatagramsReadableMode: 'bytes',
  });
  server.startServer();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      server.ready,
      new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS))),
    ]);
  } catch (e) {
    server.stopServer();
    throw new TransportError('LISTEN_FAILED', `WebTransport server on ${String(url)} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
  const l = new WtListener(server, opts);
  const a = server.address() as { port: number; host: string };
  l.url = `https://${hostPort(a.host ?? addr.host, a.port)}${addr.path}`;
  void l.accept(addr.path);
  return l;
}

async function dial(url: string | URL, options: DialOptions): Promise<Connection> {
  const addr = parse(url);
  const opts = resolveOptions(options);
  const { signal } = options;
  if (signal.aborted) throw dialAborted(signal);
  const tls = options.tls ?? {};
  const { WebTransport } = await loadWebTransportLibrary();
  const useH3 = await http3Available();
  const hashes = (tls.certHashes ?? []).map((h) => ({ algorithm: 'sha-256', value: hashBytes(h) }));
  // With h3 available the client tries QUIC first and falls back to HTTP/2; the library waits 8 s by default.
  const wtOpts: Record<string, unknown> = { forceReliable: !useH3, quicConnectTimeout: H3_CONNECT_TIMEOUT_MS, ...FLOW_CONTROL };
  if (hashes.length > 0) wtOpts.serverCertificateHashes = hashes;
  if (signal.aborted) throw dialAborted(signal);
  const target = `https://${hostPort(addr.host, addr.port)}${addr.path}`;
  const wt = new WebTransport(target, wtOpts as any) as unknown as WtSession;
  wt.closed.catch(() => {});
  const onAbort = (): void => {
    try {
      wt.close({ closeCode: CODE_ABORT, reason: 'dial aborted' });
    } catch {
      // not open yet
    }
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await wt.ready;
    if (signal.aborted) throw dialAborted(signal);
    const streams = await wt.createBidirectionalStream();
    const conn = new WtConnection(wt, streams, { address: hostPort(addr.host, addr.port), authenticated: true }, opts);
    signal.removeEventListener('abort', onAbort);
    const stop = (): void => conn.abort(dialAborted(signal));
    signal.addEventListener('abort', stop, { once: true });
    try {
      await conn.ready;
    } finally {
      signal.removeEventListener('abort', stop);
    }
    return conn;
  } catch (e) {
    onAbort();
    if (signal.aborted) throw dialAborted(signal);
    if (e instanceof TransportError && e.code !== 'CONNECTION_LOST' && e.code !== 'CONNECTION_CLOSED') throw e;
    const msg = (e as Error)?.message ?? String(e);
    const tlsish = /handshake|certificate|tls|ssl/i.test(msg);
    throw new TransportError(tlsish ? 'TLS_FAILED' : 'DIAL_FAILED', `WebTransport dial to ${target} failed: ${msg}`, { cause: e });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The WebTransport transport (`https://`). */
export const webTransport: Transport = { name: 'webtransport', schemes: ['https'], listen, dial };
