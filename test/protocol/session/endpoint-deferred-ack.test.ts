import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makePair, type Pair } from './pair.js';
import { FrameDecoder } from '../../../protocol/session/frame-decoder.js';
import { FrameType, decodeAckBody } from '../../../protocol/session/frames.js';
import { decodeResume, type ResumeBody } from '../../../protocol/session/control.js';
import { resumeRequest } from '../../../protocol/session/endpoint.js';

const text = (u: Uint8Array): string => new TextDecoder().decode(u);

function established(): Pair {
  const p = makePair({}, { deferAck: true, ackEvery: 4 });
  p.a.ep.start();
  p.b.ep.start();
  p.pump();
  return p;
}

/** ACK seqs and RESUME bodies in b's outbox (without delivering them). */
function fromB(p: Pair): { acks: number[]; resumes: ResumeBody[] } {
  const acks: number[] = [];
  const resumes: ResumeBody[] = [];
  for (const chunk of p.b.outbox) {
    for (const f of new FrameDecoder().push(chunk.slice())) {
      if (f.type === FrameType.ACK) acks.push(decodeAckBody(f.body));
      if (f.type === FrameType.RESUME) resumes.push(decodeResume(f.body));
    }
  }
  return { acks, resumes };
}

function sendAll(p: Pair, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) expect(p.a.ep.send({ from: 'x', to: 'y', payload: `m${i}` })).toBe(true);
}

describe('SessionEndpoint with deferred acknowledgement', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acknowledges nothing on receipt, then only the contiguous prefix the host delivered', () => {
    const p = established();
    sendAll(p, 3);
    while (p.step('a'));
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(['m0', 'm1', 'm2']);
    vi.advanceTimersByTime(1000);
    expect(fromB(p).acks).toEqual([]);
    p.b.ep.ack(3);
    p.b.ep.ack(2);
    vi.advanceTimersByTime(1000);
    expect(fromB(p).acks).toEqual([]);
    expect(p.b.ep.stats.deliveredSeq).toBe(0);
    p.b.ep.ack(1);
    expect(p.b.ep.stats.deliveredSeq).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(fromB(p).acks).toEqual([3]);
    p.pump();
    expect(p.a.ep.stats.unacked).toBe(0);
  });

  it('ignores unknown, repeated and future seqs, and ACKs at once after ackEvery deliveries', () => {
    const p = established();
    sendAll(p, 4);
    while (p.step('a'));
    p.b.ep.ack(0);
    p.b.ep.ack(99);
    expect(p.b.ep.stats.deliveredSeq).toBe(0);
    for (const s of [1, 2, 3, 1, 4]) p.b.ep.ack(s);
    expect(fromB(p).acks).toEqual([4]);
  });

  it('after RESUME, replays only what was not received and keeps received-but-undelivered messages buffered', () => {
    const p = established();
    sendAll(p, 5);
    while (p.step('a'));
    p.b.ep.ack(1);
    p.b.ep.ack(2);
    p.cut();
    p.reconnect();
    const req = resumeRequest(p.a.outbox[0]);
    expect(req).toMatchObject({ lastSeq: 0, epoch: 1 });
    p.pump();
    const reply = p.a.ep.stats;
    // b received 5, delivered 2: nothing replayed, 3..5 stay in a's buffer until acknowledged.
    expect(reply.replayed).toBe(0);
    expect(reply.unacked).toBe(3);
    expect(p.b.delivered.length).toBe(5);
    sendAll(p, 2, 5);
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    for (let s = 3; s <= 7; s++) p.b.ep.ack(s);
    p.pump();
    vi.advanceTimersByTime(1000);
    p.pump();
    expect(p.a.ep.stats.unacked).toBe(0);
  });

  it("RESUME carries the receiver's acked seq and its auth; the sender releases only through it", () => {
    const p = established();
    sendAll(p, 4);
    while (p.step('a'));
    p.b.ep.ack(1);
    p.cut();
    // b resumes this time (either side may): its RESUME says lastSeq 4, acked 1.
    p.b.ep.resume({ proof: 'x' });
    const { resumes } = fromB(p);
    expect(resumes).toEqual([{ sessionId: 'sess-1', lastSeq: 4, epoch: 1, acked: 1, auth: { proof: 'x' } }]);
    p.a.ep.reattach();
    p.pump();
    expect(p.a.ep.stats.unacked).toBe(3);
    expect(p.a.ep.stats.replayed).toBe(0);
    expect(p.b.delivered.length).toBe(4);
  });

  it('a RESUME request supersedes our own unanswered one', () => {
    const p = established();
    sendAll(p, 2);
    p.pump();
    p.cut();
    // b sent a RESUME on a connection that died before a read it.
    p.b.ep.resume();
    p.b.outbox.length = 0;
    p.reconnect();
    p.pump();
    sendAll(p, 3, 2);
    expect(p.b.ep.send({ from: 'y', to: 'x', payload: 'back' })).toBe(true);
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(p.a.delivered.map((m) => text(m.payload))).toEqual(['back']);
  });

  it('abort() closes at once and hands back every unacknowledged message', () => {
    const p = established();
    const unacked: number[][] = [];
    p.a.ep.onClosed = (_i, u) => void unacked.push(u.map((m) => m.seq));
    sendAll(p, 3);
    while (p.step('a'));
    p.b.ep.ack(1);
    vi.advanceTimersByTime(1000);
    p.pump();
    p.a.ep.abort();
    expect(p.a.ep.state).toBe('closed');
    expect(unacked).toEqual([[2, 3]]);
    expect(p.a.outbox).toEqual([]);
  });
});
