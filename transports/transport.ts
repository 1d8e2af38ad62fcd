/**
 * The transport interface: types only (as in js-libp2p's interface package).
 * A transport moves whole binary messages between two daemons; the session
 * layer frames inside them and knows nothing of sockets.
 *
 * ## Using it (what the daemon does)
 * ```ts
 * import { listen, dial } from '../transports/registry.js';
 *
 * // server side: URL scheme picks the transport
 * const listener = await listen('wss://127.0.0.1:7443/m2m', {
 *   tls: { cert, key, ca },            // PEM; `ca` + requireClientCert = mutual TLS
 *   requireClientCert: true,
 * });
 * listener.on('connection', (conn) => {
 *   conn.remote.nodeId;                 // CN of the verified client cert (mTLS), else undefined
 *   conn.on('message', (bytes) => decoder.push(bytes));
 *   conn.on('close', ({ graceful, local, reason, error }) => { … });
 * });
 *
 * // client side: every dial takes an AbortSignal
 * const conn = await dial('quic://127.0.0.1:7444', {
 *   signal: AbortSignal.timeout(10_000),
 *   tls: { ca, cert: clientCert, key: clientKey },
 * });
 * if (!conn.send(frameBytes)) await once(conn, 'drain');  // false = buffered past highWaterMark
 * await conn.close('bye');             // graceful: flushes queued messages, then closes
 * conn.abort(new Error('protocol error')); // immediate: drops queued data
 * await listener.close();              // stops accepting and closes live connections
 * ```
 *
 * Addresses are URLs:
 * | URL | transport |
 * |---|---|
 * | `ws://host:port/path`, `wss://host:port/path` | WebSocket (`ws`), binary frames only |
 * | `ws+unix:///abs/path.sock` | WebSocket over a unix socket |
 * | `quic://host:port` | QUIC (`@matrixai/quic`), ALPN `m2m/1`, one bidi stream per connection |
 * | `https://host:port/path` | WebTransport (HTTP/2 here; HTTP/3 when its native part is installed) |
 * | `memory://name` | in-process pair, for tests |
 *
 * Events: `message` (one whole message, as sent), `drain` (send may resume),
 * `close` (exactly once, always; carries the error if any) and `error` (emitted
 * just before `close`, only when an `error` listener is attached, so a missing
 * handler never crashes the process; the same error is in the `close` info).
 * Prefer `conn.once('close', …)` to `events.once(conn, 'close')`: the latter
 * rejects when an `error` precedes the close. Messages that arrive before the
 * first `message` listener is attached are held (up to highWaterMark bytes,
 * then reading stops) and delivered in order once it is: attach it in the same
 * tick as `connection`/dial() resolves and nothing is lost.
 * @module
 */
import type { EventEmitter } from 'node:events';

/** Names of the built-in transports. */
export type TransportName = 'ws' | 'quic' | 'webtransport' | 'memory';

/** PEM material (string or bytes); a list means several certificates. */
export type Pem = string | Uint8Array;

/** TLS settings for a listener or a dial. */
export interface TlsOptions {
  /** CA certificate(s) that verify the peer; without it the system store is used (clients). */
  ca?: Pem | Pem[];
  /** Our certificate chain (PEM). Listeners: required for wss/quic/https. Clients: presented for mTLS. */
  cert?: Pem;
  /** Private key for `cert` (PEM). */
  key?: Pem;
  /** Client: name checked against the server certificate (and SNI). @default the URL host */
  serverName?: string;
  /**
   * WebTransport client: SHA-256 hashes (hex or bytes) of acceptable server certificates (DER).
   * The W3C rule applies: pinned certificates must be valid for at most 14 days.
   */
  certHashes?: Array<string | Uint8Array>;
}

/** Who is at the other end. */
export interface RemoteIdentity {
  /** Network address, e.g. `127.0.0.1:50123`, `[::1]:443` or `unix:/run/m2m.sock`. */
  address: string;
  /** Subject of the peer certificate, e.g. `CN=node-a`, when TLS verified one. */
  certSubject?: string;
  /** Node id taken from the verified certificate's CN; undefined when no certificate was verified. */
  nodeId?: string;
  /** True when TLS verified the peer's certificate chain (server cert on dial; client cert on listen). */
  authenticated: boolean;
}

/** Why a connection ended. */
export interface CloseInfo {
  /** True when this side called close()/abort() (or its listener closed). */
  local: boolean;
  /** True for an orderly close that flushed queued data; false for abort, reset, timeout or loss. */
  graceful: boolean;
  /** Human-readable reason (may be empty). */
  reason: string;
  /** The error behind a non-graceful close, if any. */
  error?: Error;
}

