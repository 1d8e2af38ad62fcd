import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ResendBuffer, type PendingMessage } from '../../../protocol/session/resend-buffer.js';

const msg = (seq: number, size = 10): PendingMessage => ({ seq, from: 'a', to: 'b', payload: new Uint8Array(size), codec: 'raw' });

describe('ResendBuffer', () => {
  it('holds messages until a cumulative ACK covers them', () => {
    const b = new ResendBuffer({ maxFrames: 8, maxBytes: 1000 });
    for (let s = 1; s <= 5; s++) expect(b.push(msg(s))).toBe(true);
    expect(b.length).toBe(5);
    expect(b.bufferedBytes).toBe(50);
    expect(b.firstSeq).toBe(1);
    expect(b.ackThrough(3)).toBe(3);
    expect(b.firstSeq).toBe(4);
    expect(b.after(4).map((m) => m.seq)).toEqual([5]);
    expect(b.ackThrough(3)).toBe(0);
    expect(b.drain().map((m) => m.seq)).toEqual([4, 5]);
    expect(b.length).toBe(0);
    expect(b.bufferedBytes).toBe(0);
    expect(b.firstSeq).toBeUndefined();
  });

  it('refuses past maxFrames or maxBytes, but a lone message always fits', () => {
    const b = new ResendBuffer({ maxFrames: 2, maxBytes: 25 });
    expect(b.push(msg(1, 100))).toBe(true);
    expect(b.push(msg(2, 1))).toBe(false);
    b.ackThrough(1);
    expect(b.push(msg(2, 10))).toBe(true);
    expect(b.push(msg(3, 10))).toBe(true);
    expect(b.push(msg(4, 1))).toBe(false);
    expect(b.length).toBe(2);
  });

  it('wraps around and grows past its first ring without reordering', () => {
    const b = new ResendBuffer({ maxFrames: 100_000, maxBytes: 1e9 });
    let next = 1;
    let acked = 0;
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 7 + round; k++) b.push(msg(next++));
      acked += 5;
      b.ackThrough(acked);
      const seqs = b.after(0).map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: next - 1 - acked }, (_, i) => acked + 1 + i));
    }
  });

  it('behaves as a plain array queue under any sequence of pushes and ACKs', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 40 }) }), fc.record({ ack: fc.integer({ min: 0, max: 30 }) })), { maxLength: 200 }), (ops) => {
        const b = new ResendBuffer({ maxFrames: 24, maxBytes: 400 });
        const model: PendingMessage[] = [];
        let seq = 0;
        for (const op of ops) {
          if ('push' in op) {
            const m = msg(seq + 1, op.push);
            const fits = model.length === 0 || (model.length < 24 && model.reduce((s, x) => s + x.payload.length, 0) + op.push <= 400);
            expect(b.push(m)).toBe(fits);
            if (fits) {
              model.push(m);
              seq++;
            }
          } else {
            const upTo = (model[0]?.seq ?? seq) - 1 + op.ack;
            let n = 0;
            while (model.length && model[0].seq <= upTo) {
              model.shift();
              n++;
            }
            expect(b.ackThrough(upTo)).toBe(n);
          }
          expect(b.length).toBe(model.length);
          expect(b.firstSeq).toBe(model[0]?.seq);
          expect(b.bufferedBytes).toBe(model.reduce((s, x) => s + x.payload.length, 0));
        }
        expect(b.drain()).toEqual(model);
      }),
    );
  });
});
