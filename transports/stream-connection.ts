/**
 * A Connection over one bidirectional WHATWG byte stream pair (a QUIC stream, a WebTransport
 * stream, or the in-memory pair), with length-prefixed messages.
 *
 * Writes are queued and a single pump coalesces messages into one write (≤ BATCH_BYTES),
 * which matters on QUIC where every write costs a trip through the JS stack. Orderly close is a
 * FIN in each direction: close() flushes and ends our side; once the peer's side has ended too,
 * the subclass shuts the underlying session down.
 */
import { BaseConnection } from './base-connection.js';
import { LengthPrefixDecoder, concatBytes, controlFrame, lengthPrefix } from './framing.js';
import { TransportError } from './errors.js';
import type { RemoteIdentity } from './transport.js';
import type { ResolvedOptions } from './defaults.js';

/** Pieces over BATCH_BYTES are written as zero-copy slices of this size. */
const BIG_BYTES = 64 * 1024;
/** Final grant sent with our FIN in credit mode. */
const UNLIMITED_CREDIT = 0xffff_fffe;
/** Largest coalesced write: one 64 KiB message with its prefix, or many small ones. */
const BATCH_BYTES = 64 * 1024 + 4;

export interface ByteStreamPair {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

/**
 * Bytes the dialer writes first on its stream. QUIC and WebTransport open a stream on the wire only
 * when data flows, so without this the listener would not see the connection until the first message.
 */
export const STREAM_PREAMBLE = Uint8Array.of(0x4d, 0x32, 0x4d, 0x01); // "M2M" v1

export interface StreamConnectionOptions {
  /** Exchange STREAM_PREAMBLE in both directions before any message; `ready` waits for the peer's. */
  preamble?: boolean;
  /**
   * Our own flow control, for libraries whose receive side buffers without bound (WebTransport):
   * each side may have at most this many bytes written and not yet read by the peer; the reader grants
   * credit (a control frame) for what its read loop took in, so a paused reader stops the writer.
   * @default off
   */
  creditWindow?: number;
}

export abstract class StreamConnection extends BaseConnection {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder: LengthPrefixDecoder;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private inflight = 0;
  private pumping = false;
  private ending = false;
  private writeDone = false;
  private readDone = false;
  private resumeReading: (() => void) | undefined;

  private preambleLeft: number;
  /** Bytes we may still write (credit mode); control frames may drive it negative. */
  private credit = Infinity;
  /** Bytes read since our last grant (credit mode). */
  private ungranted = 0;
  private readonly window: number;
  private control: Uint8Array[] = [];
  /** Queue pieces that begin a message: control frames may only go in between messages. */
  private readonly starts = new WeakSet<Uint8Array>();

