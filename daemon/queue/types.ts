/**
 * Per-peer outbound queue: messages wait here while their peer is unreachable
 * and flow into the peer session on reconnect. The in-memory store is the
 * only one today; a durable on-disk store will implement the same interface.
 */

export interface PeerQueue<T> {
  readonly peerId: string;
  /** Messages waiting. */
  readonly size: number;
  /** Most messages this queue holds. */
  readonly capacity: number;
  /** Append at the tail. @throws M2MError QUEUE_FULL, never drops silently */
  push(item: T): void;
  /** Put items back at the head, in order (e.g. un-acknowledged messages after a peer lost its state). Ignores capacity. */
  unshift(items: readonly T[]): void;
  /** Remove and return the head. */
  shift(): T | undefined;
  peek(): T | undefined;
}

export interface QueueStore<T> {
  /** The queue of one peer, created on first use. */
  forPeer(peerId: string): PeerQueue<T>;
  /** Total messages waiting over every peer. */
  depths(): Record<string, number>;
  close(): Promise<void>;
}
