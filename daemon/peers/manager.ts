/**
 * Peer links: listens for inbound daemons, dials the static peers with
 * exponential backoff and jitter, authenticates every link (handshake.ts),
 * keeps one link per peer pair, and drains and closes everything on shutdown.
 *
 * How to wire: `const pm = new PeerManager({ nodeId, peers, transports, queue,
 * deliver: (peer, msg, done) => router.receive(peer, msg, done) })`;
 * `await pm.start()`; pass `pm` to the router as its PeerDirectory;
 * `await pm.stop(graceMs)` on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { Connection, DialOptions, Listener, ListenOptions, TlsOptions } from '../../transports/transport.js';
import { M2MError } from '../../protocol/errors.js';
import type { PeerSummary } from '../agent-api/host.js';
import type { QueueStore } from '../queue/types.js';
import type { PeerDirectory, WireMessage } from '../router/types.js';
import { LinkAuth } from './link-auth.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { acceptHandshake, DEFAULT_HANDSHAKE_TIMEOUT_MS, dialHandshake, type HandshakeContext } from './handshake.js';
import type { HelloBody } from './link-codec.js';
import { Peer, type KeepaliveOptions, type PeerHooks } from './peer.js';
import { localOffer, type CodecOffer } from './payload-codec.js';

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
  logger?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; debug(o: object, m?: string): void };
  wire?: PeerHooks['wire'];
  data?: PeerHooks['data'];
  /** Called when a peer connects or disconnects. */
  sessionsChanged?(connected: number): void;
}

export class PeerManager implements PeerDirectory {
  /** This process's outgoing stream id: changes on every restart. */
  readonly epoch = randomBytes(6).toString('hex');
  private readonly peers = new Map<string, Peer>();
  private readonly statics = new Map<string, StaticPeer>();
  private readonly listeners: Listener[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private readonly pending = new Set<Connection>();
  private readonly abort = new AbortController();
  private readonly auth: LinkAuth;
  private stopping = false;
  private readonly offer: CodecOffer;

  constructor(private readonly opts: PeerManagerOptions) {
    for (const p of opts.peers) this.statics.set(p.id, p);
    this.offer = localOffer(opts.compress ?? true);
    this.auth = new LinkAuth(opts.nodeId);
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
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.abort.abort();
    await Promise.all([...this.peers.values()].map((p) => p.closeLink(reason)));
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
        protocolError: (peer, err) => {
          this.opts.logger?.warn({ peer: peer.id, err: err.message }, 'protocol error on peer link; reconnecting');
          peer.conn?.abort(err);
        },
        wire: this.opts.wire,
        data: this.opts.data,
      }, this.statics.get(id)?.url, this.opts.window, this.opts.keepalive);
      this.peers.set(id, p);
    }
    return p;
  }

  private ctx(): HandshakeContext {
    return {
      nodeId: this.opts.nodeId,
      epoch: this.epoch,
      psk: this.opts.psk,
      allowUnauthenticated: this.opts.allowUnauthenticated ?? false,
      auth: this.auth,
      timeoutMs: this.opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      recvState: (id) => this.peers.get(id)?.recvState() ?? { recvEpoch: '', recvSeq: 0 },
      acceptPeer: (id) => !this.stopping && (this.statics.has(id) || (this.opts.acceptUnknownPeers ?? true)),
      offer: this.offer,
    };
  }

  private inbound(conn: Connection): void {
    if (this.stopping) {
      conn.abort(new Error('shutting down'));
      return;
    }
    this.pending.add(conn);
    conn.once('close', () => this.pending.delete(conn));
    acceptHandshake(conn, this.ctx(), (peerId, hello) => {
      this.pending.delete(conn);
      this.established(peerId, conn, 'inbound', hello);
    }, (e) => {
      this.pending.delete(conn);
      this.opts.logger?.warn({ remote: conn.remote.address, err: e.message }, 'inbound peer refused');
    });
  }

  /** Keep one link per pair: the one dialled by the smaller node id wins. */
  private established(peerId: string, conn: Connection, direction: 'inbound' | 'outbound', hello: HelloBody): void {
    const p = this.peer(peerId);
    if (p.conn && p.conn !== conn) {
      const preferredDialer = this.opts.nodeId < peerId ? 'outbound' : 'inbound';
      if (p.direction === preferredDialer || direction !== preferredDialer) {
        this.opts.logger?.debug({ peer: peerId, direction }, 'duplicate link closed');
        void conn.close('DUPLICATE');
        return;
      }
      const old = p.detach();
      void old?.close('DUPLICATE');
    }
    clearTimeout(this.timers.get(peerId));
    this.timers.delete(peerId);
    this.attempts.set(peerId, 0);
    p.connecting = false;
    p.attach(conn, direction, hello, this.epoch, this.offer);
    this.opts.logger?.info({ peer: peerId, direction, transport: conn.transport, codecs: p.codecs, resent: p.stats.resent }, 'peer link established');
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
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS)]);
      conn = await this.opts.transports.dial(sp.url, { signal, tls: sp.tls });
    } catch (e) {
      this.opts.logger?.debug({ peer: id, url: sp.url, err: (e as Error).message }, 'dial failed');
      this.dialSoon(id, this.nextDelay(id));
      return;
    }
    if (this.stopping) return void conn.abort();
    this.pending.add(conn);
    const ctx = { ...this.ctx(), psk: sp.psk ?? this.opts.psk };
    let done = false;
    conn.once('close', () => {
      this.pending.delete(conn);
      if (!done) {
        done = true;
        if (!p.connected) this.dialSoon(id, this.nextDelay(id));
      }
    });
    dialHandshake(conn, id, ctx, (peerId, hello) => {
      done = true;
      this.pending.delete(conn);
      this.established(peerId, conn, 'outbound', hello);
    }, (e) => {
      this.opts.logger?.warn({ peer: id, err: e.message }, 'peer handshake failed');
      if (!done) {
        done = true;
        conn.abort(e);
        this.dialSoon(id, this.nextDelay(id));
      }
    });
  }
}
