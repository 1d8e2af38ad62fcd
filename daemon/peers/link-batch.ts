/**
 * Book-keeping for batched DATA frames (link-wire.ts): the messages of this turn not yet framed, and
 * how many messages each unacknowledged frame of the session holds.
 */
import type { WireMessage } from '../router/types.js';

/**
 * Messages of one route offered in one turn share a DATA frame, up to this many messages or JSON
 * bytes; a body over half the bytes travels alone.
 */
export const BATCH_MESSAGES = 64;
export const BATCH_JSON_BYTES = 32 * 1024;

/** This turn's messages, all of one route, not yet framed. */
export class OutgoingBatch {
  msgs: WireMessage[] = [];
  jsonBytes = 0;

  get length(): number {
    return this.msgs.length;
  }

  /** Whether `msg` (of `json` body bytes) may join: same route, room left. */
  fits(msg: WireMessage, json: number): boolean {
    const head = this.msgs[0];
    return head === undefined || (head.from === msg.from && head.to === msg.to && this.msgs.length < BATCH_MESSAGES && this.jsonBytes + json <= BATCH_JSON_BYTES);
  }

  add(msg: WireMessage, json: number): void {
    this.msgs.push(msg);
    this.jsonBytes += json;
  }

  /** The messages, oldest first; the batch is empty afterwards. */
  take(): WireMessage[] {
    const m = this.msgs;
    this.msgs = [];
    this.jsonBytes = 0;
    return m;
  }
}

/** Messages per unacknowledged DATA frame, oldest first (ACKs are cumulative, so the oldest go first). */
export class FrameLedger {
  private counts: number[] = [];
  private total = 0;

  sent(messages: number): void {
    this.counts.push(messages);
    this.total += messages;
  }

  /** Messages in the newest `frames` frames: the ones the session still holds unacknowledged. */
  unacked(frames: number): number {
    while (this.counts.length > frames) this.total -= this.counts.shift() as number;
    return this.total;
  }

  reset(): void {
    this.counts = [];
    this.total = 0;
  }
}
