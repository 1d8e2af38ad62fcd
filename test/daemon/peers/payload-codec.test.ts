import { describe, expect, it } from 'vitest';
import { localOffer, PayloadCodec } from '../../../daemon/peers/payload-codec.js';

describe('PayloadCodec', () => {
  it('agrees on context compression when both offer it, and round-trips a stream of bodies smaller than JSON', () => {
    const a = new PayloadCodec(localOffer(true), localOffer(true));
    const b = new PayloadCodec(localOffer(true), localOffer(true));
    expect(a.codecs).toEqual(['bytes+ctx', 'raw']);
    let json = 0;
    let wire = 0;
    for (let i = 0; i < 50; i++) {
      const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `question number ${i} about the quarterly report` }], temperature: 0.2 });
      const { codec, payload } = a.encode(body);
      expect(b.decode(codec, payload)).toBe(body);
      json += body.length;
      wire += payload.length;
    }
    expect(wire / json).toBeLessThan(0.5);
    a.close();
    b.close();
  });

  it('falls back to raw when the peer offers nothing else', () => {
    const a = new PayloadCodec(localOffer(true), {});
    expect(a.codecs).toEqual(['raw']);
    const { codec, payload } = a.encode('{"x":"y"}');
    expect(codec).toBe(0);
    expect(Buffer.from(payload).toString()).toBe('{"x":"y"}');
    a.close();
  });
});
