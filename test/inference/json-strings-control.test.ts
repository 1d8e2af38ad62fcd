import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldControl } from '../../inference/json-strings-control.js';

// eslint-disable-next-line no-control-regex -- the reference for the characters being looked for
const CONTROL = /[\u0000-\u001f]/;

describe('mayHoldControl', () => {
  it('runs the WebAssembly check here (Node has SIMD): a clean text is a sure no', () => {
    expect(mayHoldControl('')).toBe(false);
    expect(mayHoldControl('{"a":"b c"}')).toBe(false);
  });

  it('finds every control character at every offset around the 16-byte steps, after one-, two- and three-byte characters', () => {
    for (const filler of ['a', 'é', '€', '\ud83d\ude00']) {
      for (let code = 0; code < 0x20; code++) {
        for (let at = 0; at < 40; at++) {
          const text = filler.repeat(at) + String.fromCharCode(code) + 'z'.repeat(at % 7);
          expect(mayHoldControl(text), `${code} at ${at} after ${filler}`).toBe(true);
        }
      }
    }
  });

  it('does not flag space, DEL, Latin-1 controls, surrogates or other characters', () => {
    const clean = ' \u007f\u0080\u009f\u00a0\u2028\u2029\ufeff\ud800\udfff\uffff~';
    for (let at = 0; at < 40; at++) expect(mayHoldControl('x'.repeat(at) + clean)).toBe(false);
  });

  it('agrees with a regex on any text (no false answers; true only for texts too long to check)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(mayHoldControl(s)).toBe(CONTROL.test(s));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\u0000', 'é', '\ud83d'), maxLength: 300 }), (s) => {
      expect(mayHoldControl(s)).toBe(CONTROL.test(s));
    }), { numRuns: 1000 });
  });

  it('is not fooled by bytes left from a longer earlier text', () => {
    expect(mayHoldControl(`${'a'.repeat(100)}\n`)).toBe(true);
    for (let n = 0; n < 120; n++) expect(mayHoldControl('a'.repeat(n))).toBe(false);
  });

  it('says "maybe" for texts longer than its memory, and checks texts just under it', () => {
    expect(mayHoldControl('a'.repeat(40_000))).toBe(false);
    expect(mayHoldControl(`${'a'.repeat(39_999)}\u0001`)).toBe(true);
    expect(mayHoldControl('€'.repeat(43_000))).toBe(false);
    expect(mayHoldControl('a'.repeat(50_000))).toBe(true);
  });
});
