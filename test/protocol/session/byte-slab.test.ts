import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteSlab } from '../../../protocol/session/byte-slab.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ByteSlab', () => {
  it('hands out zeroed, non-overlapping views of one slab', () => {
    const slab = new ByteSlab(64, 16);
    const a = slab.alloc(5);
    const b = slab.alloc(3);
    expect(hex(a)).toBe('0000000000');
    a.fill(0xaa);
    b.fill(0xbb);
    expect(hex(a)).toBe('aaaaaaaaaa');
    expect(hex(b)).toBe('bbbbbb');
    expect(a.buffer).toBe(b.buffer);
    // Eight-byte steps: b starts at 8.
    expect(b.byteOffset).toBe(8);
  });

  it('starts a new slab when the current one is full and never reuses memory', () => {
    const slab = new ByteSlab(32, 16);
    const views = [slab.alloc(16), slab.alloc(16), slab.alloc(16)];
    expect(views[0].buffer).toBe(views[1].buffer);
    expect(views[2].buffer).not.toBe(views[0].buffer);
    views.forEach((v, i) => v.fill(i + 1));
    expect(views.map(hex)).toEqual(['01'.repeat(16), '02'.repeat(16), '03'.repeat(16)]);
  });

  it('gives long arrays their own buffer', () => {
    const slab = new ByteSlab(64, 16);
    const big = slab.alloc(17);
    expect(big.byteLength).toBe(17);
    expect(big.buffer.byteLength).toBe(17);
  });

  it('copy() equals slice()', () => {
    const slab = new ByteSlab(64, 16);
    const src = Uint8Array.from([1, 2, 3, 0xff]);
    const c = slab.copy(src);
    src[0] = 9;
    expect(hex(c)).toBe('010203ff');
  });

  it('utf8() and utf8Pair() encode as TextEncoder does, from a slab or not', () => {
    const enc = new TextEncoder();
    const slab = new ByteSlab(256, 64);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (a, b) => {
        expect(hex(slab.utf8(a))).toBe(hex(enc.encode(a)));
        expect(hex(slab.utf8Pair(a, 0x0a, b))).toBe(hex(enc.encode(`${a}\n${b}`)));
      }),
    );
  });

  it('utf8Pair() with a known vector', () => {
    const slab = new ByteSlab();
    expect(hex(slab.utf8Pair('["u"]', 0x0a, '{"é":1}'))).toBe('5b2275225d0a7b22c3a9223a317d');
  });

  it('views stay intact after later allocations (no reuse)', () => {
    const slab = new ByteSlab(64, 32);
    const kept = slab.utf8('hello');
    for (let i = 0; i < 50; i++) slab.alloc(24).fill(0xee);
    expect(Buffer.from(kept).toString('utf8')).toBe('hello');
  });
});
