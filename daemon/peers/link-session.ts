/**
 * Building the `SessionEndpoint` of a peer link: the capabilities a daemon offers (session-context
 * Brotli with the built-in dictionary, or raw only), session timers from the daemon's keepalive
 * settings, deferred acknowledgement, the PSK proof in HELLO and the responder's HELLO check
 * (self-links, mutual-TLS identity, PSK proof, unknown peers); and ending one: a session replaced by a
 * new one, a CLOSE that waits for the peer's.
 */
import type { Connection } from '../../transports/transport.js';
import { SessionEndpoint, defaultCapabilities } from '../../protocol/session/endpoint.js';
import type { Capabilities, CloseReason, RejectBody, ResumeBody, SecurityCaps } from '../../protocol/session/control.js';
import type { PendingMessage } from '../../protocol/session/resend-buffer.js';
import type { SessionTimers } from '../../protocol/session/machine.js';
import { PROTOCOL_VERSION } from '../../protocol/session/negotiate.js';
import { acceptParams, helloParams, proofNonce, resumeParams, signLink, type LinkAuth } from './link-auth.js';
import { BATCH_EXTENSION } from './link-wire.js';

/**
 * Brotli quality of the link's context compressor. q5 keeps most of q7's ratio at about twice
 * the speed (measured on payloads.dev.jsonl: ratio 0.224 vs 0.210, 8.4 vs 5.0 MB/s on a loaded box).
 */
export const LINK_CONTEXT_QUALITY = 5;
/**
 * Share of one core a link's `m2m-lz-1` encoder may use by default (`[compression] link_cpu_budget`).
 * Between messages other work evicts its 8 MB of history and tables from the CPU caches, so on a
 * daemon that is not streaming a 1 KB frame costs ~0.2 ms to encode (p99 ~1 ms) against ~0.06 ms for
 * `brotli+ctx`; that sits on every message's path. 0.05 keeps `m2m-lz-1` on every frame up to
 * ~250 msgs/s of fresh 1 KB text per link, and on repeating traffic, where it is the cheaper engine
 * anyway. Measured with `bench e2e` (two runs each, same hour): 0.2 → 5.1–5.2k msgs/s, p50/p99 at
 * 1k msgs/s 1.29–1.35 / 5.4–5.6 ms, wire/JSON 0.226; 0.05 → 6.2–6.5k msgs/s, 0.84–0.98 / 4.56–4.60 ms,
 * 0.240; with `--corpus payloads.dev.jsonl` 0.071 vs 0.072.
 */
export const DEFAULT_LINK_CPU_BUDGET = 0.05;
/** A link is never closed for being idle (keepalive PINGs watch it instead). */
const LINK_IDLE_MS = 2_000_000_000;

/** Link keepalive, mapped onto the session's PING timers. */
export interface KeepaliveOptions {
  /** Time between PINGs, in ms. @default 60,000 */
  intervalMs: number;
  /** Time for each PONG, in ms. @default 10,000 */
  timeoutMs: number;
  /** PONGs missed in a row that end the session. @default 3 */
  missed: number;
}

export const DEFAULT_KEEPALIVE: KeepaliveOptions = Object.freeze({ intervalMs: 60_000, timeoutMs: 10_000, missed: 3 });

export interface LinkSettings {
  nodeId: string;
  /** Offer session-context compression. */
  compress: boolean;
  /** Share of one core the link's `bytes+ctx` encoder may use before `auto` switches frames to `brotli+ctx` (≥ 1: never). */
  cpuBudget: number;
  /** True while this daemon's event loop is saturated: links then send `brotli+ctx` whatever the budget. */
  busy?: () => boolean;
  /** The security policy this node announces in HELLO (read per session: SIGHUP may change it). */
  security(): SecurityCaps;
  /** Most unacknowledged DATA frames per session before new messages wait in the queue. */
  window: number;
  /** Offer {@link BATCH_EXTENSION} (several messages of one route per DATA frame). @default true */
  batch?: boolean;
  handshakeTimeoutMs: number;
  keepalive: KeepaliveOptions;
  auth: LinkAuth;
  allowUnauthenticated: boolean;
  /** The PSK to use with a peer (per-peer or global), if any. */
  pskFor(peerId: string): string | undefined;
  /** Whether this node id may connect now. */
  acceptPeer(peerId: string): boolean;
}

