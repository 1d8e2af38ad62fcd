/**
 * The two flow rules of a peer link (peer.ts) that do not depend on the session: frames written in one
 * turn leave together, and the reading side acknowledges a DATA frame only once its messages are
 * delivered, pausing the connection while too many wait.
 */
import type { Connection } from '../../transports/transport.js';
import type { WireMessage } from '../router/types.js';

/**
 * Frames written in one turn of the event loop leave as one transport message (frames are
 * self-delimiting; the peer's FrameDecoder takes any split), up to this many bytes: one WebSocket
 * frame, mask and socket write per burst instead of per DATA/ACK frame.
 */
export const COALESCE_BYTES = 64 * 1024;

/** Incoming messages being delivered before the link stops reading from its connection. */
export const MAX_PENDING_DELIVERIES = 8192;

/** The frames written this turn, gathered into one transport message. */
export class FrameCoalescer {
  private frames: Uint8Array[] = [];
  private bytes = 0;

  /** Gather `frame`; true once {@link COALESCE_BYTES} are gathered (send them now rather than at the end of the turn). */
  add(frame: Uint8Array): boolean {
    this.frames.push(frame);
    this.bytes += frame.byteLength;
    return this.bytes >= COALESCE_BYTES;
  }

  /** The gathered frames as one buffer, or undefined when there are none; nothing is gathered afterwards. */
  take(): Uint8Array | undefined {
    const frames = this.frames;
    if (frames.length === 0) return undefined;
    const bytes = this.bytes;
    this.frames = [];
    this.bytes = 0;
    return frames.length === 1 ? frames[0] : Buffer.concat(frames, bytes);
  }
}

/**
 * The reading side of a link: a DATA frame's messages go to the router one by one, the frame is
 * acknowledged once every one of them is delivered (deferred acknowledgement: a killed daemon never
 * loses an acknowledged message), and reading pauses while more than {@link MAX_PENDING_DELIVERIES}
 * messages wait for delivery, resuming below a quarter of that.
 */
export class InboundFlow {
  private pending = 0;
  private paused = false;

  /** @param conn the link's current connection (it changes on reconnect) */
  constructor(private readonly conn: () => Connection | undefined) {}

  /** Messages handed to `deliver` whose `done` has not run yet. */
  get pendingDeliveries(): number {
    return this.pending;
  }

  /** Hand each of a frame's `msgs` to `deliver`; `ack` runs once all of them are done (at once for none). */
  deliver(msgs: WireMessage[], deliver: (msg: WireMessage, done: () => void) => void, ack: () => void): void {
    if (msgs.length === 0) return ack();
    this.pending += msgs.length;
    const c = this.conn();
    if (this.pending > MAX_PENDING_DELIVERIES && !this.paused && c) {
      this.paused = true;
      c.pause();
    }
    let left = msgs.length;
    const done = (): void => {
      this.pending--;
      if (--left === 0) ack();
      if (this.paused && this.pending < MAX_PENDING_DELIVERIES / 4) {
        this.paused = false;
        this.conn()?.resume();
      }
    };
    for (const msg of msgs) deliver(msg, done);
  }

  /** The connection was let go: the next one starts reading (a pause does not carry over). */
  detached(): void {
    this.paused = false;
  }
}
