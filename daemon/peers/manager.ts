/**
 * Peer links: listens for inbound daemons, dials the static peers with
 * exponential backoff and jitter, runs a session (protocol/session, see peer.ts
 * and link-session.ts) on every link, authenticates it (PSK proof in HELLO and
 * RESUME, or mutual TLS), keeps one link per peer pair, and drains and closes
 * everything on shutdown.
 *
 * How to wire: `const pm = new PeerManager({ nodeId, peers, transports, queue,
 * deliver: (peer, msg, done) => router.receive(peer, msg, done) })`;
 * `await pm.start()`; pass `pm` to the router as its PeerDirectory;
 * `await pm.stop(graceMs)` on SIGTERM.
 */
import type { Connection, DialOptions, Listener, ListenOptions, TlsOptions } from '../../transports/transport.js';
import { M2MError } from '../../protocol/errors.js';
import type { PeerSummary } from '../agent-api/host.js';
import type { QueueStore } from '../queue/types.js';
import type { PeerDirectory, WireMessage } from '../router/types.js';
import { CLOSE_REASONS, encodeControlFrame, type CloseReason, type SecurityCaps } from '../../protocol/session/control.js';
import { resumeRequest } from '../../protocol/session/endpoint.js';
import type { SessionEndpoint } from '../../protocol/session/endpoint.js';
import { FrameType } from '../../protocol/session/frames.js';
import { LinkAuth, resumeParams, signLink } from './link-auth.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { LoadGauge } from './load-gauge.js';
import { checkResume, DEFAULT_KEEPALIVE, DEFAULT_LINK_CPU_BUDGET, newLinkEndpoint, runHandshake, type KeepaliveOptions, type LinkSettings } from './link-session.js';
import { Peer, type PeerHooks } from './peer.js';

/** How long a new connection may take to complete its HELLO exchange. @default 10 s */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Messages sent but not yet acknowledged before new ones wait in the queue. @default 4,096 */
export const DEFAULT_WINDOW = 4096;
/** What a link announces when the daemon does not say (the protocol's defaults). */
const DEFAULT_SECURITY: Readonly<SecurityCaps> = Object.freeze({ threatDetection: true, blocking: false, threshold: 0.8, modelVersion: null });

export interface TransportApi {
  dial(url: string, opts: DialOptions): Promise<Connection>;
  listen(url: string, opts?: ListenOptions): Promise<Listener>;
}

export interface StaticPeer {
  id: string;
  url: string;
  /** TLS for dialling this peer (CA, client cert, server name). */
  tls?: TlsOptions;
  /** Per-peer PSK (overrides the global one). */
  psk?: string;
}

export interface PeerManagerOptions {
  nodeId: string;
  peers: readonly StaticPeer[];
  transports: TransportApi;
  queue: QueueStore<WireMessage>;
  deliver: PeerHooks['deliver'];
  /** Listener URLs with their options. */
  listen?: ReadonlyArray<{ url: string; opts?: ListenOptions }>;
  psk?: string;
  /** Accept links that are neither mTLS- nor PSK-authenticated (tests/dev). @default false */
  allowUnauthenticated?: boolean;
  /** Accept authenticated nodes that are not in `peers`. @default true */
  acceptUnknownPeers?: boolean;
  backoff?: BackoffOptions;
  handshakeTimeoutMs?: number;
  window?: number;
  /** Link keepalive. @default DEFAULT_KEEPALIVE (60 s, 10 s, 3 missed) */
  keepalive?: KeepaliveOptions;
  /** Offer session-context compression of DATA payloads. @default true */
  compress?: boolean;
  /** Share of a core `m2m-lz-1` may use per link before frames go `brotli+ctx` (1 = never switch). @default 0.2 */
  linkCpuBudget?: number;
  /**
   * The security policy announced in HELLO, read for every new session.
   * @default scanning on, not blocking, threshold 0.8, no model (the protocol's defaults)
   */
  security?: () => SecurityCaps;
  logger?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; debug(o: object, m?: string): void };
  wire?: PeerHooks['wire'];
  data?: PeerHooks['data'];
  /** Called when a peer connects or disconnects. */
  sessionsChanged?(connected: number): void;
}

