// decodeSegments with its prefilters and one-pass rot13 finder equals the plain finders it replaced.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSegments } from '../../inference/normalize-decode.js';
import { extractText } from '../../inference/extract.js';
import { referenceDecodeSegments } from './reference-decode.js';
import { corporaPresent, scanRows } from './scan-corpus.js';

// Pieces that build near-misses for every finder: hex pairs and separators, digits and codes, base64 runs,
// rot13'd and plain common words, sentence punctuation, escapes and non-ASCII spaces.
const PIECE = fc.constantFrom('ab', 'FF', '0x', '7f', ' ', ':', ',', '-', ';', '\n', '\t', '\u00a0', '\u2028', '\u3000', '72', '101', '108', '32', '126', '999',
  'gur', 'naq', 'lbh', 'vtaber', 'cerivbhf', 'the', 'and', 'you', 'ignore', 'Hello', 'aGVsbG8g', 'd29ybGQ=', '+/', '_-', '.', '!', '?', '"', '(', ')', '[', '{', '}',
  '\\x', '%20', '%41', 'é', 'Ж', '😀', 'abcdefghijklmnop', 'QUJDREVGR0hJSktMTU5PUA');

describe('decodeSegments equals the reference finders', () => {
  it('on texts built from finder near-misses', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 60 }), fc.constantFrom('', ' ', ', '), (parts, sep) => {
        const text = parts.join(sep);
        expect(decodeSegments(text)).toEqual(referenceDecodeSegments(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(decodeSegments(text)).toEqual(referenceDecodeSegments(text));
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(!corporaPresent())('on every corpus row and obfuscated/encoded copy', () => {
    for (const set of scanRows()) {
      for (const raw of set.texts) {
        const text = extractText(raw).text;
        expect(decodeSegments(text), `${set.name}: ${text.slice(0, 60)}`).toEqual(referenceDecodeSegments(text));
      }
    }
  }, 60_000);
});
