/**
 * Length-prefixed message framing for byte-stream transports (QUIC and WebTransport streams):
 * `u32 big-endian length | body`. The decoder waits for more bytes instead of failing, copies
 * only when a message spans chunks, and rejects a length over the limit before buffering it.
 */
import { TransportError } from './errors.js';

/** Bytes of the length prefix. */
export const PREFIX_BYTES = 4;
/**
 * A length prefix that is never a message length (maxMessageBytes < 2^32 - 1): it introduces a
 * 4-byte control value instead (a flow-control credit grant, when the decoder enables controls).
 */
export const CONTROL_PREFIX = 0xffff_ffff;

/** A control frame: CONTROL_PREFIX then the u32 big-endian value. */
export function controlFrame(value: number): Uint8Array {
  const b = new Uint8Array(8);
  b.set(lengthPrefix(CONTROL_PREFIX));
  b.set(lengthPrefix(value), 4);
  return b;
}

/** The 4-byte big-endian length prefix for a body of `length` bytes. */
export function lengthPrefix(length: number): Uint8Array {
  const h = new Uint8Array(PREFIX_BYTES);
  h[0] = length >>> 24;
  h[1] = (length >>> 16) & 0xff;
  h[2] = (length >>> 8) & 0xff;
  h[3] = length & 0xff;
  return h;
}

function readU32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) >>> 0) + (b[off + 1] << 16) + (b[off + 2] << 8) + b[off + 3];
}

/** Concatenate chunks into one buffer of `total` bytes. */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** Streaming decoder: push() chunks as they arrive, get whole messages back through `onMessage`. */
export class LengthPrefixDecoder {
  private parts: Uint8Array[] = [];
  private have = 0;

  /**
   * @param maxMessageBytes largest accepted body; a bigger prefix throws `PROTOCOL_VIOLATION`.
   * @param onControl receives control values; without it a control prefix is a protocol violation.
   */
  constructor(
    private readonly maxMessageBytes: number,
    private readonly onControl?: (value: number) => void,
  ) {}

  /** Bytes held while waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.have;
  }

  /**
   * Feed one chunk. Messages may be views into `chunk` (no copy): the caller must not reuse it.
   * @throws TransportError `PROTOCOL_VIOLATION` when a length prefix exceeds the limit
   */
  push(chunk: Uint8Array, onMessage: (msg: Uint8Array) => void): void {
    if (this.have === 0) {
      this.parse(chunk, onMessage);
      return;
    }
    this.parts.push(chunk);
    this.have += chunk.byteLength;
    if (this.have < PREFIX_BYTES) return;
    const need = PREFIX_BYTES + this.check(this.peekLength());
    if (this.have < need) return;
    const joined = concatBytes(this.parts, this.have);
    this.parts = [];
    this.have = 0;
    this.parse(joined, onMessage);
  }

  private parse(buf: Uint8Array, onMessage: (msg: Uint8Array) => void): void {
    let off = 0;
    const end = buf.byteLength;
    while (end - off >= PREFIX_BYTES) {
      const prefix = readU32(buf, off);
      const len = this.check(prefix);
      if (end - off - PREFIX_BYTES < len) break;
      const start = off + PREFIX_BYTES;
      off = start + len;
      if (prefix === CONTROL_PREFIX) (this.onControl as (v: number) => void)(readU32(buf, start));
      else onMessage(buf.subarray(start, off));
    }
    if (off < end) {
      const rest = buf.subarray(off);
      this.parts.push(rest);
      this.have = rest.byteLength;
    }
  }

  private peekLength(): number {
    const first = this.parts[0];
    if (first.byteLength >= PREFIX_BYTES) return readU32(first, 0);
    const h = new Uint8Array(PREFIX_BYTES);
    let n = 0;
    for (const p of this.parts) {
      for (let i = 0; i < p.byteLength && n < PREFIX_BYTES; i++) h[n++] = p[i];
      if (n === PREFIX_BYTES) break;
    }
    return readU32(h, 0);
  }

  private check(len: number): number {
    if (len === CONTROL_PREFIX && this.onControl) return PREFIX_BYTES;
    if (len > this.maxMessageBytes) {
      throw new TransportError('PROTOCOL_VIOLATION', `length prefix ${len} exceeds maxMessageBytes ${this.maxMessageBytes}`);
    }
    return len;
  }
}
