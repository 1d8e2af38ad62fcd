import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReceiveState } from '../../../daemon/peers/receive-state.js';

describe('ReceiveState', () => {
  it('accepts in order, flags repeats and gaps', () => {
    const r = new ReceiveState();
    r.sync('e1');
    expect([r.accept(1), r.accept(2), r.accept(2), r.accept(1), r.accept(4)]).toEqual(['new', 'new', 'repeat', 'repeat', 'gap']);
    expect(r.accepted).toBe(2);
  });

  it('only counts a contiguous prefix as delivered, whatever order deliveries finish in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: n, maxLength: n })), (order) => {
        const r = new ReceiveState();
        r.sync('e');
        for (let i = 1; i <= order.length; i++) r.accept(i);
        const finished = new Set<number>();
        for (const seq of order) {
          r.done('e', seq);
          finished.add(seq);
          let prefix = 0;
          while (finished.has(prefix + 1)) prefix++;
          expect(r.delivered).toBe(prefix);
        }
      }),
    );
  });

  it('starts over for a new epoch and ignores completions of the old one', () => {
    const r = new ReceiveState();
    r.sync('old');
    r.accept(1);
    r.sync('new');
    expect(r.accepted).toBe(0);
    r.done('old', 1);
    expect(r.delivered).toBe(0);
    r.sync('new');
    r.accept(1);
    r.done('new', 1);
    expect([r.delivered, r.unacked]).toEqual([1, 1]);
  });
});
