import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { brotliCompress, brotliDecompress } from '../../protocol/brotli.js';
import { codeOf } from './error-code.js';

describe('brotli', () => {
  it('round-trips arbitrary bytes at several qualities', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 11 }), (bytes, quality) => {
        expect(brotliDecompress(brotliCompress(bytes, { quality }))).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('stops a bomb at the output bound with DECOMPRESSED_TOO_LARGE', () => {
    const bomb = brotliCompress(new Uint8Array(64 * 1024 * 1024), { quality: 5 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(codeOf(() => brotliDecompress(bomb))).toBe('DECOMPRESSED_TOO_LARGE');
    expect(codeOf(() => brotliDecompress(brotliCompress(new Uint8Array(2000)), { maxBytes: 1000 }))).toBe('DECOMPRESSED_TOO_LARGE');
    expect(brotliDecompress(brotliCompress(new Uint8Array(1000)), { maxBytes: 1000 }).length).toBe(1000);
  });

  it('reports corrupt and truncated streams as DECOMPRESS_FAILED', () => {
    const good = brotliCompress(new TextEncoder().encode('hello hello hello hello world'.repeat(20)));
    expect(codeOf(() => brotliDecompress(good.subarray(0, good.length - 3)))).toBe('DECOMPRESS_FAILED');
    expect(codeOf(() => brotliDecompress(Uint8Array.from([0xff, 0xff, 0xff, 0xff])))).toBe('DECOMPRESS_FAILED');
  });

  it('validates options', () => {
    expect(codeOf(() => brotliCompress(new Uint8Array(1), { quality: 12 }))).toBe('BAD_INPUT');
    expect(codeOf(() => brotliCompress(new Uint8Array(1), { lgwin: 9 }))).toBe('BAD_INPUT');
  });
});
