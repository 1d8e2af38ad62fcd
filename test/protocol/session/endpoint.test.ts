import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { makePair, type Pair } from './pair.js';
import { SessionEndpoint, resumeTarget } from '../../../protocol/session/endpoint.js';
import { Codec, encodeAckFrame, encodeDataFrame } from '../../../protocol/session/frames.js';
import { encodeControlFrame } from '../../../protocol/session/control.js';
import type { ClosedInfo } from '../../../protocol/session/machine.js';

const text = (u: Uint8Array): string => new TextDecoder().decode(u);
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

function established(...opts: Parameters<typeof makePair>): Pair {
  const p = makePair(...opts);
  p.a.ep.start();
  p.b.ep.start();
  p.pump();
  return p;
}

function shutdown(p: Pair): void {
  p.a.ep.close();
  p.pump();
  vi.advanceTimersByTime(10_000);
}

describe('SessionEndpoint over an in-memory pair', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('handshakes, agrees and delivers in order with every codec', () => {
    const p = established();
    expect(p.a.ep.state).toBe('established');
    expect(p.b.ep.state).toBe('established');
    expect(p.a.ep.sessionId).toBe('sess-1');
    expect(p.a.ep.agreed).toEqual(p.b.ep.agreed);
    expect(p.a.ep.agreed?.dictionary).toMatch(/^m2m-lz-1\//);
    const codecs = ['raw', 'tokens', 'tokens+ctx', 'bytes+ctx', 'brotli', 'text', 'auto'] as const;
    const sent: string[] = [];
    for (const c of codecs) {
      for (let i = 0; i < 3; i++) {
        const msg = `{"codec":"${c}","i":${i},"text":"hello hello hello world, a message long enough to compress"}`;
        sent.push(msg);
        expect(p.a.ep.send({ from: i % 2 ? 'x' : 'y', to: 'z', payload: msg, codec: c })).toBe(true);
      }
    }
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(sent);
    expect(p.b.delivered.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(p.b.delivered.map((m) => m.from)).toEqual(sent.map((_, i) => (i % 3) % 2 ? 'x' : 'y'));
    shutdown(p);
  });

  it('sends cumulative ACKs every ackEvery frames and after ackDelayMs, releasing the resend buffer', () => {
    const p = established({ ackEvery: 4 }, { ackEvery: 4, timers: { ackDelayMs: 50 } });
    for (let i = 0; i < 6; i++) p.a.ep.send({ from: 'x', to: 'y', payload: `m${i}`, codec: 'raw' });
    p.pump();
    expect(p.a.ep.stats.unacked).toBe(2);
    vi.advanceTimersByTime(50);
    p.pump();
    expect(p.a.ep.stats.unacked).toBe(0);
    shutdown(p);
  });

  it('applies backpressure at the resend-buffer limit and signals drain', () => {
    const p = makePair({ resend: { maxFrames: 3 } });
    p.a.ep.start();
    p.b.ep.start();
    const results = [0, 1, 2, 3].map((i) => p.a.ep.send({ from: 'x', to: 'y', payload: `early ${i}` }));
    expect(results).toEqual([true, true, true, false]);
    p.pump();
    vi.advanceTimersByTime(1000);
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(['early 0', 'early 1', 'early 2']);
    expect(p.a.drains).toBe(1);
    expect(p.a.ep.send({ from: 'x', to: 'y', payload: 'early 3' })).toBe(true);
    shutdown(p);
  });

  it('replays exactly the unacknowledged frames after RESUME, with fresh contexts', () => {
    const p = established({ ackEvery: 4 }, { ackEvery: 4 });
    const msgs = Array.from({ length: 15 }, (_, i) => `message number ${i} with some repeated text text text`);
    for (let i = 0; i < 10; i++) p.a.ep.send({ from: 'x', to: 'y', payload: msgs[i] });
    p.step('a');
    p.step('a');
    p.step('a');
    p.cut();
    for (let i = 10; i < 15; i++) p.a.ep.send({ from: 'x', to: 'y', payload: msgs[i] });
    p.reconnect();
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(msgs);
    shutdown(p);
  });

  it('a RESUME on the same live connection resets contexts on both ends and loses nothing', () => {
    const p = established();
    const msgs = Array.from({ length: 8 }, (_, i) => `{"n":${i},"text":"same connection resume test, repeated repeated repeated"}`);
    for (let i = 0; i < 4; i++) p.a.ep.send({ from: 'x', to: 'y', payload: msgs[i], codec: 'bytes+ctx' });
    p.step('a');
    p.a.ep.resume();
    for (let i = 4; i < 8; i++) p.a.ep.send({ from: 'x', to: 'y', payload: msgs[i], codec: 'bytes+ctx' });
    p.b.ep.send({ from: 'y', to: 'x', payload: 'reply after resume', codec: 'bytes+ctx' });
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(msgs);
    expect(p.a.delivered.map((m) => text(m.payload))).toEqual(['reply after resume']);
    expect(p.a.closed).toEqual([]);
    expect(p.b.closed).toEqual([]);
    shutdown(p);
  });

  it('resumeTarget finds the session id in a new connection\'s first chunk', () => {
    expect(resumeTarget(encodeControlFrame('RESUME', { sessionId: 'sess-1', lastSeq: 3 }))).toBe('sess-1');
    expect(resumeTarget(unhex('060000'))).toBeUndefined();
    expect(resumeTarget(unhex('0900'))).toBeUndefined();
    expect(resumeTarget(unhex('ff'))).toBeUndefined();
  });

  it('property: with the connection dropped at random points, every message arrives exactly once, in order, both ways', () => {
    type Act = { t: 'sendA' | 'sendB'; codec: 'auto' | 'raw' | 'bytes+ctx' | 'brotli' } | { t: 'stepA' | 'stepB' } | { t: 'cut' } | { t: 'resumeLive' };
    const act: fc.Arbitrary<Act> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('sendA' as const, 'sendB' as const), codec: fc.constantFrom('auto' as const, 'raw' as const, 'bytes+ctx' as const, 'brotli' as const) }) },
      { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('stepA' as const, 'stepB' as const) }) },
      { weight: 1, arbitrary: fc.constant({ t: 'cut' as const }) },
      { weight: 1, arbitrary: fc.constant({ t: 'resumeLive' as const }) },
    );
    fc.assert(
      fc.property(fc.array(act, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (acts, ackEvery) => {
        const p = established({ ackEvery }, { ackEvery });
        const sentA: string[] = [];
        const sentB: string[] = [];
        let down = false;
        for (const a of acts) {
          if (a.t === 'sendA' || a.t === 'sendB') {
            const list = a.t === 'sendA' ? sentA : sentB;
            const msg = `{"from":"${a.t}","n":${list.length},"body":"${'lorem ipsum '.repeat(list.length % 7)}"}`;
            if ((a.t === 'sendA' ? p.a : p.b).ep.send({ from: a.t, to: 'peer', payload: msg, codec: a.codec })) list.push(msg);
          } else if (a.t === 'cut') {
            if (!down) p.cut();
            down = true;
          } else if (a.t === 'resumeLive') {
            if (!down) p.a.ep.resume();
          } else if (down) {
            p.reconnect();
            down = false;
          } else {
            p.step(a.t === 'stepA' ? 'a' : 'b');
          }
          vi.advanceTimersByTime(30);
        }
        if (down) p.reconnect();
        p.pump();
        expect(p.b.delivered.map((m) => text(m.payload))).toEqual(sentA);
        expect(p.a.delivered.map((m) => text(m.payload))).toEqual(sentB);
        expect(p.a.closed).toEqual([]);
        expect(p.b.closed).toEqual([]);
        shutdown(p);
      }),
      { numRuns: 80, endOnFailure: true },
    );
  });
});

