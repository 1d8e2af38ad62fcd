/**
 * SessionEndpoint: one M2M session as a host (the daemon) sees it. No I/O, no timers of its own
 * (the xstate machine's named delays are the only timers). The host wires four callbacks and
 * feeds transport bytes in:
 *
 * ```ts
 * const ep = new SessionEndpoint({ role: 'initiator', nodeId: 'node-a' });
 * ep.onSend = (bytes) => conn.write(bytes);         // frames to put on the transport
 * ep.onDeliver = (msg) => router.deliver(msg);      // each DATA message once, in order
 * ep.onEstablished = (info) => …;                   // sessionId, agreed capabilities
 * ep.onClosed = (info, unacked) => …;               // reason; messages never acknowledged
 * ep.onDrain = () => …;                             // send() may be called again after it returned false
 * conn.on('message', (chunk) => ep.receive(chunk));
 * ep.start();                                        // initiator sends HELLO; responder waits for it
 * ep.send({ from: 'agent-1', to: 'agent-2', payload: '{"role":"user"}' }); // false = backpressure
 * // transport broke:   ep.connectionLost();
 * // initiator, new connection: ep.resume();
 * // responder, new connection: const id = resumeTarget(firstChunk);   // RESUME's session id, if it is one
 * //   if (id) { const ep = sessions.get(id); ep.reattach(); ep.receive(firstChunk); }
 * //   → both sides replay exactly the unacknowledged frames, re-encoded with fresh contexts
 * ep.close('NORMAL');
 * // deferAck: true → onDeliver's message counts as acknowledged only after ep.ack(msg.seq)
 * // (call it once the message was handed on); ep.abort() ends the session at once (onClosed runs now)
 * ```
 *
 * Once established, DATA and ACK frames take a fast path that does not go through the xstate actor
 * (per-frame work stays out of the machine); every other frame, every state change and all timers
 * belong to the machine.
 * The HELLO auth proof is opaque here: pass `auth` (initiator) and `verifyHello` (responder); for
 * mutual proof, `acceptAuth` (responder, put in ACCEPT) and `verifyAccept` (initiator).
 */
