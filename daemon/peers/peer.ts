/**
 * One peer daemon: a reliable, ordered message stream in each direction that outlives connections.
 * Daemons speak the session protocol of docs/PROTOCOL.md (protocol/session): each peer link hosts one
 * `SessionEndpoint` over the transport `Connection` (HELLO/ACCEPT with the PSK proof, DATA, cumulative
 * ACK, PING/PONG, CLOSE, RESUME). The endpoint runs with deferred acknowledgement: a DATA counts as
 * acknowledged only after the router handed it to the local agent's socket or mailbox, so a killed
 * daemon never loses an acknowledged message.
 *
 * The session outlives its connection: on reconnect either side sends RESUME and only the
 * unacknowledged frames are replayed. When the session itself ends (the peer restarted, CLOSE, a
 * protocol error or keepalive timeout) its unacknowledged messages are carried over and sent first on
 * the next session; their `uid` stays the same, so the receiving agent client drops any it already had.
 */
import type { Connection } from '../../transports/transport.js';
import type { PeerSummary } from '../agent-api/host.js';
import type { PeerQueue } from '../queue/types.js';
import type { WireMessage } from '../router/types.js';
import type { SessionEndpoint, DeliveredMessage } from '../../protocol/session/endpoint.js';
import type { CloseReason, SecurityCaps } from '../../protocol/session/control.js';
import type { ClosedInfo } from '../../protocol/session/machine.js';
import type { PendingMessage } from '../../protocol/session/resend-buffer.js';
import { FrameType } from '../../protocol/session/frames.js';
import { BATCH_EXTENSION, dataFrameCodec, decodeWirePayload, encodeWire, encodeWireBatch } from './link-wire.js';
import { BATCH_JSON_BYTES, FrameLedger, OutgoingBatch } from './link-batch.js';
import { FrameCoalescer, InboundFlow } from './link-flow.js';
import { closeAndWait, retireSession } from './link-session.js';
import type { PeerHooks } from './peer-hooks.js';

export type { PeerHooks } from './peer-hooks.js';

const noop = (): void => {};
/** Bodies shorter than this travel `raw` (the data codec's own threshold for `auto`). */
const RAW_BELOW_BYTES = 48;

export class Peer {
  conn: Connection | undefined;
  direction: 'inbound' | 'outbound' | undefined;
  connecting = false;
  /** Why the last link ended (e.g. `peer closed: SERVER_SHUTDOWN`). */
  lastClose: string | undefined;
  readonly stats = { msgsOut: 0, msgsIn: 0, bytesOut: 0, bytesIn: 0, jsonBytesOut: 0, resent: 0 };
  private ep: SessionEndpoint | undefined;
  /** Unacknowledged messages of an ended session, sent first on the next one. */
  private carry: WireMessage[] = [];
  private writable = true;
  private sending = false;
  /** Frames waiting for the end of this turn of the event loop. */
  private readonly out = new FrameCoalescer();
  private flushTimer: NodeJS.Immediate | undefined;
  private sendJsonBytes = 0;
  private sendMessages = 0;
  /** Messages offered this turn, not yet framed (when the peer agreed to BATCH_EXTENSION). */
  private batch = new OutgoingBatch();
  /** Messages per unacknowledged DATA frame of the current session. */
  private readonly framed = new FrameLedger();
  private lastChunk = 0;
  private fresh = false;
  private readonly inbound = new InboundFlow(() => this.conn);
  private idleWaiters: Array<() => void> = [];
  private readonly onMessage = (bytes: Uint8Array) => this.onBytes(bytes);
  private readonly onDrain = () => {
    this.writable = true;
    this.pump();
  };
  private readonly onClose = () => this.connectionLost('connection closed');

  constructor(
    readonly id: string,
    readonly queue: PeerQueue<WireMessage>,
    private readonly hooks: PeerHooks,
    readonly url?: string,
  ) {}

  get connected(): boolean {
    return this.conn !== undefined;
  }

