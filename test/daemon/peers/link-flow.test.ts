import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../transports/transport.js';
import type { WireMessage } from '../../../daemon/router/types.js';
import { COALESCE_BYTES, FrameCoalescer, InboundFlow, MAX_PENDING_DELIVERIES } from '../../../daemon/peers/link-flow.js';

const msgs = (n: number): WireMessage[] => Array.from({ length: n }, (_, i) => ({ uid: `u${i}`, from: 'a', to: 'b', json: '{}' }));

/** A connection stand-in that records pause/resume calls. */
function fakeConn(): { conn: Connection; calls: string[] } {
  const calls: string[] = [];
  const conn = { pause: () => calls.push('pause'), resume: () => calls.push('resume') } as unknown as Connection;
  return { conn, calls };
}

describe('FrameCoalescer', () => {
  it('returns the frames of a turn as one buffer in order, a single frame as itself, and nothing once taken', () => {
    const c = new FrameCoalescer();
    expect(c.take()).toBeUndefined();
    const one = Uint8Array.of(1, 2);
    c.add(one);
    expect(c.take()).toBe(one);
    c.add(Uint8Array.of(1, 2));
    c.add(Uint8Array.of(3));
    expect([...(c.take() as Uint8Array)]).toEqual([1, 2, 3]);
    expect(c.take()).toBeUndefined();
  });

  it('asks for a flush once COALESCE_BYTES are gathered', () => {
    const c = new FrameCoalescer();
    expect(c.add(new Uint8Array(COALESCE_BYTES - 1))).toBe(false);
    expect(c.add(new Uint8Array(1))).toBe(true);
    expect(c.take()?.byteLength).toBe(COALESCE_BYTES);
    expect(c.add(new Uint8Array(1))).toBe(false);
  });
});

describe('InboundFlow', () => {
  it('acknowledges a frame only after every message in it is delivered, whatever the order', () => {
    const { conn } = fakeConn();
    const flow = new InboundFlow(() => conn);
    const dones: (() => void)[] = [];
    let acks = 0;
    flow.deliver(msgs(3), (_m, done) => dones.push(done), () => acks++);
    expect(flow.pendingDeliveries).toBe(3);
    dones[2]();
    dones[0]();
    expect(acks).toBe(0);
    dones[1]();
    expect(acks).toBe(1);
    expect(flow.pendingDeliveries).toBe(0);
  });

  it('acknowledges an empty frame at once', () => {
    const flow = new InboundFlow(() => undefined);
    let acks = 0;
    flow.deliver([], () => expect.fail('nothing to deliver'), () => acks++);
    expect(acks).toBe(1);
  });

  it('pauses reading over MAX_PENDING_DELIVERIES and resumes below a quarter of it, once each', () => {
    const { conn, calls } = fakeConn();
    const flow = new InboundFlow(() => conn);
    const dones: (() => void)[] = [];
    flow.deliver(msgs(MAX_PENDING_DELIVERIES), (_m, done) => dones.push(done), () => undefined);
    expect(calls).toEqual([]);
    flow.deliver(msgs(1), (_m, done) => dones.push(done), () => undefined);
    flow.deliver(msgs(1), (_m, done) => dones.push(done), () => undefined);
    expect(calls).toEqual(['pause']);
    const total = dones.length;
    // Down to a quarter: still paused; one below it: resumed.
    while (flow.pendingDeliveries > MAX_PENDING_DELIVERIES / 4) (dones.pop() as () => void)();
    expect(calls).toEqual(['pause']);
    (dones.pop() as () => void)();
    expect(calls).toEqual(['pause', 'resume']);
    while (dones.length) (dones.pop() as () => void)();
    expect(calls).toEqual(['pause', 'resume']);
    expect(total).toBe(MAX_PENDING_DELIVERIES + 2);
  });

  it('does not carry a pause over to the next connection', () => {
    const first = fakeConn();
    const second = fakeConn();
    let conn = first.conn;
    const flow = new InboundFlow(() => conn);
    const dones: (() => void)[] = [];
    flow.deliver(msgs(MAX_PENDING_DELIVERIES + 1), (_m, done) => dones.push(done), () => undefined);
    expect(first.calls).toEqual(['pause']);
    flow.detached();
    conn = second.conn;
    for (const d of dones) d();
    // The new connection was never paused, so it is not resumed either; a new overload pauses it.
    expect(second.calls).toEqual([]);
    flow.deliver(msgs(MAX_PENDING_DELIVERIES + 1), () => undefined, () => undefined);
    expect(second.calls).toEqual(['pause']);
  });
});