import { createActor } from 'xstate';
import { randomUUID } from 'node:crypto';
import { M2MError, isM2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import type { Agreement, CloseReason, ResumeBody } from './control.js';
import { encodeControlFrame } from './control.js';
import { SessionDataCodec, type DataCodecOptions } from './data-codec.js';
import { defaultCapabilities, type DeliveredMessage, type EstablishedInfo, type OutgoingMessage, type SessionEndpointOptions } from './endpoint-types.js';
import { FrameDecoder } from './frame-decoder.js';
import { FrameType, codecName, decodeAckBody, decodeDataBody, encodeAckFrame, encodeDataFrame, type CodecName, type RawFrame } from './frames.js';
import { sessionMachine, type ClosedInfo, type SessionActor, type SessionFrame } from './machine.js';
import { toSessionFrame } from './incoming.js';
import { ResendBuffer, DEFAULT_RESEND_LIMITS, type PendingMessage } from './resend-buffer.js';

const noop = (): void => {};
const utf8 = new TextEncoder();

export class SessionEndpoint {
  onSend: (bytes: Uint8Array) => void = noop;
  onDeliver: (msg: DeliveredMessage) => void = noop;
  onEstablished: (info: EstablishedInfo) => void = noop;
  onClosed: (info: ClosedInfo, unacked: PendingMessage[]) => void = noop;
  onDrain: () => void = noop;

  private readonly actor: SessionActor;
  private readonly decoder: FrameDecoder;
  private readonly limits: Limits;
  private readonly buffer: ResendBuffer;
  private readonly ackEvery: number;
  private readonly deferAck: boolean;
  /** deferAck: every DATA up to this seq was delivered by the host; `ahead` holds later ones. */
  private delivered = 0;
  private readonly ahead = new Set<number>();
  private replayed = 0;
  private readonly activity: { last: number };
  private readonly now: () => number;
  private readonly codecOpts: DataCodecOptions;
  private codec: SessionDataCodec | undefined;
  private info: EstablishedInfo | undefined;
  private established = false;
  private closed = false;
  private connected = true;
  private resumeSent = false;
  private resumeEpoch = 0;
  private resuming = false;
  private needDrain = false;
  private nextSeq = 1;
  private highestSent = 0;
  private rxSeq = 0;
  private ackedRx = 0;
  private pendingAcks = 0;
  private txRoute: { from: string; to: string } | undefined;
  private rxRoute: { from: string; to: string } | undefined;
  private frameLimits: Limits | undefined;

  constructor(opts: SessionEndpointOptions) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.codecOpts = { ...opts.codec, limits: this.limits };
    this.decoder = new FrameDecoder(this.limits);
    this.buffer = new ResendBuffer({ ...DEFAULT_RESEND_LIMITS, ...opts.resend });
    this.ackEvery = opts.ackEvery ?? 32;
    this.deferAck = opts.deferAck ?? false;
    this.now = opts.now ?? Date.now;
    this.activity = { last: this.now() };
    const capabilities = { ...defaultCapabilities(this.codecOpts, this.limits), ...opts.capabilities };
    this.actor = createActor(sessionMachine, {
      input: {
        role: opts.role,
        nodeId: opts.nodeId,
        capabilities,
        timers: opts.timers,
        activity: this.activity,
        now: this.now,
        newSessionId: opts.newSessionId ?? randomUUID,
        auth: opts.auth,
        verifyHello: opts.verifyHello,
        acceptAuth: opts.acceptAuth,
        verifyAccept: opts.verifyAccept,
      },
    });
    this.actor.on('send', (e) => this.write(e.bytes));
    this.actor.on('deliver', (e) => this.onData(e.raw));
    this.actor.on('ack', (e) => this.onAck(e.raw));
    this.actor.on('flushAck', () => this.flushAck());
    this.actor.on('resume', (e) => this.onPeerResume(e.body));
    this.actor.on('established', (e) => this.onEstablishedEvent(e));
    this.actor.on('closed', (e) => this.onClosedEvent(e.info));
    this.actor.start();
  }

  /** Current machine state: initial, helloSent, awaitingHello, established, closing or closed. */
  get state(): string {
    const v = this.actor.getSnapshot().value;
    return typeof v === 'string' ? v : Object.keys(v)[0];
  }
  get sessionId(): string | undefined {
    return this.info?.sessionId;
  }
  get agreed(): Agreement | undefined {
    return this.info?.agreed;
  }
  /** Counters for metrics and tests. */
  get stats(): { nextSeq: number; receivedSeq: number; deliveredSeq: number; unacked: number; unackedBytes: number; replayed: number } {
    return { nextSeq: this.nextSeq, receivedSeq: this.rxSeq, deliveredSeq: this.ackPoint, unacked: this.buffer.length, unackedBytes: this.buffer.bufferedBytes, replayed: this.replayed };
  }

  /** What our cumulative ACK may cover: everything received, or (deferAck) everything delivered. */
  private get ackPoint(): number {
    return this.deferAck ? this.delivered : this.rxSeq;
  }

  /**
   * deferAck: the host finished delivering DATA `seq` (in any order). The cumulative ACK advances over
   * the contiguous prefix of delivered seqs. Unknown, repeated or stale seqs are ignored.
   */
  ack(seq: number): void {
    if (!this.deferAck || this.closed || seq <= this.delivered || seq > this.rxSeq) return;
    const before = this.delivered;
    // Deliveries usually finish in order: then the set is not touched (adding and deleting one entry
    // per message reallocated its table each time, young tables held by an old set).
    if (seq === before + 1 && this.ahead.size === 0) this.delivered = seq;
    else {
      this.ahead.add(seq);
      while (this.ahead.delete(this.delivered + 1)) this.delivered++;
    }
    if (this.delivered === before) return;
    const wasPending = this.pendingAcks > 0;
    this.pendingAcks += this.delivered - before;
    if (this.pendingAcks >= this.ackEvery) this.flushAck();
    else if (!wasPending) this.actor.send({ type: 'ACK_PENDING' });
  }

  /** End the session now, without a CLOSE handshake: onClosed runs before this returns. */
  abort(message = 'aborted by the host'): void {
    if (this.closed) return;
    this.connectionLost();
    this.fail(new M2MError('SESSION_CLOSED', message));
  }

  /** Create and prime the context codecs now, so the first DATA frame does not pay for it. No-op before established. */
  warmUp(): void {
    this.codec?.warmUp();
  }

  /** Begin the handshake (initiator sends HELLO; responder starts its HELLO timer). */
  start(): void {
    this.actor.send({ type: 'START' });
  }

  /**
   * Queue a message. Returns false when the resend buffer is full: nothing was queued, wait for `onDrain`.
   * Messages sent before the session is established are held and sent once it is.
   * @throws M2MError SESSION_CLOSED; FRAME_TOO_LARGE for a payload bigger than the frame limit
   */
  send(msg: OutgoingMessage): boolean {
    if (this.closed || this.state === 'closing') throw new M2MError('SESSION_CLOSED', 'the session is closed or closing');
    const payload = typeof msg.payload === 'string' ? utf8.encode(msg.payload) : msg.payload;
    const maxFrame = this.info?.agreed.maxFrameBytes ?? this.limits.maxFrameBytes;
    // Leave room for the DATA header and Brotli's worst-case growth on incompressible input.
    if (payload.length > this.limits.maxDecompressedBytes || payload.length + 1024 + (payload.length >>> 8) > maxFrame) throw new M2MError('FRAME_TOO_LARGE', `payload of ${payload.length} bytes does not fit a ${maxFrame}-byte frame`);
    const m: PendingMessage = { seq: this.nextSeq, from: msg.from, to: msg.to, payload, codec: msg.codec ?? 'auto' };
    if (!this.buffer.push(m)) {
      this.needDrain = true;
      return false;
    }
    this.nextSeq++;
    if (this.established && this.connected && !this.resuming) this.transmit(m);
    return true;
  }

  /** Transport bytes in. Errors close the session (CLOSE PROTOCOL_ERROR); they are not thrown. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    let frames: RawFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const f of frames) {
      if (this.closed) return;
      // Until the peer answers our RESUME, its DATA/ACK were encoded before it reset: drop them;
      // it replays every DATA after the lastSeq our RESUME named.
      if (this.resumeSent && (f.type === FrameType.DATA || f.type === FrameType.ACK)) continue;
      if (this.established && f.type === FrameType.DATA) this.onData(f);
      else if (this.established && f.type === FrameType.ACK) this.onAck(f);
      else {
        let frame: SessionFrame;
        try {
          frame = toSessionFrame(f, this.limits.maxControlBodyBytes);
        } catch (e) {
          this.fail(e);
          return;
        }
        this.actor.send({ type: 'FRAME', frame });
      }
    }
  }

  /** Graceful close: CLOSE, then wait up to `closingTimeoutMs` for the peer's CLOSE. */
  close(reason: CloseReason = 'NORMAL'): void {
    // Acknowledge what already arrived (or was delivered) so the peer does not send it again.
    if (this.established && !this.resuming) this.flushAck();
    this.actor.send({ type: 'CLOSE', reason });
  }

  /** The host's own timeout (e.g. a dial deadline): close with TIMEOUT. */
  timeout(): void {
    this.actor.send({ type: 'TIMEOUT' });
  }

  /** The transport broke. Frames stay in the resend buffer until `resume()` / `reattach()`. */
  connectionLost(): void {
    this.connected = false;
    this.decoder.reset();
  }

  /** Initiator, on a new connection: reset contexts and send RESUME; replay follows the peer's RESUME. */
  resume(auth?: unknown): void {
    if (this.closed || this.info === undefined) throw new M2MError('SESSION_NOT_ESTABLISHED', 'only an established session can resume');
    this.reattach();
    this.resumeSent = true;
    this.resumeEpoch++;
    const body: ResumeBody = { sessionId: this.info.sessionId, lastSeq: this.rxSeq, epoch: this.resumeEpoch };
    if (this.deferAck) body.acked = this.ackPoint;
    if (auth !== undefined) body.auth = auth;
    this.write(encodeControlFrame('RESUME', body));
  }

  /** Responder, on a new connection whose first frame is this session's RESUME: call before `receive`. */
  reattach(): void {
    this.decoder.reset();
    this.restart();
  }

  /** Fresh contexts, routes and ACK state for a resumed session; the connection's decoder is left alone. */
  private restart(): void {
    this.connected = true;
    this.resuming = true;
    this.codec?.reset();
    this.pendingAcks = 0;
    this.ackedRx = this.ackPoint;
    this.txRoute = this.rxRoute = undefined;
  }

  private write(bytes: Uint8Array): void {
    if (this.connected) this.onSend(bytes);
  }

  private transmit(m: PendingMessage): void {
    const codec = this.codec as SessionDataCodec;
    const enc = codec.encode(m.payload, m.codec);
    const same = this.txRoute !== undefined && this.txRoute.from === m.from && this.txRoute.to === m.to;
    const frame = encodeDataFrame({ seq: m.seq, from: m.from, to: m.to, codec: enc.codec, payload: enc.bytes }, this.frameLimits as Limits, same);
    if (!same) this.txRoute = { from: m.from, to: m.to };
    if (m.seq > this.highestSent) this.highestSent = m.seq;
    this.activity.last = this.now();
    this.write(frame);
  }

  private onEstablishedEvent(e: EstablishedInfo): void {
    try {
      this.codec = new SessionDataCodec(e.agreed, this.codecOpts);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.info = { sessionId: e.sessionId, agreed: e.agreed, peerNodeId: e.peerNodeId };
    this.frameLimits = { ...this.limits, maxFrameBytes: e.agreed.maxFrameBytes };
    this.established = true;
    this.activity.last = this.now();
    // Held messages first: a host that sends from inside onEstablished must not see them sent twice.
    for (const m of this.buffer.after(0)) this.transmit(m);
    this.onEstablished(this.info);
  }

  private onData(raw: RawFrame): void {
    try {
      const d = decodeDataBody(raw.body, this.limits, raw.flags, this.rxRoute);
      if (this.rxRoute === undefined || this.rxRoute.from !== d.from || this.rxRoute.to !== d.to) this.rxRoute = { from: d.from, to: d.to };
      if (d.seq !== this.rxSeq + 1) throw new M2MError('SEQUENCE_GAP', `DATA seq ${d.seq} where ${this.rxSeq + 1} was expected`);
      const payload = (this.codec as SessionDataCodec).decode(d.codec, d.payload);
      this.rxSeq = d.seq;
      this.activity.last = this.now();
      this.onDeliver({ seq: d.seq, from: d.from, to: d.to, codec: codecName(d.codec) as CodecName, payload });
    } catch (e) {
      this.fail(e);
      return;
    }
    if (this.deferAck) return;
    if (++this.pendingAcks >= this.ackEvery) this.flushAck();
    else if (this.pendingAcks === 1) this.actor.send({ type: 'ACK_PENDING' });
  }

  private flushAck(): void {
    const seq = this.ackPoint;
    if (seq === this.ackedRx || this.closed) return;
    this.ackedRx = seq;
    this.pendingAcks = 0;
    this.write(encodeAckFrame(seq));
  }

  private onAck(raw: RawFrame): void {
    let seq: number;
    try {
      seq = decodeAckBody(raw.body);
      if (seq > this.highestSent) throw new M2MError('PROTOCOL_ERROR', `ACK for seq ${seq}, but only ${this.highestSent} were sent`);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.release(seq);
  }

  private release(seq: number): void {
    if (this.buffer.ackThrough(seq) > 0 && this.needDrain) {
      this.needDrain = false;
      this.onDrain();
    }
  }

  private onPeerResume(body: ResumeBody): void {
    if (body.lastSeq > this.highestSent) {
      this.fail(new M2MError('PROTOCOL_ERROR', `RESUME claims seq ${body.lastSeq}, but only ${this.highestSent} were sent`));
      return;
    }
    if (body.reply === true) {
      // An answer to a request we have since superseded: its replay is dropped until the current answer.
      if (!this.resumeSent || (body.epoch ?? 0) !== this.resumeEpoch) return;
      this.resumeSent = false;
    } else {
      // A request. On a new connection the host already called reattach(); on the same
      // connection reset contexts here (keeping the bytes already buffered). Either way answer it.
      // A request supersedes one of ours still unanswered (e.g. sent on a connection the peer dropped).
      this.resumeSent = false;
      this.restart();
      const reply: ResumeBody = { sessionId: (this.info as EstablishedInfo).sessionId, lastSeq: this.rxSeq, epoch: body.epoch ?? 0, reply: true };
      if (this.deferAck) reply.acked = this.ackPoint;
      this.write(encodeControlFrame('RESUME', reply));
    }
    this.resuming = false;
    this.release(Math.min(body.acked ?? body.lastSeq, body.lastSeq));
    for (const m of this.buffer.after(body.lastSeq)) {
      this.replayed++;
      this.transmit(m);
    }
  }

  private onClosedEvent(info: ClosedInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.established = false;
    this.codec?.close();
    this.decoder.reset();
    this.ahead.clear();
    this.onClosed(info, this.buffer.drain());
  }

  private fail(e: unknown): void {
    const err = isM2MError(e) ? e : new M2MError('PROTOCOL_ERROR', (e as Error).message ?? String(e));
    this.actor.send({ type: 'FAIL', error: err });
    // A FAIL before the machine can act on it (e.g. in `initial`) must still end the session.
    if (!this.closed && (this.state === 'initial' || this.state === 'closing')) this.actor.send({ type: 'CLOSE', reason: 'PROTOCOL_ERROR' });
  }
}

export { resumeRequest, resumeTarget, toSessionFrame } from './incoming.js';
export { defaultCapabilities, type DeliveredMessage, type EstablishedInfo, type OutgoingMessage, type SessionEndpointOptions } from './endpoint-types.js';