  /** The current session, if any (established, possibly without a connection). */
  get session(): SessionEndpoint | undefined {
    return this.ep;
  }

  /** True when there is an established session to RESUME on a new connection. */
  get resumable(): boolean {
    return this.ep?.state === 'established';
  }

  /** Messages not yet acknowledged plus those waiting to be sent. */
  get outstanding(): number {
    return this.framed.unacked(this.ep?.stats.unacked ?? 0) + this.carry.length + this.batch.length + this.queue.size;
  }

  /** The security policy agreed on the current session. */
  get agreedSecurity(): SecurityCaps | undefined {
    return this.ep?.agreed?.security;
  }

  /** Codecs agreed on the current session. */
  get codecs(): string[] {
    return this.ep?.agreed?.codecs ?? [];
  }

  /** @throws M2MError QUEUE_FULL; FRAME_TOO_LARGE for a message that cannot fit a frame */
  send(msg: WireMessage): 'sent' | 'queued' {
    if (this.canSend() && this.queue.size === 0 && this.carry.length === 0 && this.offer(msg)) return 'sent';
    this.queue.push(msg);
    return 'queued';
  }

  /** Take over an established session on `conn`. A previous session is ended and its unacknowledged messages carried over. */
  bind(ep: SessionEndpoint, conn: Connection, direction: 'inbound' | 'outbound'): void {
    const old = this.ep;
    const oldConn = this.detach();
    if (old && old !== ep) retireSession(old, oldConn, (unacked) => this.carryBack(unacked));
    if (oldConn && oldConn !== conn && oldConn.state === 'open') void oldConn.close('DUPLICATE');
    this.ep = ep;
    this.framed.reset();
    ep.onSend = (b) => this.write(b);
    ep.onDeliver = (m) => this.delivered(ep, m);
    ep.onDrain = () => this.pump();
    ep.onClosed = (info, unacked) => this.ended(ep, info, unacked);
    ep.onEstablished = noop;
    this.attach(conn, direction);
    // Not from inside the endpoint's onEstablished: it finishes its own sends first.
    queueMicrotask(() => this.pump());
  }

  /** Dialler side: continue the session on a new connection with RESUME. */
  resumeOn(conn: Connection, auth?: unknown): void {
    const ep = this.ep as SessionEndpoint;
    this.detach()?.abort(new Error('replaced by a resumed connection'));
    this.attach(conn, 'outbound');
    ep.resume(auth);
  }

  /** Listener side: `first` is the peer's RESUME for our session, arrived on `conn`. */
  reattachOn(conn: Connection, first: Uint8Array): void {
    const ep = this.ep as SessionEndpoint;
    const old = this.detach();
    if (old && old !== conn) old.abort(new Error('replaced by a resumed connection'));
    ep.reattach();
    this.attach(conn, 'inbound');
    this.onBytes(first);
  }

  /** Unbind the connection without closing it (frames already written to it are sent first). */
  detach(): Connection | undefined {
    const c = this.conn;
    if (!c) return undefined;
    this.flushOut();
    this.unbatch();
    c.off('message', this.onMessage);
    c.off('drain', this.onDrain);
    c.off('close', this.onClose);
    this.conn = undefined;
    this.direction = undefined;
    this.inbound.detached();
    return c;
  }

  /** Send CLOSE with `reason`, wait briefly for the peer's CLOSE, and end the session and the connection. */
  async closeLink(reason: CloseReason, waitMs = 1000): Promise<void> {
    const ep = this.ep;
    if (ep && this.conn && ep.state === 'established') await closeAndWait(ep, reason, waitMs);
    if (this.ep === ep) ep?.abort('shutting down');
    const c = this.detach();
    if (c && c.state === 'open') await c.close(reason);
  }

