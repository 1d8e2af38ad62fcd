/**
 * A Connection over one bidirectional WHATWG byte stream pair (a QUIC stream, a WebTransport
 * stream, or the in-memory pair), with length-prefixed messages.
 *
 * Writes are queued and a single pump coalesces small messages into one write (≤ BATCH_BYTES),
 * which matters on QUIC where every write costs a trip through the JS stack. Orderly close is a
 * FIN in each direction: close() flushes and ends our side; once the peer's side has ended too,
 * the subclass shuts the underlying session down.
 */
import { BaseConnection } from './base-connection.js';
import { LengthPrefixDecoder, concatBytes, lengthPrefix } from './framing.js';
import { TransportError } from './errors.js';
import type { RemoteIdentity } from './transport.js';
import type { ResolvedOptions } from './defaults.js';

/** Messages at least this large are written as their own chunk (no copy). */
const BIG_BYTES = 64 * 1024;
/** Largest coalesced write of small messages. */
const BATCH_BYTES = 256 * 1024;

export interface ByteStreamPair {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
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

  constructor(streams: ByteStreamPair, remote: RemoteIdentity, opts: ResolvedOptions) {
    super(remote, opts);
    this.writer = streams.writable.getWriter();
    this.reader = streams.readable.getReader();
    this.decoder = new LengthPrefixDecoder(opts.maxMessageBytes);
    this.writer.closed.catch(() => {});
    this.reader.closed.catch(() => {});
    void this.readLoop();
  }

  /** Close the underlying session/connection. `graceful` false = abort with an error code. */
  protected abstract shutdown(graceful: boolean, reason: string): void;

  get bufferedAmount(): number {
    return this.queued + this.inflight;
  }

  protected write(data: Uint8Array): void {
    this.queue.push(lengthPrefix(data.byteLength), data);
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

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        this.inflight = batch.byteLength;
        this.queued -= batch.byteLength;
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
    if (this.ending) this.finishWriting();
  }

  private takeBatch(): Uint8Array {
    const q = this.queue;
    if (q[0].byteLength >= BIG_BYTES) return q.shift() as Uint8Array;
    let n = 0;
    let size = 0;
    while (n < q.length && q[n].byteLength < BIG_BYTES && size + q[n].byteLength <= BATCH_BYTES) size += q[n++].byteLength;
    if (n === 1) return q.shift() as Uint8Array;
    const parts = q.splice(0, n);
    return concatBytes(parts, size);
  }

  private endWriting(): void {
    this.ending = true;
    if (!this.pumping) this.finishWriting();
  }

  private finishWriting(): void {
    if (this.writeDone || this.state === 'closed') return;
    this.writeDone = true;
    this.writer.close().then(
      () => this.maybeComplete(),
      (e) => this.lost(e as Error, 'close failed'),
    );
  }

  private maybeComplete(): void {
    if (!this.writeDone || !this.readDone || this.state === 'closed') return;
    this.shutdown(true, this.closeReason ?? 'closed by peer');
    this.finish(this.endInfo(true, 'closed by peer'));
  }

  private async readLoop(): Promise<void> {
    const onMessage = (m: Uint8Array): void => this.deliver(m);
    try {
      for (;;) {
        if (this.paused) await new Promise<void>((r) => (this.resumeReading = r));
        const { value, done } = await this.reader.read();
        if (done) break;
        this.decoder.push(value, onMessage);
      }
    } catch (e) {
      if (this.state === 'closed') return;
      if (e instanceof TransportError) this.abortWith(e);
      else this.lost(e as Error, 'read failed');
      return;
    }
    if (this.state === 'closed') return;
    if (this.decoder.bufferedBytes > 0) {
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
