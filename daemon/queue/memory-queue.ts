/** In-memory {@link QueueStore}: bounded per peer, O(1) push and shift. */
import { M2MError } from '../../protocol/errors.js';
import type { PeerQueue, QueueStore } from './types.js';

/** Messages one peer's queue holds by default. @default 10,000 */
export const DEFAULT_QUEUE_CAPACITY = 10_000;

export class MemoryPeerQueue<T> implements PeerQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly peerId: string, readonly capacity: number = DEFAULT_QUEUE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new M2MError('BAD_INPUT', `queue capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.size >= this.capacity) {
      throw new M2MError('QUEUE_FULL', `queue for peer "${this.peerId}" is full (${this.capacity} messages waiting); retry later`, { peer: this.peerId, capacity: this.capacity });
    }
    this.items.push(item);
  }

  unshift(items: readonly T[]): void {
    if (items.length === 0) return;
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    (this.items as (T | undefined)[])[this.head] = undefined;
    this.head++;
    // Compact once the consumed prefix dominates, so memory tracks the live size.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }
}

export class MemoryQueueStore<T> implements QueueStore<T> {
  private readonly queues = new Map<string, MemoryPeerQueue<T>>();

  /** @param capacity messages per peer @default 10,000 */
  constructor(private readonly capacity: number = DEFAULT_QUEUE_CAPACITY) {}

  forPeer(peerId: string): PeerQueue<T> {
    let q = this.queues.get(peerId);
    if (!q) {
      q = new MemoryPeerQueue<T>(peerId, this.capacity);
      this.queues.set(peerId, q);
    }
    return q;
  }

  depths(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, q] of this.queues) out[id] = q.size;
    return out;
  }

  async close(): Promise<void> {
    this.queues.clear();
  }
}
