import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LzEncoder } from '../../../protocol/session/lz-encoder.js';
import { LzDecoder } from '../../../protocol/session/lz-decoder.js';
import { M2MError } from '../../../protocol/errors.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** Deterministic pseudo-random bytes drawn from a small alphabet (compressible, but not trivially). */
function noise(n: number, seed: number, alphabet = 16): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = 0x61 + ((x >>> 0) % alphabet);
  }
  return out;
}

describe('m2m-lz-1 engine', () => {
  it('pins the wire format of a fresh context (hex fixtures)', () => {
    const e = new LzEncoder(16);
    // one range-coded stream: size 12, 3 literals, one match of 9 at distance 3
    expect(hex(e.compress(utf8('abcabcabcabc')))).toBe(FIXTURE_1);
    // the second frame refers back into the first (one rep match)
    expect(hex(e.compress(utf8('abcabc')))).toBe(FIXTURE_2);
    // an empty payload codes as nothing at all (the decoder reads zeros past the end)
    expect(hex(e.compress(new Uint8Array(0)))).toBe('');
    expect(new LzDecoder(16).decompress(new Uint8Array(0), 10).length).toBe(0);
  });

  it('round-trips any sequence of frames and keeps both ends in step', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 600 }).map(utf8)), { maxLength: 25 }), (frames) => {
        const e = new LzEncoder(16);
        const d = new LzDecoder(16);
        for (const f of frames) {
          const out = d.decompress(e.compress(f), 1 << 20);
          expect(same(out, f)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('repeated content gets much smaller, long matches and repeat distances included', () => {
    const e = new LzEncoder(18);
    const d = new LzDecoder(18);
    const msg = utf8(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(700) }], tools: [{ type: 'function', name: 'get_weather' }] }));
    const first = e.compress(msg);
    const second = e.compress(msg);
    expect(first.length).toBeLessThan(msg.length / 4);
    expect(second.length).toBeLessThan(16);
    expect(same(d.decompress(first, 1 << 20), msg)).toBe(true);
    expect(same(d.decompress(second, 1 << 20), msg)).toBe(true);
  });

  it('slides its history past the window and across 1 MiB pieces without losing sync', () => {
    const e = new LzEncoder(16);
    const d = new LzDecoder(16);
    // 2.5 MB in frames of up to 1.2 MB: the encoder's buffer (64 KiB + 1 MiB) slides several times.
    const sizes = [1_200_000, 300_000, 700_000, 5, 300_000];
    sizes.forEach((n, k) => {
      const block = noise(n, k + 1, 8);
      // repeat a stretch from 40 KB back so matches at long distances occur
      if (n > 100_000) block.copyWithin(n - 20_000, n - 60_000, n - 40_000);
      const out = d.decompress(e.compress(block), 1 << 21);
      expect(same(out, block)).toBe(true);
    });
  });

  it('long matches index only their ends: still in sync across slides, and inner pieces are still found', () => {
    const e = new LzEncoder(16);
    const d = new LzDecoder(16);
    const a = noise(4000, 11, 256);
    const sizes: number[] = [];
    for (let round = 0; round < 3; round++) {
      // a coded as literals (or one long match after the first round), again as one long match,
      // then a piece from its inside, then a 1.1 MB frame of one repeated 30 KB block, so long
      // matches run across the 512 KiB pieces and the history slides past the 64 KiB window.
      const filler = new Uint8Array(1_100_000);
      const block = noise(30_000, 20 + round, 256);
      for (let o = 0; o < filler.length; o += block.length) filler.set(block.subarray(0, filler.length - o), o);
      for (const f of [a, a, a.subarray(1500, 2500), filler]) {
        const enc = e.compress(f);
        sizes.push(enc.length);
        expect(same(d.decompress(enc, 1 << 21), f)).toBe(true);
      }
    }
    // second copy and inner piece: a few bytes each; the filler: its first block plus matches
    expect(sizes[1]).toBeLessThan(40);
    expect(sizes[2]).toBeLessThan(16);
    expect(sizes[3]).toBeLessThan(30_000 * 1.02 + 2000);
  });

  it('codes base64 blobs at close to 6 bits per character, and binary and text around them', () => {
    const e = new LzEncoder(16);
    const d = new LzDecoder(16);
    const blob = Buffer.from(noise(30_000, 7, 256)).toString('base64');
    const frames = [utf8(`{"type":"image","data":"${blob}"}`), utf8(`{"signature":"${blob.slice(0, 5000)}x${blob.slice(9000, 12000)}"}`), noise(3000, 9, 256)];
    let size = 0;
    for (const f of frames) {
      const enc = e.compress(f);
      size += enc.length;
      expect(same(d.decompress(enc, 1 << 20), f)).toBe(true);
    }
    // the first blob costs ~6 bits per character; the second frame is mostly two matches into it
    expect(size).toBeLessThan(blob.length * 0.78 + 3000 + 400);
  });

  it('folds its byte count back below 2^31 past 2^30 bytes and stays in step', () => {
    const e = new LzEncoder(16);
    const d = new LzDecoder(16);
    // As if 2^30 - 3·2^16 bytes had been decoded already (the ring is all zeros either way, so a
    // fresh encoder's frames decode the same): the frames below cross the fold.
    const view = d as unknown as { total: number };
    view.total = 2 ** 30 - 3 * 2 ** 16;
    const blob = Buffer.from(noise(40_000, 5, 256)).toString('base64');
    for (let k = 0; k < 8; k++) {
      const f = utf8(`{"n":${k},"data":"${blob.slice(k * 1000, k * 1000 + 30_000)}","tail":"${'ab'.repeat(k * 50)}"}`);
      expect(same(d.decompress(e.compress(f), 1 << 20), f)).toBe(true);
    }
    expect(view.total).toBeLessThan(2 ** 30);
    expect(view.total).toBeGreaterThanOrEqual(2 ** 16);
  });

  it('clones are independent and start from the same state', () => {
    const e = new LzEncoder(16);
    const d = new LzDecoder(16);
    d.decompress(e.compress(utf8('{"role":"assistant","content":"hello"}')), 1000);
    const e2 = e.clone();
    const d2 = d.clone();
    const m = utf8('{"role":"assistant","content":"hello again"}');
    const a = e.compress(m);
    expect(hex(e2.compress(m))).toBe(hex(a));
    expect(same(d2.decompress(a, 1000), m)).toBe(true);
    expect(same(d.decompress(a, 1000), m)).toBe(true);
  });

  it('checks the declared size before allocating and refuses oversize frames', () => {
    const e = new LzEncoder(16);
    const f = e.compress(new Uint8Array(5000).fill(120));
    expect(() => new LzDecoder(16).decompress(f, 4999)).toThrow(expect.objectContaining({ code: 'DECOMPRESSED_TOO_LARGE' }));
    // d8 ff ff ff declares a size above 2^24: refused before anything is allocated
    expect(() => new LzDecoder(16).decompress(Buffer.from(HUGE, 'hex'), 1 << 24)).toThrow(expect.objectContaining({ code: 'DECOMPRESSED_TOO_LARGE' }));
    // ff ff ff ff would need 31 size bits: corrupt
    expect(() => new LzDecoder(16).decompress(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), 1 << 24)).toThrow(expect.objectContaining({ code: 'DECOMPRESS_FAILED' }));
  });

  it('a context that saw a corrupt frame stays unusable', () => {
    const d = new LzDecoder(16);
    // a small size, then bits that decode to a match before any history exists
    expect(() => d.decompress(Buffer.from('18ffffffff', 'hex'), 100)).toThrow(expect.objectContaining({ code: 'DECOMPRESS_FAILED' }));
    expect(() => d.decompress(new Uint8Array(0), 100)).toThrow(expect.objectContaining({ code: 'DECOMPRESS_FAILED' }));
  });

  it('random input never escapes the bounds: either M2MError or at most the declared size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 3000 }), (junk, size) => {
        const d = new LzDecoder(16);
        const enc = new LzEncoder(16).compress(new Uint8Array(size));
        // keep the real size prefix (the first byte or two) and replace the rest with junk
        const frame = new Uint8Array([...enc.subarray(0, Math.min(2, enc.length)), ...junk]);
        try {
          const out = d.decompress(frame, 2000);
          expect(out.length).toBeLessThanOrEqual(2000);
        } catch (e) {
          expect(e).toBeInstanceOf(M2MError);
          expect(['DECOMPRESS_FAILED', 'DECOMPRESSED_TOO_LARGE']).toContain((e as M2MError).code);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const FIXTURE_1 = '24303acde6c4';
const FIXTURE_2 = '1ec6';
const HUGE = 'd8ffffff';

describe('m2m-lz-1 absorb (history fed by another codec)', () => {
  it('absorbed bytes become history at both ends: a repeat of them costs a few bytes', () => {
    const enc = new LzEncoder(16);
    const dec = new LzDecoder(16);
    const text = new TextEncoder().encode('{"role":"user","content":"the quarterly revenue report for every customer region"}'.repeat(3));
    enc.absorb(text);
    dec.absorb(text);
    const frame = enc.compress(text);
    expect(frame.length).toBeLessThan(12);
    expect(Buffer.from(dec.decompress(frame, 1 << 20)).equals(Buffer.from(text))).toBe(true);
    const cold = new LzEncoder(16).compress(text);
    expect(cold.length).toBeGreaterThan(frame.length * 4);
  });

  it('any interleaving of frames and absorbed payloads round-trips, also past the window and the ring', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ absorb: fc.boolean(), data: fc.uint8Array({ maxLength: 3000 }), repeat: fc.nat(40) }), { minLength: 1, maxLength: 25 }),
        (steps) => {
          const enc = new LzEncoder(16);
          const dec = new LzDecoder(16);
          for (const s of steps) {
            const bytes = new Uint8Array(s.data.length * (s.repeat + 1));
            for (let r = 0; r <= s.repeat; r++) bytes.set(s.data, r * s.data.length);
            if (s.absorb) {
              enc.absorb(bytes);
              dec.absorb(bytes);
            } else {
              const out = dec.decompress(enc.compress(bytes), 1 << 24);
              expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