  /** Resolves when every sent and queued message has been acknowledged (or `signal` aborts). */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => resolve();
      this.idleWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  summary(): PeerSummary {
    return {
      id: this.id,
      url: this.url,
      state: this.conn ? 'connected' : this.connecting ? 'connecting' : 'disconnected',
      direction: this.direction,
      queued: this.queue.size,
      inFlight: this.framed.unacked(this.ep?.stats.unacked ?? 0) + this.carry.length + this.batch.length,
    };
  }

  private attach(conn: Connection, direction: 'inbound' | 'outbound'): void {
    this.conn = conn;
    this.direction = direction;
    this.writable = true;
    this.fresh = true;
    conn.on('message', this.onMessage);
    conn.on('drain', this.onDrain);
    conn.on('close', this.onClose);
  }

  private canSend(): boolean {
    return this.conn !== undefined && this.writable && this.ep !== undefined && this.ep.state === 'established';
  }

  /**
   * Hand one message to the session; false when its resend buffer is full. With batching agreed the
   * message joins this turn's batch, which is framed at the end of the turn (or when it is full).
   * @throws M2MError FRAME_TOO_LARGE for a message that cannot fit a frame
   */
  private offer(msg: WireMessage): boolean {
    const json = Buffer.byteLength(msg.json);
    if (this.ep?.agreed?.extensions.includes(BATCH_EXTENSION) !== true || json > BATCH_JSON_BYTES / 2) {
      return this.sendBatch() && this.sendFrame([msg], json);
    }
    if (!this.batch.fits(msg, json) && !this.sendBatch()) return false;
    this.batch.add(msg, json);
    this.flushTimer ??= setImmediate(this.endOfTurn);
    return true;
  }

  /** Frame this turn's batch; false (batch kept) when the session cannot take it now. */
  private sendBatch(): boolean {
    if (this.batch.length === 0) return true;
    if (!this.canSend() || !this.sendFrame(this.batch.msgs, this.batch.jsonBytes)) return false;
    this.batch.take();
    return true;
  }

  /** One DATA frame for `msgs` (one route, `json` bytes of bodies in all); false when the resend buffer is full. */
  private sendFrame(msgs: WireMessage[], json: number): boolean {
    const ep = this.ep as SessionEndpoint;
    const first = msgs[0];
    this.sending = true;
    this.sendJsonBytes = json;
    this.sendMessages = msgs.length;
    let ok: boolean;
    try {
      const payload = msgs.length === 1 ? encodeWire(first) : encodeWireBatch(msgs);
      // Tiny bodies go raw (as `auto` does for tiny payloads): the metadata line alone must not tip them into compression.
      ok = ep.send({ from: first.from, to: first.to, payload, codec: json < RAW_BELOW_BYTES ? 'raw' : 'auto' });
    } finally {
      this.sending = false;
    }
    if (ok) {
      this.stats.msgsOut += msgs.length;
      this.stats.jsonBytesOut += json;
      this.framed.sent(msgs.length);
    }
    return ok;
  }

  private pump(): void {
    while (this.canSend()) {
      const fromCarry = this.carry.length > 0;
      const m = fromCarry ? this.carry[0] : this.queue.peek();
      if (!m) break;
      let ok: boolean;
      try {
        ok = this.offer(m);
      } catch (e) {
        // Cannot ever fit a frame: refusing it beats blocking the stream behind it.
        this.hooks.protocolError?.(this, e as Error);
        ok = true;
      }
      if (!ok) break;
      if (fromCarry) {
        this.carry.shift();
        this.stats.resent++;
      } else this.queue.shift();
    }
    // A batch the session refused at the end of an earlier turn goes out once there is room.
    if (this.batch.length > 0) this.flushTimer ??= setImmediate(this.endOfTurn);
    this.checkIdle();
  }

  private write(frame: Uint8Array): void {
    const c = this.conn;
    if (!c || c.state !== 'open') return;
    this.stats.bytesOut += frame.byteLength;
    this.hooks.wire?.(this.id, 'out', frame.byteLength);
    if (frame[0] === FrameType.DATA) {
      if (this.sending) this.hooks.data?.(this.id, 'out', dataFrameCodec(frame) ?? 'raw', frame.byteLength, this.sendJsonBytes, this.sendMessages);
      else this.stats.resent++; // a replay after RESUME
    }
    if (this.out.add(frame)) this.flushOut();
    else this.flushTimer ??= setImmediate(this.endOfTurn);
  }

