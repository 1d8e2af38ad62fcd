/**
 * The sender's bounded resend buffer: every DATA message from the moment `send` accepts it until
 * the peer's cumulative ACK (or RESUME) covers its sequence number. Entries keep the original
 * payload, not wire bytes, because after RESUME they are re-encoded with fresh contexts.
 * When full, `push` refuses (backpressure); nothing is ever dropped silently.
 */
import type { CodecChoice } from './data-codec.js';

export interface PendingMessage {
  seq: number;
  from: string;
  to: string;
  payload: Uint8Array;
  codec: CodecChoice;
}

export interface ResendLimits {
  /** Most unacknowledged messages. @default 4096 */
  maxFrames: number;
  /** Most unacknowledged payload bytes. @default 16 MiB */
  maxBytes: number;
}

export const DEFAULT_RESEND_LIMITS: Readonly<ResendLimits> = Object.freeze({ maxFrames: 4096, maxBytes: 16 * 1024 * 1024 });

export class ResendBuffer {
  // A ring (power-of-two size, grown by doubling, never shrunk): a queue array that is pushed at one
  // end and sliced at the other reallocated its backing store every ~1,000 messages.
  private ring: (PendingMessage | undefined)[] = new Array<PendingMessage | undefined>(16).fill(undefined);
  private head = 0;
  private count = 0;
  private bytes = 0;

  constructor(private readonly limits: ResendLimits = DEFAULT_RESEND_LIMITS) {}

  get length(): number {
    return this.count;
  }
  get bufferedBytes(): number {
    return this.bytes;
  }
  /** Lowest unacknowledged sequence number, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.count === 0 ? undefined : (this.ring[this.head] as PendingMessage).seq;
  }

  /** True when a message of `size` bytes would fit now. A lone message always fits in an empty buffer. */
  fits(size: number): boolean {
    if (this.count === 0) return true;
    return this.count < this.limits.maxFrames && this.bytes + size <= this.limits.maxBytes;
  }

  /** Add a message; returns false (and keeps nothing) when it does not fit. */
  push(m: PendingMessage): boolean {
    if (!this.fits(m.payload.length)) return false;
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = m;
    this.count++;
    this.bytes += m.payload.length;
    return true;
  }

  /** Drop every message with seq ≤ `seq`; returns how many were released. */
  ackThrough(seq: number): number {
    const mask = this.ring.length - 1;
    let n = 0;
    while (this.count > 0) {
      const m = this.ring[this.head] as PendingMessage;
      if (m.seq > seq) break;
      this.bytes -= m.payload.length;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) & mask;
      this.count--;
      n++;
    }
    return n;
  }

  /** Messages with seq > `seq`, oldest first. */
  after(seq: number): PendingMessage[] {
    const out: PendingMessage[] = [];
    const mask = this.ring.length - 1;
    for (let i = 0; i < this.count; i++) {
      const m = this.ring[(this.head + i) & mask] as PendingMessage;
      if (m.seq > seq) out.push(m);
    }
    return out;
  }

  /** Every message still held (e.g. to hand back to the host when the session closes). */
  drain(): PendingMessage[] {
    const out = this.after(-Infinity);
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    return out;
  }

  private grow(): void {
    const old = this.ring;
    const next = new Array<PendingMessage | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = next;
    this.head = 0;
  }
}
