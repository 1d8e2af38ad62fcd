import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LengthPrefixDecoder, lengthPrefix } from '../../transports/framing.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

function decodeAll(chunks: Uint8Array[], max = 1 << 20): string[] {
  const d = new LengthPrefixDecoder(max);
  const out: string[] = [];
  for (const c of chunks) d.push(c, (m) => out.push(hex(m)));
  return out;
}

describe('length-prefix framing', () => {
  it('encodes a u32 big-endian prefix', () => {
    expect(hex(lengthPrefix(0))).toBe('00000000');
    expect(hex(lengthPrefix(3))).toBe('00000003');
    expect(hex(lengthPrefix(0x01020304))).toBe('01020304');
    expect(hex(lengthPrefix(0xffffffff))).toBe('ffffffff');
  });

  it('decodes several messages from one chunk, including an empty one', () => {
    expect(decodeAll([unhex('00000003 aabbcc 00000000 00000001 ff')])).toEqual(['aabbcc', '', 'ff']);
  });

  it('waits for the rest when a prefix or body is split', () => {
    expect(decodeAll([unhex('0000'), unhex('00'), unhex('02aa'), unhex('bb00000001'), unhex('cc')])).toEqual(['aabb', 'cc']);
  });

  it('rejects a prefix over the limit before buffering the body', () => {
    const d = new LengthPrefixDecoder(16);
    expect(() => d.push(unhex('00000011'), () => {})).toThrow(expect.objectContaining({ code: 'PROTOCOL_VIOLATION' }));
    const e = new LengthPrefixDecoder(16);
    e.push(unhex('00'), () => {});
    expect(() => e.push(unhex('ffffff'), () => {})).toThrow(expect.objectContaining({ code: 'PROTOCOL_VIOLATION' }));
  });

  it('reports bytes held for an incomplete message', () => {
    const d = new LengthPrefixDecoder(100);
    d.push(unhex('00000005 0102'), () => {});
    expect(d.bufferedBytes).toBe(6);
  });

  it('round-trips any messages split at any points', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (msgs, cuts) => {
        const wire = Buffer.concat(msgs.flatMap((m) => [lengthPrefix(m.length), m]));
        const chunks: Uint8Array[] = [];
        let off = 0;
        for (let i = 0; off < wire.length; i++) {
          const n = cuts[i % cuts.length];
          chunks.push(new Uint8Array(wire.subarray(off, off + n)));
          off += n;
        }
        expect(decodeAll(chunks)).toEqual(msgs.map(hex));
      }),
    );
  });
});