/** Event map of a {@link Connection}. */
export interface ConnectionEvents {
  message: [data: Uint8Array];
  drain: [];
  close: [info: CloseInfo];
  error: [err: Error];
}

/** Lifecycle of a connection: open → closing → closed (or open → closed on abort/loss). */
export type ConnectionState = 'open' | 'closing' | 'closed';

/** One established, message-oriented, ordered and reliable connection. */
export interface Connection extends EventEmitter<ConnectionEvents> {
  /** Which transport carries it. */
  readonly transport: TransportName;
  /** The peer, as far as the transport can tell. */
  readonly remote: RemoteIdentity;
  /** Current state. */
  readonly state: ConnectionState;
  /** Bytes accepted by send() but not yet handed to the OS / protocol stack. */
  readonly bufferedAmount: number;
  /**
   * Queue one whole message.
   * @returns false when the buffer is at or over `highWaterMark`: stop sending until `drain`.
   * @throws TransportError `CONNECTION_CLOSED` after close()/abort()/loss; `MESSAGE_TOO_LARGE` over `maxMessageBytes`.
   */
  send(data: Uint8Array): boolean;
  /**
   * Graceful close: stop accepting sends, flush what is queued, tell the peer, wait until closed.
   * Falls back to abort after `closeTimeoutMs`. Idempotent.
   */
  close(reason?: string): Promise<void>;
  /** Immediate close: queued data is dropped and the peer sees a non-graceful close. Idempotent. */
  abort(err?: Error): void;
  /**
   * Stop emitting `message` and stop reading from the network, so flow control pushes back on the
   * peer (its send() returns false). Use it when the consumer is saturated. Idempotent.
   */
  pause(): void;
  /** Undo pause(): resume reading and emitting `message`. Idempotent. */
  resume(): void;
}

/** Event map of a {@link Listener}. */
export interface ListenerEvents {
  connection: [conn: Connection];
  error: [err: Error];
  close: [];
}

/** A bound server socket that yields connections. */
export interface Listener extends EventEmitter<ListenerEvents> {
  readonly transport: TransportName;
  /** The URL actually bound (with the real port when 0 was asked), usable by dial(). */
  readonly url: string;
  /** Connections accepted and not yet closed. */
  readonly connections: ReadonlySet<Connection>;
  /** Stop accepting, close live connections gracefully (reason `listener closed`), release the port. Idempotent. */
  close(): Promise<void>;
}

/** Settings shared by listen() and dial(). */
export interface CommonOptions {
  tls?: TlsOptions;
  /** Largest message accepted or sent, in bytes. @default 16 MiB + 64 KiB (the session frame limit) */
  maxMessageBytes?: number;
  /** Buffered bytes at which send() starts returning false. @default 1 MiB */
  highWaterMark?: number;
  /** How long close() waits for the flush before aborting, in ms. @default 5000 */
  closeTimeoutMs?: number;
  /**
   * Idle timeout in ms for transports that need their own liveness check (QUIC over UDP: a dead peer
   * sends nothing). TCP-based transports learn of a dead peer process from the kernel, and the session
   * keepalive covers the rest. @default 15000
   */
  idleTimeoutMs?: number;
  /** Keepalive interval in ms for QUIC; must be below idleTimeoutMs. @default 5000 */
  keepAliveMs?: number;
}

/** Options of dial(). */
export interface DialOptions extends CommonOptions {
  /** Cancels the dial (rejects with `DIAL_ABORTED`); has no effect once the connection is returned. */
  signal: AbortSignal;
}

/** Options of listen(). */
export interface ListenOptions extends CommonOptions {
  /**
   * Require and verify a client certificate (mutual TLS) against `tls.ca`.
   * Not available on WebTransport (the Node client cannot present one): listen() throws `UNSUPPORTED`.
   * @default false
   */
  requireClientCert?: boolean;
}

/** A transport implementation. */
export interface Transport {
  readonly name: TransportName;
  /** URL schemes it serves, without the colon (e.g. `wss`). */
  readonly schemes: readonly string[];
  /** @throws TransportError `INVALID_ADDRESS`, `LISTEN_FAILED`, `UNSUPPORTED` */
  listen(url: string | URL, opts?: ListenOptions): Promise<Listener>;
  /** @throws TransportError `INVALID_ADDRESS`, `DIAL_ABORTED`, `DIAL_FAILED`, `TLS_FAILED` */
  dial(url: string | URL, opts: DialOptions): Promise<Connection>;
}