/** What a daemon offers in HELLO: its codecs and its real security policy (scanning, blocking, threshold, model). */
export function linkCapabilities(compress: boolean, security?: SecurityCaps, batch = true): Capabilities {
  // Links frame bursts of one route together (link-wire.ts) when the peer lists the extension too.
  const caps = { ...defaultCapabilities({ contextQuality: LINK_CONTEXT_QUALITY }), extensions: batch ? { [BATCH_EXTENSION]: 1 } : {} };
  const withSecurity = security ? { ...caps, security: { ...security } } : caps;
  return compress ? { ...withSecurity, codecs: ['bytes+ctx', 'brotli+ctx', 'raw'] } : { ...withSecurity, codecs: ['raw'], dictionaries: [] };
}

function timers(s: LinkSettings): Partial<SessionTimers> {
  return {
    helloTimeoutMs: s.handshakeTimeoutMs,
    pingIntervalMs: s.keepalive.intervalMs,
    pongTimeoutMs: s.keepalive.timeoutMs,
    maxMissedPongs: s.keepalive.missed,
    idleTimeoutMs: LINK_IDLE_MS,
    // ACKs are off the delivery path (they only free the sender's resend buffer): a 20 ms delay means
    // one machine transition per ~20 ms of traffic instead of per 5 ms (each costs ~50 µs in xstate).
    ackDelayMs: 20,
  };
}

/** The responder's HELLO check on `conn`: a REJECT body, or undefined to accept. */
function checkHello(s: LinkSettings, conn: Connection, nodeId: string, auth: unknown, version: string, caps: Capabilities): RejectBody | undefined {
  const refuse = (message: string): RejectBody => ({ code: 'UNAUTHORIZED', message });
  if (nodeId === s.nodeId) return refuse('a node cannot peer with itself');
  const certNode = conn.remote.authenticated ? conn.remote.nodeId : undefined;
  if (certNode !== undefined && certNode !== nodeId) return refuse(`HELLO node "${nodeId}" does not match the client certificate ("${certNode}")`);
  const psk = s.pskFor(nodeId);
  if (psk !== undefined) {
    try {
      s.auth.verify(psk, auth, nodeId, helloParams(version, caps));
    } catch {
      return refuse('authentication failed');
    }
  } else if (certNode === undefined && !s.allowUnauthenticated) {
    return refuse('peer is not authenticated (no client certificate, no PSK configured)');
  }
  if (!s.acceptPeer(nodeId)) return refuse(`node "${nodeId}" is not a known peer`);
  return undefined;
}

/** A new endpoint: `initiator` dials `peerId`; `responder` answers a HELLO arriving on `conn`. */
export function newLinkEndpoint(s: LinkSettings, role: 'initiator' | 'responder', conn: Connection, peerId?: string): SessionEndpoint {
  const capabilities = linkCapabilities(s.compress, s.security(), s.batch ?? true);
  const psk = peerId === undefined ? undefined : s.pskFor(peerId);
  const auth = role === 'initiator' && psk !== undefined && peerId !== undefined ? signLink(psk, s.nodeId, helloParams(PROTOCOL_VERSION, capabilities), peerId) : undefined;
  return new SessionEndpoint({
    role,
    nodeId: s.nodeId,
    capabilities,
    timers: timers(s),
    codec: { contextQuality: LINK_CONTEXT_QUALITY, ctxCpuBudget: s.cpuBudget >= 1 ? Infinity : s.cpuBudget, ctxBusy: s.cpuBudget >= 1 ? undefined : s.busy },
    resend: { maxFrames: s.window },
    deferAck: true,
    ackEvery: 128,
    auth,
    verifyHello: role === 'responder' ? (h) => checkHello(s, conn, h.nodeId, h.auth, h.version, h.capabilities) : undefined,
    acceptAuth: role === 'responder' ? (h, sessionId) => {
      const key = s.pskFor(h.nodeId);
      return key === undefined ? undefined : signLink(key, s.nodeId, acceptParams(sessionId, proofNonce(h.auth)), h.nodeId);
    } : undefined,
    verifyAccept: role === 'initiator' ? (a) => {
      if (a.nodeId !== peerId) return `dialled "${peerId}" but "${a.nodeId}" answered`;
      if (psk === undefined) return undefined;
      try {
        s.auth.verify(psk, a.auth, a.nodeId, acceptParams(a.sessionId, proofNonce(auth)));
        return undefined;
      } catch (e) {
        return `peer ${a.nodeId} failed the ACCEPT proof: ${(e as Error).message}`;
      }
    } : undefined,
  });
}

