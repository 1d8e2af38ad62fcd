import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALGORITHMS, analyze, compress, compressAuto, decompress, detectAlgorithm, parseAlgorithm } from '../../protocol/codec-engine.js';
import { decodeBrotliData, encodeBrotliData } from '../../protocol/brotli-data.js';
import { brotliCompress } from '../../protocol/brotli.js';
import { isM2MError } from '../../protocol/errors.js';
import { codeOf } from './error-code.js';

const DEV = '/work/shared/data/payloads.dev.jsonl';
const rows = ((): string[] => {
  try {
    return readFileSync(DEV, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { json: string }).json);
  } catch {
    return [];
  }
})();

const CHAT = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are a helpful assistant that answers briefly.' },
    { role: 'user', content: 'What is the capital of France? Please answer in one word.' },
  ],
  temperature: 0.2,
});

describe('codec engine', () => {
  it('parses algorithm names and aliases', () => {
    expect(['auto', 'tn', 'token-native', 'token', 't1', 'br', 'm', 'n'].map(parseAlgorithm)).toEqual([
      'auto', 'token-native', 'token-native', 't1', 't1', 'brotli', 'm2m', 'none',
    ]);
    expect(codeOf(() => parseAlgorithm('zip'))).toBe('UNKNOWN_ALGORITHM');
  });

  it('dispatches by prefix and passes unknown prefixes through', () => {
    expect(detectAlgorithm('#TK|C|sk0L/Q4A')).toBe('token-native');
    expect(detectAlgorithm('#M2M|1|AAAA')).toBe('m2m');
    expect(detectAlgorithm('#M2M[v3.0]|DATA:')).toBe('brotli');
    expect(detectAlgorithm('#T1|{}')).toBe('t1');
    expect(decompress('#TK|C|sk0L/Q4A')).toBe('Hello, world!');
    for (const s of ['hello', '', '#M2M[v2.0]|DATA:eJw=', '#M3|x', '#M2M|abc', '{"a":1}']) expect(decompress(s)).toBe(s);
  });

  it('types corrupt bodies behind known prefixes', () => {
    expect(codeOf(() => decompress('#M2M[v3.0]|DATA:!!!!'))).toBe('INVALID_BASE64');
    expect(codeOf(() => decompress('#M2M[v3.0]|XYZ'))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => decompress('#M2M[v3.0]|DATA:AAAA'))).toBe('DECOMPRESS_FAILED');
    expect(codeOf(() => decompress('#TK|Q|AAAA'))).toBe('UNKNOWN_TOKENIZER');
    expect(codeOf(() => decompress('#T1|nope'))).toBe('CORRUPT_PAYLOAD');
    const bomb = `#M2M[v3.0]|DATA:${Buffer.from(brotliCompress(new Uint8Array(32 * 1024 * 1024), { quality: 5 })).toString('base64')}`;
    expect(codeOf(() => decompress(bomb))).toBe('DECOMPRESSED_TOO_LARGE');
    expect(codeOf(() => decompress(encodeBrotliData('x'.repeat(2000)), { limits: { maxDecompressedBytes: 1000 } }))).toBe('DECOMPRESSED_TOO_LARGE');
    const notUtf8 = `#M2M[v3.0]|DATA:${Buffer.from(brotliCompress(Uint8Array.from([0xff, 0xfe]))).toString('base64')}`;
    expect(codeOf(() => decompress(notUtf8))).toBe('INVALID_UTF8');
  });

  it('round-trips arbitrary text through every codec that accepts it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.json({ maxDepth: 3 })), (s) => {
        for (const a of ALGORITHMS) {
          let wire: string;
          try {
            wire = compress(s, a).data;
          } catch (e) {
            expect(isM2MError(e, 'INVALID_JSON')).toBe(true);
            continue;
          }
          if (a === 'none' && detectAlgorithm(s) !== 'none') continue;
          expect(decompress(wire)).toBe(s);
        }
        const auto = compressAuto(s);
        if (detectAlgorithm(s) === 'none') expect(auto.compressedBytes).toBeLessThanOrEqual(Buffer.byteLength(s));
        expect(decompress(auto.data)).toBe(s);
      }),
      { numRuns: 120 },
    );
    expect(decodeBrotliData(encodeBrotliData('héllo ✓'))).toBe('héllo ✓');
  });

  it('compressAuto sends short input as is and never grows the input', () => {
    expect(compressAuto('{"a":1}')).toMatchObject({ algorithm: 'none', data: '{"a":1}' });
    // Text that looks like a wire string is never sent as is.
    for (const s of ['#TK|C|x', '#T1|hello', '#M2M|1|abc']) {
      const r = compressAuto(s);
      expect(r.algorithm).not.toBe('none');
      expect(decompress(r.data)).toBe(s);
    }
    const big = JSON.stringify({ model: 'gpt-4o', messages: Array.from({ length: 30 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message number ${i} says hello` })) });
    const r = compressAuto(big);
    expect(r.algorithm).not.toBe('none');
    expect(r.compressedBytes).toBeLessThan(big.length / 2);
    expect(decompress(r.data)).toBe(big);
  });

  it('analyzes content', () => {
    const a = analyze(CHAT);
    expect(a).toMatchObject({ isJson: true, isLlmApi: true, hasTools: false, length: CHAT.length });
    expect(a.tokens.cl100k).toBeGreaterThan(10);
    expect(a.algorithms.map((x) => x.algorithm)).toEqual([...ALGORITHMS]);
    expect(analyze('plain words '.repeat(20)).algorithms.map((x) => x.algorithm)).toEqual(['none', 'token-native', 'brotli']);
    expect(analyze('plain words '.repeat(20)).repetition).toBeGreaterThan(0.8);
    expect(analyze('{"tools":[]}').hasTools).toBe(true);
  });

  // One case per codec so each gets its own timeout; Brotli q11 dominates (≈3 s unloaded).
  for (const a of ALGORITHMS) {
    it.skipIf(rows.length === 0)(`round-trips every row of payloads.dev.jsonl through ${a}`, { timeout: 90_000 }, () => {
      const failures: number[] = [];
      for (const [i, json] of rows.entries()) if (decompress(compress(json, a).data) !== json) failures.push(i);
      expect(failures).toEqual([]);
    });
  }
});
