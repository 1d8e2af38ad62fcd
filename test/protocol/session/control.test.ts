import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import {
  decodeAccept,
  decodeClose,
  decodeHello,
  decodeReject,
  decodeResume,
  encodeControlFrame,
  type Capabilities,
} from '../../../protocol/session/control.js';

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const body = (frame: Uint8Array): Uint8Array => frame.subarray(frame[2] < 0x80 ? 3 : 4);
const pack = (v: unknown): Uint8Array => new Packr({ useRecords: false }).pack(v);

const caps: Capabilities = {
  codecs: ['bytes+ctx', 'raw'],
  encodings: ['cl100k'],
  preferredEncoding: 'cl100k',
  maxFrameBytes: 65536,
  security: { threatDetection: true, blocking: false, threshold: 0.8, modelVersion: null },
  streaming: true,
  dictionaries: [],
  extensions: {},
};

describe('control bodies (msgpack)', () => {
  it('CLOSE, RESUME and REJECT match their hex fixtures', () => {
    expect(hex(encodeControlFrame('CLOSE', { reason: 'NORMAL' }))).toBe('08000f81a6726561736f6ea64e4f524d414c');
    expect(hex(encodeControlFrame('RESUME', { sessionId: 's1', lastSeq: 5 }))).toBe('09001782a973657373696f6e4964a27331a76c61737453657105');
    expect(hex(encodeControlFrame('REJECT', { code: 'VERSION_MISMATCH', message: 'v2' }))).toBe('03002282a4636f6465b056455253494f4e5f4d49534d41544348a76d657373616765a27632');
    expect(decodeClose(unhex('81a6726561736f6ea64e4f524d414c'))).toEqual({ reason: 'NORMAL' });
    expect(decodeResume(unhex('82a973657373696f6e4964a27331a76c61737453657105'))).toEqual({ sessionId: 's1', lastSeq: 5 });
  });

  it('HELLO and ACCEPT round-trip, with an opaque auth field', () => {
    const hello = { version: '1.0', nodeId: 'n1', capabilities: caps, auth: { alg: 'ed25519', sig: new Uint8Array([1, 2, 3]) } };
    const got = decodeHello(body(encodeControlFrame('HELLO', hello)));
    expect(got.capabilities).toEqual(caps);
    expect(got.auth).toEqual({ alg: 'ed25519', sig: new Uint8Array([1, 2, 3]) });
    const agreed = { codecs: ['raw' as const], encoding: 'cl100k' as const, maxFrameBytes: 1000, security: caps.security, streaming: false, dictionary: null, extensions: [] };
    expect(decodeAccept(body(encodeControlFrame('ACCEPT', { version: '1.0', nodeId: 'n2', sessionId: 's1', agreed }))).agreed).toEqual(agreed);
  });

  it('drops codec and encoding names it does not know (a newer peer may offer more)', () => {
    const got = decodeHello(pack({ version: '1.1', nodeId: 'n', capabilities: { ...caps, codecs: ['zstd+ctx', 'raw'], encodings: ['gpt5', 'o200k'] } }));
    expect(got.capabilities.codecs).toEqual(['raw']);
    expect(got.capabilities.encodings).toEqual(['o200k']);
  });

  it('maps an unknown REJECT code to UNKNOWN', () => {
    expect(decodeReject(pack({ code: 'TEAPOT', message: 'x' }))).toEqual({ code: 'UNKNOWN', message: 'x' });
  });

  it.each([
    ['not msgpack', unhex('c1')],
    ['two values', unhex('80 80')],
    ['an array, not a map', pack([1, 2])],
    ['missing fields', pack({ version: '1.0' })],
    ['wrong type', pack({ version: 1, nodeId: 'n', capabilities: caps })],
    ['threshold out of range', pack({ version: '1.0', nodeId: 'n', capabilities: { ...caps, security: { ...caps.security, threshold: 2 } } })],
    ['too many codecs', pack({ version: '1.0', nodeId: 'n', capabilities: { ...caps, codecs: Array(100).fill('raw') } })],
    ['negative max frame', pack({ version: '1.0', nodeId: 'n', capabilities: { ...caps, maxFrameBytes: -1 } })],
  ])('HELLO with %s is MALFORMED_FRAME', (_n, b) => {
    expect(() => decodeHello(b)).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME', details: { closeReason: 'PROTOCOL_ERROR' } }));
  });

  it('rejects an unknown CLOSE reason, a negative RESUME seq and an oversize body', () => {
    expect(() => decodeClose(pack({ reason: 'BORED' }))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => decodeResume(pack({ sessionId: 's', lastSeq: -1 }))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => decodeClose(pack({ reason: 'NORMAL', message: 'x'.repeat(100) }), 50)).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });

  it('survives deeply nested msgpack without crashing', () => {
    const deep = new Uint8Array(60_000).fill(0x91);
    expect(() => decodeHello(deep)).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });
});