/** Why a RESUME from `peerId` on `conn` must be refused (certificate, PSK proof), or undefined. */
export function checkResume(s: LinkSettings, conn: Connection, peerId: string, req: ResumeBody): string | undefined {
  const certNode = conn.remote.authenticated ? conn.remote.nodeId : undefined;
  if (certNode !== undefined && certNode !== peerId) return `certificate names "${certNode}"`;
  const psk = s.pskFor(peerId);
  if (psk !== undefined) {
    try {
      s.auth.verify(psk, req.auth, peerId, resumeParams(req.sessionId));
    } catch (e) {
      return (e as Error).message;
    }
  } else if (certNode === undefined && !s.allowUnauthenticated) return 'not authenticated';
  return undefined;
}

/**
 * Run the HELLO exchange of `ep` on `conn` (tracked in `pending` meanwhile), then hand over to `ok`
 * (inside the endpoint's onEstablished) or report `failed`.
 */
export function runHandshake(ep: SessionEndpoint, conn: Connection, pending: Set<Connection>, ok: (info: { peerNodeId: string }) => void, failed: (why: string) => void): void {
  const feed = (b: Uint8Array): void => ep.receive(b);
  const lost = (): void => ep.abort('connection closed during the handshake');
  const cleanup = (): void => {
    pending.delete(conn);
    conn.off('message', feed);
    conn.off('close', lost);
  };
  ep.onSend = (b) => {
    try {
      conn.send(b);
    } catch {
      // closing
    }
  };
  ep.onEstablished = (info) => {
    cleanup();
    ok(info);
  };
  ep.onClosed = (info) => {
    cleanup();
    if (conn.state === 'open') void conn.close(String(info.reason));
    failed(info.error?.message ?? `closed: ${info.reason}`);
  };
  pending.add(conn);
  conn.on('message', feed);
  conn.once('close', lost);
  ep.start();
}

/**
 * A session replaced by a new one (a simultaneous dial, a peer that started over): its unacknowledged
 * messages go to `carry` when it ends, whatever it still receives is dropped (the peer replays it on the
 * new session), and it sends CLOSE on its old connection while that is open.
 */
export function retireSession(old: SessionEndpoint, oldConn: Connection | undefined, carry: (unacked: PendingMessage[]) => void): void {
  old.onClosed = (_i, unacked) => carry(unacked);
  old.onDeliver = () => undefined;
  old.onSend = (b) => {
    try {
      if (oldConn?.state === 'open') oldConn.send(b);
    } catch {
      // closing
    }
  };
  if (oldConn && oldConn.state === 'open') old.close('NORMAL');
  old.abort('replaced by a new session');
}

/** Send CLOSE with `reason` and resolve once the session has ended (the peer's CLOSE came back), or after `waitMs`. */
export function closeAndWait(ep: SessionEndpoint, reason: CloseReason, waitMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, waitMs);
    const prev = ep.onClosed;
    ep.onClosed = (info, unacked) => {
      clearTimeout(t);
      prev(info, unacked);
      resolve();
    };
    ep.close(reason);
  });
}
