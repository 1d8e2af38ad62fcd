import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePair } from './pair.js';

const text = (u: Uint8Array): string => new TextDecoder().decode(u);

describe('SessionEndpoint over an in-memory pair', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('handshakes, agrees and delivers in order with every codec', () => {
    const p = makePair();
    p.a.ep.start();
    p.b.ep.start();
    p.pump();
    expect(p.a.ep.state).toBe('established');
    expect(p.b.ep.state).toBe('established');
    expect(p.a.ep.sessionId).toBe('sess-1');
    expect(p.a.ep.agreed).toEqual(p.b.ep.agreed);
    const codecs = ['raw', 'tokens', 'tokens+ctx', 'bytes+ctx', 'brotli', 'text', 'auto'] as const;
    for (const c of codecs) {
      for (let i = 0; i < 3; i++) expect(p.a.ep.send({ from: 'x', to: 'y', payload: `{"codec":"${c}","i":${i},"text":"hello hello hello world"}`, codec: c })).toBe(true);
    }
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(codecs.flatMap((c) => [0, 1, 2].map((i) => `{"codec":"${c}","i":${i},"text":"hello hello hello world"}`)));
    expect(p.b.delivered.map((m) => m.seq)).toEqual(Array.from({ length: codecs.length * 3 }, (_, i) => i + 1));
  });

  it('replays exactly the unacknowledged frames after RESUME', () => {
    const p = makePair({ ackEvery: 4 }, { ackEvery: 4 });
    p.a.ep.start();
    p.b.ep.start();
    p.pump();
    for (let i = 0; i < 10; i++) p.a.ep.send({ from: 'x', to: 'y', payload: `message number ${i} with some repeated text text text` });
    p.step('a');
    p.step('a');
    p.step('a');
    p.cut();
    for (let i = 10; i < 15; i++) p.a.ep.send({ from: 'x', to: 'y', payload: `message number ${i} with some repeated text text text` });
    p.reconnect();
    p.pump();
    expect(p.b.delivered.map((m) => text(m.payload))).toEqual(Array.from({ length: 15 }, (_, i) => `message number ${i} with some repeated text text text`));
  });
});
