import { describe, expect, it } from 'vitest';
import { dataFrameCodec, decodeWire, encodeWire } from '../../../daemon/peers/link-wire.js';
import { Codec, encodeDataFrame } from '../../../protocol/session/frames.js';
import type { WireMessage } from '../../../daemon/router/types.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('router messages in DATA payloads', () => {
  it('round-trips uid, client id, verdict and the JSON text byte for byte', () => {
    const m: WireMessage = { uid: 'u1', from: 'alice', to: 'bob', id: 7, json: '{"a":"é\\n","b":[1,2]}', verdict: { safe: false, blocked: false, score: 0.4, threat: 'injection', threats: ['x'] } };
    const bytes = encodeWire(m);
    expect(Buffer.from(bytes).toString('utf8')).toBe('["u1",7,[false,false,0.4,"injection",["x"]]]\n{"a":"é\\n","b":[1,2]}');
    expect(decodeWire(bytes, 'alice', 'bob')).toEqual(m);
    expect(decodeWire(encodeWire({ uid: 'u2', from: 'a', to: 'b', json: '1' }), 'a', 'b')).toEqual({ uid: 'u2', from: 'a', to: 'b', json: '1' });
  });

  it.each([
    ['no newline', '["u1",null,null]'],
    ['not an array', '{"u":1}\n{}'],
    ['bad uid', '[1,null,null]\n{}'],
    ['bad verdict', '["u",null,[1]]\n{}'],
    ['bad JSON', '["u",null\n{}'],
  ])('refuses %s', (_n, text) => {
    expect(() => decodeWire(utf8(text), 'a', 'b')).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });

  it('reads the codec of a DATA frame with and without the route', () => {
    const payload = utf8('x');
    expect(dataFrameCodec(encodeDataFrame({ seq: 300, from: 'alice', to: 'bob', codec: Codec['bytes+ctx'], payload }))).toBe('bytes+ctx');
    expect(dataFrameCodec(encodeDataFrame({ seq: 1, from: 'alice', to: 'bob', codec: Codec.raw, payload }, undefined, true))).toBe('raw');
    expect(dataFrameCodec(Uint8Array.from([0x06, 0x00, 0x00]))).toBeUndefined();
  });
});
