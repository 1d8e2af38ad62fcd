/**
 * Streaming frame decoder: feed it transport bytes split anywhere, get whole frames back.
 * It waits for more bytes instead of failing on a partial header or body, and fails fast
 * (before buffering) on an unknown type byte or a declared length past `maxFrameBytes`.
 * After the first error the decoder stays failed: every later `push` rethrows it.
 */
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { frameTypeName, type FrameTypeCode, type RawFrame } from './frames.js';

/** The CLOSE reason a host should send when the decoder fails. */
export const DECODER_CLOSE_REASON = 'PROTOCOL_ERROR';

// A body length fits in 4 varint bytes up to 256 MiB; 5 bytes covers any u32.
const MAX_LENGTH_VARINT = 5;

export class FrameDecoder {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private failed: M2MError | undefined;
  private readonly maxFrameBytes: number;
  private readonly maxBufferedBytes: number;

  /** @param limits uses `maxFrameBytes` and `maxBufferedBytes` */
  constructor(limits: Pick<Limits, 'maxFrameBytes' | 'maxBufferedBytes'> = DEFAULT_LIMITS) {
    this.maxFrameBytes = limits.maxFrameBytes;
    this.maxBufferedBytes = limits.maxBufferedBytes;
  }

  /** Bytes held waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /**
   * Add transport bytes; returns every frame completed by them, in order.
   * Frame bodies may be views into `chunk`: do not reuse `chunk`'s memory afterwards.
   * @throws M2MError UNKNOWN_FRAME_TYPE, FRAME_TOO_LARGE, BUFFER_OVERFLOW, MALFORMED_FRAME
   *   (details.closeReason = 'PROTOCOL_ERROR')
   */
  push(chunk: Uint8Array): RawFrame[] {
    if (this.failed) throw this.failed;
    const frames: RawFrame[] = [];
    try {
      if (this.end === this.start) {
        // Nothing pending: parse straight from the chunk, copy only a trailing partial frame.
        const used = this.parse(chunk, 0, chunk.length, frames);
        if (used < chunk.length) this.append(chunk.subarray(used));
        return frames;
      }
      this.append(chunk);
      const used = this.parse(this.buf, this.start, this.end, frames);
      this.start = used;
      if (this.start === this.end) {
        this.start = 0;
        this.end = 0;
        if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(0);
      }
      return frames;
    } catch (e) {
      this.failed = e instanceof M2MError ? e : new M2MError('MALFORMED_FRAME', (e as Error).message);
      if (!this.failed.details) (this.failed as { details?: Record<string, unknown> }).details = { closeReason: DECODER_CLOSE_REASON };
      this.buf = new Uint8Array(0);
      this.start = this.end = 0;
      throw this.failed;
    }
  }

  /** Drop buffered bytes and any failure (e.g. on a new connection). */
  reset(): void {
    this.buf = new Uint8Array(0);
    this.start = this.end = 0;
    this.failed = undefined;
  }

  private append(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (pending + chunk.length > this.maxBufferedBytes) {
      throw fail('BUFFER_OVERFLOW', `decoder would buffer ${pending + chunk.length} bytes, limit ${this.maxBufferedBytes}`);
    }
    if (this.end + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(pending + chunk.length, Math.min(this.maxBufferedBytes, this.buf.length * 2), 4096));
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Parse whole frames from `src[pos, end)`; returns the position of the first unconsumed byte. */
  private parse(src: Uint8Array, pos: number, end: number, frames: RawFrame[]): number {
    while (pos < end) {
      const type = src[pos];
      if (frameTypeName(type) === undefined) throw fail('UNKNOWN_FRAME_TYPE', `unknown frame type 0x${type.toString(16).padStart(2, '0')}`);
      if (pos + 2 >= end) return pos;
      let len = 0;
      let scale = 1;
      let p = pos + 2;
      for (let i = 0; ; i++) {
        if (i >= MAX_LENGTH_VARINT) throw fail('MALFORMED_FRAME', 'frame length varint too long');
        if (p >= end) return pos;
        const b = src[p++];
        len += (b & 0x7f) * scale;
        if ((b & 0x80) === 0) {
          if (b === 0 && i > 0) throw fail('MALFORMED_FRAME', 'non-minimal frame length varint');
          break;
        }
        scale *= 128;
      }
      if (len > this.maxFrameBytes) throw fail('FRAME_TOO_LARGE', `frame body of ${len} bytes exceeds the limit of ${this.maxFrameBytes}`);
      if (p + len > end) {
        if (p + len - pos > this.maxBufferedBytes) throw fail('BUFFER_OVERFLOW', `frame of ${p + len - pos} bytes exceeds the buffer limit of ${this.maxBufferedBytes}`);
        return pos;
      }
      // Bodies parsed out of our own buffer are copied, because the buffer is reused.
      const body = src === this.buf ? src.slice(p, p + len) : src.subarray(p, p + len);
      frames.push({ type: type as FrameTypeCode, flags: src[pos + 1], body });
      pos = p + len;
    }
    return pos;
  }
}

function fail(code: 'UNKNOWN_FRAME_TYPE' | 'FRAME_TOO_LARGE' | 'BUFFER_OVERFLOW' | 'MALFORMED_FRAME', message: string): M2MError {
  return new M2MError(code, message, { closeReason: DECODER_CLOSE_REASON });
}