  /** The end of a turn of the event loop: frame the batch, then send the frames written. */
  private readonly endOfTurn = (): void => {
    this.flushTimer = undefined;
    try {
      this.sendBatch();
    } catch (e) {
      // Cannot ever fit a frame (as in pump): refusing the batch beats blocking the stream behind it.
      this.hooks.protocolError?.(this, e as Error);
      this.batch.take();
    }
    this.flushOut();
    this.checkIdle();
  };

  /** Send the frames written since the last flush as one transport message. */
  private flushOut(): void {
    const bytes = this.out.take();
    if (bytes === undefined) return;
    const c = this.conn;
    if (!c || c.state !== 'open') return; // unacknowledged DATA is still in the resend buffer
    try {
      if (!c.send(bytes)) this.writable = false;
    } catch {
      this.writable = false;
    }
  }

  private onBytes(bytes: Uint8Array): void {
    this.lastChunk = bytes.byteLength;
    this.stats.bytesIn += bytes.byteLength;
    this.hooks.wire?.(this.id, 'in', bytes.byteLength);
    if (this.fresh) {
      this.fresh = false;
      this.hooks.alive?.(this);
    }
    this.ep?.receive(bytes);
    // An ACK or RESUME answer may have made room.
    if (this.queue.size > 0 || this.carry.length > 0) this.pump();
    else this.checkIdle();
  }

  private delivered(ep: SessionEndpoint, m: DeliveredMessage): void {
    let msgs: WireMessage[];
    try {
      msgs = decodeWirePayload(m.payload, m.from, m.to);
    } catch (e) {
      this.hooks.protocolError?.(this, e as Error);
      return;
    }
    let json = 0;
    for (const msg of msgs) json += Buffer.byteLength(msg.json);
    this.stats.msgsIn += msgs.length;
    this.hooks.data?.(this.id, 'in', m.codec, this.lastChunk, json, msgs.length);
    // The frame is acknowledged once every message in it is delivered.
    this.inbound.deliver(msgs, (msg, done) => this.hooks.deliver(this.id, msg, done), () => ep.ack(m.seq));
  }

  /**
   * Messages batched but not framed go back to the head of `carry`: they are newer than every
   * unacknowledged frame (carryBack puts those in front later) and older than what is still in carry.
   */
  private unbatch(): void {
    if (this.batch.length === 0) return;
    this.carry = [...this.batch.take(), ...this.carry];
  }

  private carryBack(unacked: PendingMessage[]): void {
    if (unacked.length === 0) return;
    this.carry = [...unacked.flatMap((p) => decodeWirePayload(p.payload, p.from, p.to)), ...this.carry];
  }

  private ended(ep: SessionEndpoint, info: ClosedInfo, unacked: PendingMessage[]): void {
    if (ep === this.ep) this.unbatch();
    this.carryBack(unacked);
    if (ep !== this.ep) return;
    this.ep = undefined;
    this.framed.reset();
    const reason = info.by === 'peer' ? `peer closed: ${info.reason}` : info.error ? `${info.reason}: ${info.error.message}` : info.reason;
    this.lastClose = reason;
    const c = this.detach();
    if (c && c.state === 'open') void c.close(String(info.reason));
    this.hooks.disconnected(this, reason);
  }

  private connectionLost(reason: string): void {
    this.lastClose = reason;
    this.detach();
    const ep = this.ep;
    if (ep && ep.state !== 'established') {
      ep.abort(reason); // ended() reports it
      return;
    }
    ep?.connectionLost();
    this.hooks.disconnected(this, reason);
  }

  private checkIdle(): void {
    if (this.idleWaiters.length && this.outstanding === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }
}
