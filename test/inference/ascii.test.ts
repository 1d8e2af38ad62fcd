import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiBytes, isAscii } from '../../inference/ascii.js';

describe('isAscii', () => {
  it('answers for each text, also when asked about the same or another text again', () => {
    expect(isAscii('')).toBe(true);
    expect(isAscii('plain text\n\t~')).toBe(true);
    expect(isAscii('plain text\n\t~')).toBe(true);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('\u0080')).toBe(false);
    expect(isAscii('\u007f')).toBe(true);
    expect(isAscii('😀')).toBe(false);
    expect(isAscii('cafe')).toBe(true);
  });
});

describe('asciiBytes', () => {
  it('holds the code units of the text asked about last, also after a longer or shorter text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 6000 }), { minLength: 1, maxLength: 6 }), (texts) => {
        for (const t of texts) {
          const b = asciiBytes(t);
          expect(b.length).toBeGreaterThanOrEqual(t.length);
          const got = Array.from(b.subarray(0, t.length));
          expect(got).toEqual(Array.from(t, (c) => c.charCodeAt(0)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the same text again, or an equal string built anew, gives the same bytes', () => {
    const a = 'x'.repeat(10) + 'abc';
    expect(String.fromCharCode(...asciiBytes(a).subarray(0, a.length))).toBe(a);
    asciiBytes('zzzzzzzzzzzzz');
    const again = ['x'.repeat(10), 'abc'].join('');
    expect(String.fromCharCode(...asciiBytes(again).subarray(0, again.length))).toBe(a);
  });
});

describe('isAscii on arbitrary UTF-16', () => {
  it('equals the absence of a code unit above U+007F, lone surrogates included', () => {
    const unit = fc.constantFrom('a', '~', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '€', '\uffff', '\ud800', '\udc00', '😀', ' ', '\n');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (s) => {
        expect(isAscii(s)).toBe(!/[\u0080-\uffff]/.test(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isAscii and asciiBytes together (isAscii fills the byte scratch)', () => {
  it('bytes stay right whatever mix of ASCII and other texts was asked about before', () => {
    const unit = fc.constantFrom('a', 'Z', ' ', '\n', '\x00', '\x7f', 'é', '€', '😀', '\ud800', '\udc00', 'ı');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit, maxLength: 5000 }), fc.boolean()), { minLength: 1, maxLength: 8 }), (steps) => {
        for (const [t, bytesToo] of steps) {
          const want = !/[\u0080-\uffff]/.test(t);
          expect(isAscii(t)).toBe(want);
          if (want && bytesToo) expect(Array.from(asciiBytes(t).subarray(0, t.length))).toEqual(Array.from(t, (c) => c.charCodeAt(0)));
        }
        // The ASCII texts again, in reverse order, after all of them were asked about.
        for (const [t] of [...steps].reverse()) {
          if (/[\u0080-\uffff]/.test(t)) continue;
          expect(isAscii(t)).toBe(true);
          expect(Array.from(asciiBytes(t).subarray(0, t.length))).toEqual(Array.from(t, (c) => c.charCodeAt(0)));
        }
      }),
      { numRuns: 150 },
    );
  });
});

it('asciiBytes after isAscii wrote another (non-ASCII) text into the scratch gives the asked text\'s bytes', () => {
  const a = 'abc xyz '.repeat(10);
  expect(isAscii(a)).toBe(true);
  expect(asciiBytes(a)[0]).toBe(0x61);
  expect(isAscii('é€'.repeat(30))).toBe(false);
  expect(Array.from(asciiBytes(a).subarray(0, a.length))).toEqual(Array.from(a, (c) => c.charCodeAt(0)));
  expect(isAscii('zzz')).toBe(true);
  expect(Array.from(asciiBytes(a).subarray(0, a.length))).toEqual(Array.from(a, (c) => c.charCodeAt(0)));
});