  constructor(streams: ByteStreamPair, remote: RemoteIdentity, opts: ResolvedOptions, so: StreamConnectionOptions = {}) {
    super(remote, opts);
    this.writer = streams.writable.getWriter();
    this.reader = streams.readable.getReader();
    this.window = so.creditWindow ?? 0;
    if (this.window > 0) this.credit = this.window;
    this.decoder = new LengthPrefixDecoder(opts.maxMessageBytes, this.window > 0 ? (n) => this.onCredit(n) : undefined);
    this.writer.closed.catch(() => {});
    this.reader.closed.catch(() => {});
    this.preambleLeft = so.preamble ? STREAM_PREAMBLE.byteLength : 0;
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.once('close', (info) => reject(info.error ?? new TransportError('CONNECTION_CLOSED', info.reason || 'closed before the peer answered')));
    });
    this.ready.catch(() => {});
    if (so.preamble) {
      this.starts.add(STREAM_PREAMBLE);
      this.queue.push(STREAM_PREAMBLE);
      this.queued += STREAM_PREAMBLE.byteLength;
      void this.pump();
    } else {
      this.readyResolve();
    }
    void this.readLoop();
  }

  /** Resolves once the peer's preamble arrived (the peer accepted the stream); rejects if closed first. */
  readonly ready: Promise<void>;
  private readyResolve!: () => void;

  /** Check and strip the preamble; returns what is left of the chunk. */
  private skipPreamble(chunk: Uint8Array): Uint8Array {
    const off = STREAM_PREAMBLE.byteLength - this.preambleLeft;
    const n = Math.min(this.preambleLeft, chunk.byteLength);
    for (let i = 0; i < n; i++) {
      if (chunk[i] !== STREAM_PREAMBLE[off + i]) throw new TransportError('PROTOCOL_VIOLATION', 'stream does not start with the M2M preamble');
    }
    this.preambleLeft -= n;
    if (this.preambleLeft === 0) this.readyResolve();
    return chunk.subarray(n);
  }

  /** Close the underlying session/connection. `graceful` false = abort with an error code. */
  protected abstract shutdown(graceful: boolean, reason: string): void;

  get bufferedAmount(): number {
    return this.queued + this.inflight;
  }

  protected write(data: Uint8Array): void {
    const prefix = lengthPrefix(data.byteLength);
    if (this.window > 0) this.starts.add(prefix);
    this.queue.push(prefix, data);
    this.queued += data.byteLength + 4;
    if (!this.pumping) void this.pump();
  }

  protected beginClose(_reason: string): void {
    this.endWriting();
  }

  protected destroy(err: Error | undefined): void {
    this.queue = [];
    this.queued = 0;
    this.writer.abort(err).catch(() => {});
    this.reader.cancel(err).catch(() => {});
    this.shutdown(false, err?.message ?? 'aborted');
  }

  protected setReading(on: boolean): void {
    if (on && this.resumeReading) {
      const r = this.resumeReading;
      this.resumeReading = undefined;
      r();
    }
  }

  /** The underlying session closed (peer close, idle timeout, loss). */
  protected lost(err: Error | undefined, reason: string): void {
    if (this.state === 'closed') return;
    const graceful = this.writeDone && this.readDone;
    this.finish(this.endInfo(graceful, reason, graceful ? undefined : err ?? new TransportError('CONNECTION_LOST', reason)));
  }

  private onCredit(n: number): void {
    this.credit += n;
    if (!this.pumping && this.queue.length > 0 && this.credit > 0) void this.pump();
  }

  /** Credit mode: grant the peer what the read loop took in, a quarter window at a time. */
  private grant(read: number): void {
    this.ungranted += read;
    if (this.ungranted < this.window / 4 || this.state === 'closed' || this.writeDone) return;
    this.control.push(controlFrame(this.ungranted));
    this.ungranted = 0;
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        // Grants go first (between messages) and ignore our own credit, or two writers out of credit
        // would wait forever; a message once started is finished regardless of credit, for the same reason.
        const boundary = this.queue.length === 0 || this.starts.has(this.queue[0]);
        if (this.control.length > 0 && boundary) {
          const c = this.control.length === 1 ? this.control[0] : concatBytes(this.control, this.control.length * 8);
          this.control = [];
          this.credit -= c.byteLength;
          await this.writer.write(c);
          continue;
        }
        if (this.queue.length === 0 || (boundary && this.credit <= 0)) break;
        const batch = this.takeBatch();
        this.inflight = batch.byteLength;
        this.queued -= batch.byteLength;
        this.credit -= batch.byteLength;
        await this.writer.write(batch);
        this.inflight = 0;
        this.maybeDrain();
      }
    } catch (e) {
      this.pumping = false;
      if (this.state !== 'closed') this.lost(e as Error, 'write failed');
      return;
    }
    this.pumping = false;
    if (this.ending && this.queue.length === 0) this.finishWriting();
  }

  /**
   * Next write: a big message alone as zero-copy slices, otherwise small pieces (and a big piece that
   * fits, typically a 64 KiB body after its prefix) copied into one buffer of at most BATCH_BYTES.
   */
  private takeBatch(): Uint8Array {
    const q = this.queue;
    const head = q[0];
    if (head.byteLength > BATCH_BYTES) {
      q[0] = head.subarray(BIG_BYTES);
      return head.subarray(0, BIG_BYTES);
    }
    let n = 0;
    let size = 0;
    while (n < q.length && size + q[n].byteLength <= BATCH_BYTES) size += q[n++].byteLength;
    if (n === 1) return q.shift() as Uint8Array;
    return concatBytes(q.splice(0, n), size);
  }

  private endWriting(): void {
    this.ending = true;
    if (!this.pumping && this.queue.length === 0) this.finishWriting();
  }

  private finishWriting(): void {
    if (this.writeDone || this.state === 'closed') return;
    this.writeDone = true;
    // Credit mode: after our FIN we cannot grant any more, so let the peer flush whatever it still has.
    const last = this.window > 0 ? this.writer.write(controlFrame(UNLIMITED_CREDIT)) : Promise.resolve();
    last.then(() => this.writer.close()).then(
      () => this.maybeComplete(),
      (e) => this.lost(e as Error, 'close failed'),
    );
  }

  private maybeComplete(): void {
    if (!this.writeDone || !this.readDone || this.state === 'closed') return;
    if (this.closeReason !== undefined) {
      this.shutdown(true, this.closeReason);
      this.finish(this.endInfo(true, 'closed by peer'));
      return;
    }
    // We answered the peer's close: it ends the session once it has read our FIN (ending it here could
    // cut that FIN off). Fall back to ending it ourselves if the peer never does.
    setTimeout(() => {
      if (this.state === 'closed') return;
      this.shutdown(true, 'closed by peer');
      this.finish(this.endInfo(true, 'closed by peer'));
    }, this.opts.closeTimeoutMs).unref();
  }

  private async readLoop(): Promise<void> {
    const onMessage = (m: Uint8Array): void => this.deliver(m);
    try {
      for (;;) {
        if (this.readingPaused) await new Promise<void>((r) => (this.resumeReading = r));
        const { value, done } = await this.reader.read();
        if (done) break;
        this.decoder.push(this.preambleLeft > 0 ? this.skipPreamble(value) : value, onMessage);
        if (this.window > 0) this.grant(value.byteLength);
      }
    } catch (e) {
      if (this.state === 'closed') return;
      if (e instanceof TransportError) this.abortWith(e);
      else this.lost(e as Error, 'read failed');
      return;
    }
    if (this.state === 'closed') return;
    if (this.decoder.bufferedBytes > 0 || this.preambleLeft > 0) {
      this.abortWith(new TransportError('PROTOCOL_VIOLATION', 'stream ended inside a message'));
      return;
    }
    this.readDone = true;
    if (!this.ending) {
      this.enterClosing();
      this.endWriting();
    }
    this.maybeComplete();
  }

  private abortWith(err: TransportError): void {
    this.destroy(err);
    this.finish({ local: true, graceful: false, reason: err.message, error: err }, true);
  }
}
