import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { getEncoding } from 'js-tiktoken';
import { ENCODINGS, encodingFromByte, encodingFromLetter, getTokenizer, parseEncoding } from '../../protocol/tokenizers.js';
import { codeOf } from './error-code.js';

const DEV = '/work/shared/data/payloads.dev.jsonl';
const sampleRows = (every: number): string[] => {
  try {
    const lines = readFileSync(DEV, 'utf8').trim().split('\n');
    return lines.filter((_, i) => i % every === 0).map((l) => (JSON.parse(l) as { json: string }).json);
  } catch {
    return ['{"model":"gpt-4o","messages":[{"role":"user","content":"Hello, world!"}]}'];
  }
};

describe('tokenizers', () => {
  it('gives the reference IDs for "Hello, world!"', () => {
    expect(getTokenizer('cl100k').encode('Hello, world!')).toEqual([9906, 11, 1917, 0]);
    expect(getTokenizer('o200k').encode('Hello, world!')).toEqual([13225, 11, 2375, 0]);
    expect(getTokenizer('llama3').encode('Hello, world!')).toEqual([9906, 11, 1917, 0]);
  });

  it('llama3 passes the Llama 3 vectors shipped with llama3-tokenizer-js', () => {
    const pkg = createRequire(import.meta.url)('llama3-tokenizer-js') as { default: { runTests(): void } };
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(() => pkg.default.runTests()).not.toThrow();
    } finally {
      log.mockRestore();
    }
    expect(getTokenizer('llama3').encode('<|begin_of_text|>Hi')).toEqual([128000, 13347]);
  });

  it('maps wire letters and bytes', () => {
    expect(ENCODINGS.map((e) => getTokenizer(e).wireLetter)).toEqual(['C', 'O', 'L']);
    expect(encodingFromLetter('O')).toBe('o200k');
    expect(encodingFromByte(2)).toBe('llama3');
    expect(parseEncoding('cl100k_base')).toBe('cl100k');
    expect(parseEncoding('LLAMA3')).toBe('llama3');
    expect(parseEncoding('llama_bpe')).toBe('llama3');
    expect(codeOf(() => encodingFromLetter('X'))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => encodingFromByte(3))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => parseEncoding('p50k'))).toBe('UNKNOWN_TOKENIZER');
  });

  it('turns special tokens in text into special IDs, as encode_with_special_tokens', () => {
    const text = 'a <|endoftext|> b<|endofprompt|>x <|im_start|>';
    for (const [enc, tk] of [
      ['cl100k', 'cl100k_base'],
      ['o200k', 'o200k_base'],
    ] as const) {
      const ref = getEncoding(tk).encode(text, 'all');
      const ours = getTokenizer(enc).encode(text);
      expect(ours).toEqual(ref);
      expect(getTokenizer(enc).count(text)).toBe(ref.length);
      expect(getTokenizer(enc).decode(ours)).toBe(text);
    }
    expect(getTokenizer('o200k').encode('<|endofprompt|>')).toEqual([200018]);
    expect(getTokenizer('llama3').encode('<|end_of_text|>')).toEqual([128001]);
  });

  it('matches js-tiktoken IDs on a sample of the dev corpus', () => {
    const rows = sampleRows(12);
    for (const [enc, tk] of [
      ['cl100k', 'cl100k_base'],
      ['o200k', 'o200k_base'],
    ] as const) {
      const ref = getEncoding(tk);
      const t = getTokenizer(enc);
      for (const r of rows) {
        const ids = t.encode(r);
        expect(ids).toEqual(ref.encode(r, 'all'));
        expect(t.count(r)).toBe(ids.length);
        expect(t.decode(ids)).toBe(r);
      }
    }
  });

  it('round-trips arbitrary Unicode through every encoding', () => {
    for (const enc of ENCODINGS) {
      const t = getTokenizer(enc);
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
          expect(t.decode(t.encode(s))).toBe(s);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('bounds decoded size exactly from the per-token byte table', () => {
    for (const enc of ENCODINGS) {
      const t = getTokenizer(enc);
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
          const n = Buffer.byteLength(s, 'utf8');
          const ids = t.encode(s);
          expect(t.decode(ids, n)).toBe(s);
          if (n > 0) expect(codeOf(() => t.decode(ids, n - 1))).toBe('DECOMPRESSED_TOO_LARGE');
        }),
        { numRuns: 100 },
      );
    }
    expect(getTokenizer('cl100k').decode([100257], 13)).toBe('<|endoftext|>');
    expect(codeOf(() => getTokenizer('cl100k').decode([100261], 100))).toBe('INVALID_TOKEN');
    expect(codeOf(() => getTokenizer('llama3').decode([128256], 100))).toBe('INVALID_TOKEN');
  });

  it('rejects IDs outside the vocabulary and IDs that split a character', () => {
    expect(codeOf(() => getTokenizer('cl100k').decode([100261]))).toBe('INVALID_TOKEN');
    expect(codeOf(() => getTokenizer('cl100k').decode([-1]))).toBe('INVALID_TOKEN');
    expect(codeOf(() => getTokenizer('o200k').decode([199998]))).toBe('INVALID_TOKEN');
    expect(codeOf(() => getTokenizer('llama3').decode([128256]))).toBe('INVALID_TOKEN');
    expect(codeOf(() => getTokenizer('llama3').decode([1.5]))).toBe('INVALID_TOKEN');
    // The first byte of a multi-byte character alone is not valid UTF-8.
    const euro = getTokenizer('cl100k').encode('€');
    if (euro.length > 1) expect(codeOf(() => getTokenizer('cl100k').decode(euro.slice(0, 1)))).toBe('INVALID_UTF8');
  });
});
