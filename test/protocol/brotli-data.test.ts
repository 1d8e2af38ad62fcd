import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BROTLI_DATA_PREFIX, decodeBrotliData, encodeBrotliData } from '../../protocol/brotli-data.js';
import { brotliCompress } from '../../protocol/brotli.js';
import { codeOf } from './error-code.js';

describe('#M2M[v3.0]|DATA:', () => {
  it('round-trips arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const wire = encodeBrotliData(s);
        expect(wire.startsWith(BROTLI_DATA_PREFIX)).toBe(true);
        expect(decodeBrotliData(wire)).toBe(s);
      }),
      { numRuns: 100 },
    );
  });

  it('decodes Brotli bytes from any encoder (here: a q1 stream)', () => {
    const wire = BROTLI_DATA_PREFIX + Buffer.from(brotliCompress(new TextEncoder().encode('{"a":"ü"}'), { quality: 1 })).toString('base64');
    expect(decodeBrotliData(wire)).toBe('{"a":"ü"}');
  });

  it('rejects wrong prefix, bad base64, corrupt stream, bombs and invalid UTF-8', () => {
    expect(codeOf(() => decodeBrotliData('#M2M[v3.0]|XYZ'))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => decodeBrotliData(`${BROTLI_DATA_PREFIX}abc`))).toBe('INVALID_BASE64');
    expect(codeOf(() => decodeBrotliData(`${BROTLI_DATA_PREFIX}AAAA`))).toBe('DECOMPRESS_FAILED');
    expect(codeOf(() => decodeBrotliData(encodeBrotliData('y'.repeat(5000)), { maxDecompressedBytes: 4999 }))).toBe('DECOMPRESSED_TOO_LARGE');
    const bad = BROTLI_DATA_PREFIX + Buffer.from(brotliCompress(Uint8Array.from([0xc3]))).toString('base64');
    expect(codeOf(() => decodeBrotliData(bad))).toBe('INVALID_UTF8');
  });
});
