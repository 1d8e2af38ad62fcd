import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryPeerQueue, MemoryQueueStore } from '../../../daemon/queue/memory-queue.js';
import { isM2MError } from '../../../protocol/errors.js';

describe('MemoryPeerQueue', () => {
  it('is FIFO and refuses pushes past capacity with QUEUE_FULL', () => {
    const q = new MemoryPeerQueue<number>('b', 3);
    q.push(1);
    q.push(2);
    q.push(3);
    expect(() => q.push(4)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
    expect(q.shift()).toBe(1);
    q.push(4);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([2, 3, 4, undefined]);
    expect(q.size).toBe(0);
  });

  it('unshift puts items back at the head in order', () => {
    const q = new MemoryPeerQueue<number>('b', 10);
    q.push(3);
    q.unshift([1, 2]);
    expect(q.peek()).toBe(1);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([1, 2, 3]);
  });

  it('matches an array model under random push/shift sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('shift' as const), fc.integer())), fc.integer({ min: 1, max: 50 }), (ops, cap) => {
        const q = new MemoryPeerQueue<number>('p', cap);
        const model: number[] = [];
        for (const op of ops) {
          if (op === 'shift') {
            expect(q.shift()).toBe(model.shift());
          } else if (model.length >= cap) {
            let code: string | undefined;
            try {
              q.push(op);
            } catch (e) {
              code = isM2MError(e) ? e.code : 'other';
            }
            expect(code).toBe('QUEUE_FULL');
          } else {
            q.push(op);
            model.push(op);
          }
          expect(q.size).toBe(model.length);
        }
      }),
    );
  });

  it('keeps memory bounded over many cycles', () => {
    const q = new MemoryPeerQueue<number>('b', 10);
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) {
      q.push(i);
      if (q.shift() !== i) wrong++;
    }
    expect(wrong).toBe(0);
    expect((q as unknown as { items: unknown[] }).items.length).toBeLessThan(3000);
  });
});

describe('MemoryQueueStore', () => {
  it('creates one queue per peer and reports depths', () => {
    const s = new MemoryQueueStore<string>(5);
    s.forPeer('a').push('x');
    s.forPeer('b').push('y');
    s.forPeer('b').push('z');
    expect(s.forPeer('a')).toBe(s.forPeer('a'));
    expect(s.depths()).toEqual({ a: 1, b: 2 });
    expect(s.forPeer('a').capacity).toBe(5);
  });
});