describe('SessionEndpoint protocol errors close the session, never throw', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function responder(): { ep: SessionEndpoint; out: Uint8Array[]; closed: ClosedInfo[] } {
    const ep = new SessionEndpoint({ role: 'responder', nodeId: 'r' });
    const out: Uint8Array[] = [];
    const closed: ClosedInfo[] = [];
    ep.onSend = (b) => out.push(b);
    ep.onClosed = (i) => closed.push(i);
    ep.start();
    return { ep, out, closed };
  }

  it('DATA before the handshake', () => {
    const r = responder();
    r.ep.receive(encodeDataFrame({ seq: 1, from: 'a', to: 'b', codec: Codec.raw, payload: new Uint8Array(1) }));
    expect(r.closed).toMatchObject([{ reason: 'PROTOCOL_ERROR', by: 'local' }]);
    expect(r.out.at(-1)?.[0]).toBe(0x08);
  });

  it('an unknown frame type byte', () => {
    const r = responder();
    r.ep.receive(unhex('0a 00 00'));
    expect(r.closed).toMatchObject([{ reason: 'PROTOCOL_ERROR', error: { code: 'UNKNOWN_FRAME_TYPE' } }]);
  });

  it('garbage msgpack in HELLO', () => {
    const r = responder();
    r.ep.receive(unhex('01 00 01 c1'));
    expect(r.closed).toMatchObject([{ reason: 'PROTOCOL_ERROR', error: { code: 'MALFORMED_FRAME' } }]);
  });

  const cases: [string, (p: Pair) => Uint8Array, string][] = [
    ['a RESUME for another session', () => encodeControlFrame('RESUME', { sessionId: 'nope', lastSeq: 0 }), 'WRONG_SESSION'],
    ['an ACK for a frame never sent', () => encodeAckFrame(5), 'PROTOCOL_ERROR'],
    ['a sequence gap', () => encodeDataFrame({ seq: 2, from: 'a', to: 'b', codec: Codec.raw, payload: new Uint8Array(1) }), 'SEQUENCE_GAP'],
    ['a corrupt context payload', () => encodeDataFrame({ seq: 1, from: 'a', to: 'b', codec: Codec['bytes+ctx'], payload: unhex('ffffffff') }), 'DECOMPRESS_FAILED'],
    ['a codec that was not agreed', () => encodeDataFrame({ seq: 1, from: 'a', to: 'b', codec: Codec.tokens, payload: unhex('01') }), 'PROTOCOL_ERROR'],
    ['control flags set', () => unhex('06 01 00'), 'MALFORMED_FRAME'],
  ];
  it.each(cases)('after the handshake: %s', (_n, bytes, code) => {
    const p = established({}, { capabilities: { codecs: ['bytes+ctx', 'raw'] } });
    p.b.ep.receive(bytes(p));
    expect(p.b.closed).toMatchObject([{ reason: 'PROTOCOL_ERROR', error: { code } }]);
    p.pump();
    expect(p.a.closed).toMatchObject([{ reason: 'PROTOCOL_ERROR', by: 'peer' }]);
    expect(() => p.b.ep.send({ from: 'a', to: 'b', payload: 'x' })).toThrow(expect.objectContaining({ code: 'SESSION_CLOSED' }));
  });

  it('hands back unacknowledged messages when the session closes', () => {
    const p = established();
    const handed: unknown[] = [];
    p.a.ep.onClosed = (_i, unacked) => handed.push(...unacked.map((m) => text(m.payload)));
    p.a.ep.send({ from: 'x', to: 'y', payload: 'never acked' });
    p.a.ep.close();
    vi.advanceTimersByTime(10_000);
    expect(handed).toEqual(['never acked']);
  });

  it('100k DATA frames leave nothing behind in the resend buffer', () => {
    const p = established();
    p.a.ep.onSend = (b) => p.b.ep.receive(b);
    p.b.ep.onSend = (b) => p.a.ep.receive(b);
    let n = 0;
    p.b.ep.onDeliver = () => n++;
    const payload = new Uint8Array(64).fill(65);
    for (let i = 0; i < 100_000; i++) p.a.ep.send({ from: 'x', to: 'y', payload, codec: 'raw' });
    expect(n).toBe(100_000);
    expect(p.a.ep.stats.unacked).toBeLessThan(32);
    expect(p.a.ep.stats.unackedBytes).toBeLessThan(32 * 64);
  });
});
