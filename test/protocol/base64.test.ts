import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../protocol/base64.js';
import { isM2MError } from '../../protocol/errors.js';

describe('strict base64', () => {
  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
      }),
    );
  });
  it.each([
    ['sk0L/Q4', 'INVALID_BASE64'], // truncated
    ['sk0L/Q4A=', 'INVALID_BASE64'], // bad length
    ['sk0L-Q4A', 'INVALID_BASE64'], // url alphabet
    ['sk0L/Q4B', 'ok'],
    ['qQ==', 'ok'],
    ['qR==', 'INVALID_BASE64'], // non-canonical padding bits
  ])('%s → %s', (input, expected) => {
    let got = 'ok';
    try {
      fromBase64(input);
    } catch (e) {
      got = isM2MError(e) ? e.code : 'untyped';
    }
    expect(got).toBe(expected);
  });
});
