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
  private items: (PendingMessage | undefined)[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: ResendLimits = DEFAULT_RESEND_LIMITS) {}

  get length(): number {
    return this.items.length - this.head;
  }
  get bufferedBytes(): number {
    return this.bytes;
  }
  /** Lowest unacknowledged sequence number, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.items[this.head]?.seq;
  }

  /** True when a message of `size` bytes would fit now. A lone message always fits in an empty buffer. */
  fits(size: number): boolean {
    if (this.length === 0) return true;
    return this.length < this.limits.maxFrames && this.bytes + size <= this.limits.maxBytes;
  }

  /** Add a message; returns false (and keeps nothing) when it does not fit. */
  push(m: PendingMessage): boolean {
    if (!this.fits(m.payload.length)) return false;
    this.items.push(m);
    this.bytes += m.payload.length;
    return true;
  }

  /** Drop every message with seq ≤ `seq`; returns how many were released. */
  ackThrough(seq: number): number {
    let n = 0;
    while (this.head < this.items.length && (this.items[this.head] as PendingMessage).seq <= seq) {
      this.bytes -= (this.items[this.head] as PendingMessage).payload.length;
      this.items[this.head] = undefined;
      this.head++;
      n++;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return n;
  }

  /** Messages with seq > `seq`, oldest first. */
  after(seq: number): PendingMessage[] {
    const out: PendingMessage[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const m = this.items[i] as PendingMessage;
      if (m.seq > seq) out.push(m);
    }
    return out;
  }

  /** Every message still held (e.g. to hand back to the host when the session closes). */
  drain(): PendingMessage[] {
    const out = this.items.slice(this.head) as PendingMessage[];
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    return out;
  }
}
