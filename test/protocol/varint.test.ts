import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeVarints, encodeVarint, encodeVarints, readVarint } from '../../protocol/varint.js';
import { isM2MError } from '../../protocol/errors.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('varint', () => {
  it('encodes the reference vectors', () => {
    expect(hex(encodeVarint(0))).toBe('00');
    expect(hex(encodeVarint(127))).toBe('7f');
    expect(hex(encodeVarint(128))).toBe('8001');
    expect(hex(encodeVarint(300))).toBe('ac02');
    expect(hex(encodeVarints([9906, 11, 1917, 0]))).toBe('b24d0bfd0e00');
    expect(hex(encodeVarints([13225, 11, 2375, 0]))).toBe('a9670bc71200');
  });

  it('round-trips any safe integer list', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(300_000), fc.maxSafeNat())), (xs) => {
        const bytes = encodeVarints(xs);
        expect(decodeVarints(bytes, 0, bytes.length, 1e9, 10)).toEqual(xs);
      }),
    );
  });

  it('rejects truncated, overlong, non-minimal and overflowing input with typed codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isM2MError(e) ? e.code : 'untyped';
      }
      return 'no error';
    };
    expect(code(() => readVarint(unhex('ac'), 0))).toBe('VARINT_TRUNCATED');
    expect(code(() => decodeVarints(unhex('ffffffffff01')))).toBe('VARINT_OVERLONG');
    expect(code(() => readVarint(unhex('8000'), 0))).toBe('VARINT_OVERLONG');
    expect(code(() => readVarint(unhex('ffffffffffffffff7f'), 0))).toBe('VARINT_OVERFLOW');
    expect(code(() => decodeVarints(unhex('010203'), 0, 3, 2))).toBe('TOO_MANY_TOKENS');
  });
});
