import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeTokenNative,
  decodeTokenNativeBinary,
  encodeTokenNative,
  encodeTokenNativeBinary,
} from '../../protocol/token-native.js';
import { ENCODINGS } from '../../protocol/tokenizers.js';
import { codeOf } from './error-code.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('TokenNative', () => {
  it('encodes the reference vectors', () => {
    expect(encodeTokenNative('Hello, world!', 'cl100k')).toBe('#TK|C|sk0L/Q4A');
    expect(encodeTokenNative('Hello, world!', 'o200k')).toBe('#TK|O|qWcLxxIA');
    expect(hex(encodeTokenNativeBinary('Hello, world!', 'cl100k'))).toBe('00b24d0bfd0e00');
    expect(hex(encodeTokenNativeBinary('Hello, world!', 'o200k'))).toBe('01a9670bc71200');
    expect(encodeTokenNative('Hello, world!', 'llama3').startsWith('#TK|L|')).toBe(true);
    expect(hex(encodeTokenNativeBinary('', 'llama3'))).toBe('02');
  });

  it('decodes the reference vectors', () => {
    expect(decodeTokenNative('#TK|C|sk0L/Q4A')).toBe('Hello, world!');
    expect(decodeTokenNative('#TK|O|qWcLxxIA')).toBe('Hello, world!');
    expect(decodeTokenNativeBinary(unhex('00b24d0bfd0e00'))).toBe('Hello, world!');
    expect(decodeTokenNative('#TK|C|')).toBe('');
  });

  it('round-trips arbitrary Unicode through every tokenizer, text and binary', () => {
    for (const enc of ENCODINGS) {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
          expect(decodeTokenNative(encodeTokenNative(s, enc))).toBe(s);
          expect(decodeTokenNativeBinary(encodeTokenNativeBinary(s, enc))).toBe(s);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('rejects malformed payloads with typed codes', () => {
    expect(codeOf(() => decodeTokenNative('#TK|X|sk0L/Q4A'))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => decodeTokenNative('#TK|CC|sk0L/Q4A'))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => decodeTokenNative('#TK|C'))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => decodeTokenNative('#TK|C|sk0L/Q4'))).toBe('INVALID_BASE64');
    expect(codeOf(() => decodeTokenNative('#TK|C|sk0L!Q4A'))).toBe('INVALID_BASE64');
    // b2 4d 0b fd: the last varint is cut off.
    expect(codeOf(() => decodeTokenNativeBinary(unhex('00b24d0bfd')))).toBe('VARINT_TRUNCATED');
    expect(codeOf(() => decodeTokenNativeBinary(unhex('00ffffffffff01')))).toBe('VARINT_OVERLONG');
    expect(codeOf(() => decodeTokenNativeBinary(unhex('00ffff7f')))).toBe('INVALID_TOKEN');
    expect(codeOf(() => decodeTokenNativeBinary(unhex('03b24d')))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => decodeTokenNativeBinary(new Uint8Array(0)))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => decodeTokenNativeBinary(unhex('00b24d0bfd0e00'), { maxTokens: 3 }))).toBe('TOO_MANY_TOKENS');
    expect(codeOf(() => decodeTokenNativeBinary(unhex('00b24d0bfd0e00'), { maxDecompressedBytes: 5 }))).toBe('DECOMPRESSED_TOO_LARGE');
  });
});