export class PeerManager implements PeerDirectory {
  private readonly peers = new Map<string, Peer>();
  private readonly statics = new Map<string, StaticPeer>();
  private readonly listeners: Listener[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private readonly pending = new Set<Connection>();
  private readonly abort = new AbortController();
  private readonly auth: LinkAuth;
  private stopping = false;
  private readonly link: LinkSettings;
  private readonly load: LoadGauge | undefined;

  constructor(private readonly opts: PeerManagerOptions) {
    for (const p of opts.peers) this.statics.set(p.id, p);
    this.auth = new LinkAuth(opts.nodeId);
    const budget = opts.linkCpuBudget ?? DEFAULT_LINK_CPU_BUDGET;
    this.load = (opts.compress ?? true) && budget < 1 ? new LoadGauge() : undefined;
    this.link = {
      nodeId: opts.nodeId,
      compress: opts.compress ?? true,
      cpuBudget: budget,
      busy: this.load?.busy,
      security: opts.security ?? (() => ({ ...DEFAULT_SECURITY })),
      window: opts.window ?? DEFAULT_WINDOW,
      handshakeTimeoutMs: opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      keepalive: opts.keepalive ?? DEFAULT_KEEPALIVE,
      auth: this.auth,
      allowUnauthenticated: opts.allowUnauthenticated ?? false,
      pskFor: (id) => this.statics.get(id)?.psk ?? opts.psk,
      acceptPeer: (id) => !this.stopping && (this.statics.has(id) || (opts.acceptUnknownPeers ?? true)),
    };
  }

  /** URLs the listeners actually bound. */
  get listening(): string[] {
    return this.listeners.map((l) => l.url);
  }

  async start(): Promise<string[]> {
    for (const l of this.opts.listen ?? []) {
      const listener = await this.opts.transports.listen(l.url, l.opts);
      listener.on('connection', (c) => this.inbound(c));
      listener.on('error', (e) => this.opts.logger?.warn({ err: e.message, url: listener.url }, 'listener error'));
      this.listeners.push(listener);
    }
    for (const p of this.statics.values()) {
      this.peer(p.id);
      this.dialSoon(p.id, 0);
    }
    return this.listening;
  }

  /** Replace the static peer list (SIGHUP): new peers are dialled, removed ones closed once idle. */
  reload(peers: readonly StaticPeer[]): void {
    const next = new Map(peers.map((p) => [p.id, p]));
    for (const id of this.statics.keys()) {
      if (!next.has(id)) {
        this.statics.delete(id);
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
      }
    }
    for (const p of peers) {
      const isNew = !this.statics.has(p.id);
      this.statics.set(p.id, p);
      if (isNew) {
        this.peer(p.id);
        this.dialSoon(p.id, 0);
      }
    }
  }

  has(nodeId: string): boolean {
    return this.statics.has(nodeId) || this.peers.get(nodeId)?.connected === true;
  }

  send(nodeId: string, msg: WireMessage): 'sent' | 'queued' {
    if (!this.has(nodeId)) throw new M2MError('UNKNOWN_PEER', `no peer "${nodeId}" is configured or connected`);
    return this.peer(nodeId).send(msg);
  }

  list(): PeerSummary[] {
    return [...this.peers.values()].map((p) => p.summary());
  }

  agreedSecurity(nodeId: string): SecurityCaps | undefined {
    return this.peers.get(nodeId)?.agreedSecurity;
  }

  /** The peer objects (stats for benchmarks and metrics). */
  all(): Peer[] {
    return [...this.peers.values()];
  }

  get connectedCount(): number {
    let n = 0;
    for (const p of this.peers.values()) if (p.connected) n++;
    return n;
  }

  /**
   * Graceful stop: no new links, wait up to `graceMs` until every peer acknowledged
   * everything sent and queued, then CLOSE each link with `reason` and close the listeners.
   * @returns true when everything was flushed in time
   */
  async stop(graceMs = 10_000, reason = 'SERVER_SHUTDOWN'): Promise<boolean> {
    // Links keep (re)connecting during the grace period so queued messages can still flow.
    const grace = AbortSignal.timeout(Math.max(0, graceMs));
    await Promise.all([...this.peers.values()].map((p) => p.idle(grace)));
    const flushed = [...this.peers.values()].every((p) => p.outstanding === 0);
    this.stopping = true;
    this.load?.stop();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.abort.abort();
    const why: CloseReason = (CLOSE_REASONS as readonly string[]).includes(reason) ? (reason as CloseReason) : 'ERROR';
    await Promise.all([...this.peers.values()].map((p) => p.closeLink(why)));
    for (const c of this.pending) c.abort(new Error('shutting down'));
    await Promise.all(this.listeners.map((l) => l.close()));
    return flushed;
  }


  private peer(id: string): Peer {
    let p = this.peers.get(id);
    if (!p) {
      p = new Peer(id, this.opts.queue.forPeer(id), {
        deliver: this.opts.deliver,
        disconnected: (peer, why) => this.disconnected(peer, why),
        alive: (peer) => this.attempts.set(peer.id, 0),
        protocolError: (peer, err) => {
          this.opts.logger?.warn({ peer: peer.id, err: err.message }, 'protocol error on peer link; reconnecting');
          peer.conn?.abort(err);
        },
        wire: this.opts.wire,
        data: this.opts.data,
      }, this.statics.get(id)?.url);
      this.peers.set(id, p);
    }
    return p;
  }

  private inbound(conn: Connection): void {
    if (this.stopping) {
      conn.abort(new Error('shutting down'));
      return;
    }
    this.pending.add(conn);
    const timer = setTimeout(() => conn.abort(new Error(`no HELLO within ${this.link.handshakeTimeoutMs} ms`)), this.link.handshakeTimeoutMs);
    timer.unref?.();
    const first = (bytes: Uint8Array): void => {
      clearTimeout(timer);
      conn.off('message', first);
      if (bytes[0] === FrameType.RESUME) return this.inboundResume(conn, bytes);
      const ep = newLinkEndpoint(this.link, 'responder', conn);
      runHandshake(ep, conn, this.pending, (info) => this.established(info.peerNodeId, ep, conn, 'inbound'), (why) => {
        this.opts.logger?.warn({ remote: conn.remote.address, err: why }, 'inbound peer refused');
      });
      ep.receive(bytes);
    };
    conn.on('message', first);
    conn.once('close', () => {
      clearTimeout(timer);
      this.pending.delete(conn);
    });
  }

  /** A new connection that starts with RESUME: continue that session if it is ours and the proof holds. */
  private inboundResume(conn: Connection, bytes: Uint8Array): void {
    this.pending.delete(conn);
    const req = resumeRequest(bytes);
    const p = req === undefined ? undefined : [...this.peers.values()].find((x) => x.resumable && x.session?.sessionId === req.sessionId);
    if (!req || !p) {
      // The peer must start a new session (e.g. this daemon restarted).
      try {
        conn.send(encodeControlFrame('CLOSE', { reason: 'ERROR', message: 'unknown session' }));
      } catch {
        // already gone
      }
      void conn.close('UNKNOWN_SESSION');
      return;
    }
    const refused = checkResume(this.link, conn, p.id, req);
    if (refused !== undefined) {
      this.opts.logger?.warn({ peer: p.id, remote: conn.remote.address, err: refused }, 'RESUME refused');
      conn.abort(new Error('unauthorized'));
      return;
    }
    if (this.keepsCurrent(p, 'inbound')) {
      void conn.close('DUPLICATE');
      return;
    }
    p.reattachOn(conn, bytes);
    this.linked(p, 'inbound', conn);
  }

  /** One link per pair: true when `p`'s live link was dialled by the preferred side (the smaller node id) and a new one in `direction` was not. */
  private keepsCurrent(p: Peer, direction: 'inbound' | 'outbound'): boolean {
    const preferred = this.opts.nodeId < p.id ? 'outbound' : 'inbound';
    return p.conn !== undefined && p.conn.state === 'open' && p.direction === preferred && direction !== preferred;
  }

  /** A new session is established with `peerId`: keep it (ending any older one) unless the current link wins. */
  private established(peerId: string, ep: SessionEndpoint, conn: Connection, direction: 'inbound' | 'outbound'): void {
    const p = this.peer(peerId);
    if (p.session !== undefined && p.session !== ep && this.keepsCurrent(p, direction)) {
      this.opts.logger?.debug({ peer: peerId, direction }, 'duplicate link closed');
      ep.onClosed = () => undefined;
      ep.close('NORMAL');
      ep.abort('duplicate link');
      void conn.close('DUPLICATE');
      return;
    }
    p.bind(ep, conn, direction);
    this.attempts.set(peerId, 0);
    this.linked(p, direction, conn);
  }

  private linked(p: Peer, direction: 'inbound' | 'outbound', conn: Connection): void {
    clearTimeout(this.timers.get(p.id));
    this.timers.delete(p.id);
    p.connecting = false;
    this.opts.logger?.info({ peer: p.id, direction, transport: conn.transport, codecs: p.codecs, session: p.session?.sessionId, resent: p.stats.resent }, 'peer link established');
    this.opts.sessionsChanged?.(this.connectedCount);
  }

  private disconnected(peer: Peer, why: string): void {
    this.opts.logger?.info({ peer: peer.id, reason: why }, 'peer link lost');
    this.opts.sessionsChanged?.(this.connectedCount);
    if (!this.stopping && this.statics.has(peer.id)) this.dialSoon(peer.id, this.nextDelay(peer.id));
  }

  private nextDelay(id: string): number {
    const n = this.attempts.get(id) ?? 0;
    this.attempts.set(id, n + 1);
    return backoffDelay(n, this.opts.backoff);
  }

  private dialSoon(id: string, delayMs: number): void {
    if (this.stopping || this.timers.has(id)) return;
    const p = this.peer(id);
    p.connecting = true;
    const t = setTimeout(() => {
      this.timers.delete(id);
      void this.dialOnce(id);
    }, delayMs);
    this.timers.set(id, t);
  }

  private async dialOnce(id: string): Promise<void> {
    const sp = this.statics.get(id);
    const p = this.peer(id);
    if (!sp || p.connected || this.stopping) return;
    let conn: Connection;
    try {
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.link.handshakeTimeoutMs)]);
      conn = await this.opts.transports.dial(sp.url, { signal, tls: sp.tls });
    } catch (e) {
      this.opts.logger?.debug({ peer: id, url: sp.url, err: (e as Error).message }, 'dial failed');
      this.dialSoon(id, this.nextDelay(id));
      return;
    }
    if (this.stopping) return void conn.abort();
    const psk = this.link.pskFor(id);
    if (psk === undefined && !conn.remote.authenticated && !this.link.allowUnauthenticated) {
      this.opts.logger?.warn({ peer: id }, `peer ${id} is not authenticated (no verified certificate, no PSK configured)`);
      conn.abort(new Error('unauthenticated'));
      this.dialSoon(id, this.nextDelay(id));
      return;
    }
    if (p.connected) return void conn.close('DUPLICATE');
    const session = p.session;
    if (p.resumable && session?.sessionId !== undefined) {
      p.resumeOn(conn, psk === undefined ? undefined : signLink(psk, this.opts.nodeId, resumeParams(session.sessionId), id));
      this.linked(p, 'outbound', conn);
      return;
    }
    const ep = newLinkEndpoint(this.link, 'initiator', conn, id);
    runHandshake(ep, conn, this.pending, (info) => {
      if (info.peerNodeId !== id) {
        this.opts.logger?.warn({ peer: id, answered: info.peerNodeId }, 'peer handshake failed: wrong node answered');
        ep.onClosed = () => undefined;
        ep.close('PROTOCOL_ERROR');
        ep.abort('wrong node');
        void conn.close('UNAUTHORIZED');
        this.dialSoon(id, this.nextDelay(id));
        return;
      }
      this.established(id, ep, conn, 'outbound');
    }, (why) => {
      this.opts.logger?.warn({ peer: id, err: why }, 'peer handshake failed');
      if (!this.peer(id).connected) this.dialSoon(id, this.nextDelay(id));
    });
  }
}
