import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  M2M_FRAME_PREFIX,
  decodeM2MFrame,
  decodeM2MFrameBinary,
  decodeM2MFrameBinaryFull,
  decodeM2MFrameFull,
  encodeM2MFrame,
  encodeM2MFrameBinary,
} from '../../protocol/m2m-frame.js';
import { estimateCost } from '../../protocol/m2m-frame-header.js';
import { brotliCompress } from '../../protocol/brotli.js';
import { codeOf } from './error-code.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const f32hex = (x: number): string => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x, true);
  return hex(b);
};

const HI = '{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}';

describe('M2M frame', () => {
  it('encodes the reference request vector byte for byte (uncompressed, 62 B)', () => {
    const bin = encodeM2MFrameBinary(HI);
    expect(bin.length).toBe(111);
    expect(hex(bin.subarray(0, 7))).toBe(hex(new TextEncoder().encode('#M2M|1|')));
    expect(hex(bin.subarray(7, 27))).toBe('2200010000000000' + '00'.repeat(12));
    expect(hex(bin.subarray(27, 41))).toBe('066770742d346f0101020ad7a33b');
    expect(hex(bin.subarray(41, 49))).toBe('3e0000006e6055a4');
    expect(new TextDecoder().decode(bin.subarray(49))).toBe(HI);
    expect(encodeM2MFrame(HI)).toBe(
      '#M2M|1|IgABAAAAAAAAAAAAAAAAAAAAAAAGZ3B0LTRvAQECCtejOz4AAABuYFWkeyJtb2RlbCI6ImdwdC00byIsIm1lc3NhZ2VzIjpbeyJyb2xlIjoidXNlciIsImNvbnRlbnQiOiJIaSJ9XX0=',
    );
    expect(decodeM2MFrame(encodeM2MFrame(HI))).toBe(HI);
  });

  it('matches the reference TEST_REQUEST headers (system+user, max_tokens 1000, temperature, compressed)', () => {
    const system = 'You are a helpful assistant.'; // 28 B
    const user = 'Hello there!'; // 12 B → content_hint 40
    const json = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'system', content: system }, { role: 'user', content: user }], temperature: 0.7, max_tokens: 1000 });
    expect(json.length).toBeGreaterThanOrEqual(100);
    const bin = encodeM2MFrameBinary(json);
    expect(hex(bin.subarray(7, 27))).toBe('2400010041100001' + '00'.repeat(12));
    expect(hex(bin.subarray(27, 43))).toBe('066770742d346f020428e807' + 'e63f243c');
    expect(f32hex(estimateCost('gpt-4o', 10, 1000))).toBe('e63f243c');
    const full = decodeM2MFrameBinaryFull(bin);
    expect(full.json).toBe(json);
    expect(full.compressed).toBe(true);
    expect(full.routing).toMatchObject({ model: 'gpt-4o', msgCount: 2, roles: ['system', 'user'], contentHint: 40, maxTokens: 1000 });
  });

  it('matches the reference TEST_RESPONSE headers', () => {
    const json = JSON.stringify({
      id: 'chatcmpl-abc123',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
    });
    const bin = encodeM2MFrameBinary(json);
    expect(hex(bin.subarray(7, 27))).toBe('3200020088000001' + '00'.repeat(12));
    expect(hex(bin.subarray(27, 57))).toBe('0f' + hex(new TextEncoder().encode('chatcmpl-abc123')) + '06' + '6770742d346f' + '00320a' + 'fbed6b39');
    const full = decodeM2MFrameFull(encodeM2MFrame(json));
    expect(full.json).toBe(json);
    expect(full.response).toMatchObject({ id: 'chatcmpl-abc123', model: 'gpt-4o', finishReason: 'stop', promptTokens: 50, completionTokens: 10 });
  });

  it('round-trips arbitrary JSON, text and binary', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (j) => {
        expect(decodeM2MFrame(encodeM2MFrame(j))).toBe(j);
        expect(decodeM2MFrameBinary(encodeM2MFrameBinary(j))).toBe(j);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps headers decodable with unknown roles and models longer than 255 bytes', () => {
    const model = 'é'.repeat(200);
    const json = JSON.stringify({ model, messages: [{ role: 'critic', content: 'x' }, { role: 'user', content: 'y' }, { content: 'z' }] });
    const full = decodeM2MFrameFull(encodeM2MFrame(json));
    expect(full.json).toBe(json);
    expect(full.routing?.msgCount).toBe(3);
    expect(full.routing?.roles).toEqual(['user', 'user', 'user']);
    expect(Buffer.byteLength(full.routing?.model ?? '')).toBeLessThanOrEqual(255);
  });

  it('rejects malformed frames with typed codes', () => {
    const good = encodeM2MFrameBinary(HI);
    const bad = good.slice();
    bad[bad.length - 1] ^= 1;
    expect(codeOf(() => decodeM2MFrameBinary(bad))).toBe('CHECKSUM_MISMATCH');
    expect(codeOf(() => decodeM2MFrameBinary(good.subarray(0, 20)))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => decodeM2MFrameBinary(good.subarray(0, good.length - 1)))).toBe('MALFORMED_FRAME');
    const short = good.slice();
    short[7] = 10; // header_len < 20
    short[8] = 0;
    expect(codeOf(() => decodeM2MFrameBinary(short))).toBe('MALFORMED_FRAME');
    const hmac = good.slice();
    hmac[10] = 1;
    expect(codeOf(() => decodeM2MFrameBinary(hmac))).toBe('UNSUPPORTED_SECURITY_MODE');
    hmac[10] = 7;
    expect(codeOf(() => decodeM2MFrameBinary(hmac))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => decodeM2MFrame('#M2M|1|AAAA'))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => decodeM2MFrame('#M2M|1|AAA'))).toBe('INVALID_BASE64');
    expect(codeOf(() => decodeM2MFrameBinary(unhex('00')))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => encodeM2MFrame('not json'))).toBe('INVALID_JSON');
    expect(codeOf(() => encodeM2MFrame('['.repeat(40) + ']'.repeat(40)))).toBe('TOO_DEEP');
  });

  it('stops a Brotli bomb in the payload with DECOMPRESSED_TOO_LARGE', () => {
    const bomb = brotliCompress(new Uint8Array(20 * 1024 * 1024).fill(0x20), { quality: 5 });
    const head = encodeM2MFrameBinary('{"model":"gpt-4o","messages":[{"role":"user","content":"' + 'a'.repeat(120) + '"}]}');
    const headerLen = new DataView(head.buffer).getUint16(7, true);
    const frame = new Uint8Array(7 + headerLen + 8 + bomb.length);
    frame.set(head.subarray(0, 7 + headerLen));
    new DataView(frame.buffer).setUint32(7 + headerLen, bomb.length, true);
    frame.set(bomb, 7 + headerLen + 8);
    expect(codeOf(() => decodeM2MFrameBinary(frame))).toBe('DECOMPRESSED_TOO_LARGE');
    expect(codeOf(() => decodeM2MFrame(M2M_FRAME_PREFIX + Buffer.from(frame.subarray(7)).toString('base64'), { maxDecompressedBytes: 1000 }))).toBe(
      'DECOMPRESSED_TOO_LARGE',
    );
  });
});
