import { describe, expect, it } from 'vitest';
import { BATCH_JSON_BYTES, BATCH_MESSAGES, FrameLedger, OutgoingBatch } from '../../../daemon/peers/link-batch.js';
import type { WireMessage } from '../../../daemon/router/types.js';

const m = (i: number, to = 'bob'): WireMessage => ({ uid: `u${i}`, from: 'alice', to, json: '{}' });

describe('OutgoingBatch', () => {
  it('takes messages of one route up to the message and byte caps, and empties on take()', () => {
    const b = new OutgoingBatch();
    expect(b.fits(m(0, 'carol'), 10)).toBe(true);
    b.add(m(0), 10);
    expect(b.fits(m(1, 'carol'), 10)).toBe(false);
    expect(b.fits({ ...m(1), from: 'dave' }, 10)).toBe(false);
    expect(b.fits(m(1), BATCH_JSON_BYTES - 10)).toBe(true);
    expect(b.fits(m(1), BATCH_JSON_BYTES - 9)).toBe(false);
    for (let i = 1; i < BATCH_MESSAGES; i++) b.add(m(i), 1);
    expect(b.fits(m(99), 1)).toBe(false);
    const got = b.take();
    expect(got.map((x) => x.uid).slice(0, 3)).toEqual(['u0', 'u1', 'u2']);
    expect(got).toHaveLength(BATCH_MESSAGES);
    expect(b.length).toBe(0);
    expect(b.jsonBytes).toBe(0);
  });
});

describe('FrameLedger', () => {
  it('counts the messages of the newest unacknowledged frames', () => {
    const l = new FrameLedger();
    l.sent(5);
    l.sent(1);
    l.sent(3);
    expect(l.unacked(3)).toBe(9);
    expect(l.unacked(2)).toBe(4); // the oldest frame (5 messages) was acknowledged
    expect(l.unacked(0)).toBe(0);
    l.sent(2);
    expect(l.unacked(1)).toBe(2);
    l.reset();
    expect(l.unacked(0)).toBe(0);
  });
});
