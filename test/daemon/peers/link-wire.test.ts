import { describe, expect, it } from 'vitest';
import { dataFrameCodec, decodeWire, decodeWirePayload, encodeWire, encodeWireBatch, MAX_BATCH_MESSAGES } from '../../../daemon/peers/link-wire.js';
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

  it('batches: hex layout, round trip in order, and a single payload read through the same entry point', () => {
    const ms: WireMessage[] = [
      { uid: 'a', from: 'x', to: 'y', json: '1' },
      { uid: 'b', from: 'x', to: 'y', id: 'c1', json: '"é"', verdict: { safe: true, blocked: false, score: 0.1, threat: null, threats: [] } },
    ];
    const bytes = encodeWireBatch(ms);
    // 00 (batch), count 2, then length-prefixed single payloads: 0x11 bytes of `["a",null,null]\n1`, …
    expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe('000211' + Buffer.from('[').toString('hex'));
    expect(Buffer.from(bytes.subarray(3, 3 + 0x11)).toString('utf8')).toBe('["a",null,null]\n1');
    expect(decodeWirePayload(bytes, 'x', 'y')).toEqual(ms);
    expect(decodeWirePayload(encodeWire(ms[1]), 'x', 'y')).toEqual([ms[1]]);
  });

  it.each([
    ['an empty batch', [0x00, 0x00]],
    ['a truncated count', [0x00, 0x80]],
    ['an entry longer than the frame', [0x00, 0x01, 0x10, 0x5b]],
    ['bytes after the last entry', [0x00, 0x01, 0x11, ...Buffer.from('["a",null,null]\n1'), 0x20]],
    ['a malformed entry', [0x00, 0x01, 0x02, 0x5b, 0x0a]],
  ])('refuses a batch with %s', (_n, bytes) => {
    expect(() => decodeWirePayload(Uint8Array.from(bytes), 'a', 'b')).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });

  it('refuses a batch that claims more than MAX_BATCH_MESSAGES messages', () => {
    const count = MAX_BATCH_MESSAGES + 1;
    const head = [0x00, (count & 0x7f) | 0x80, count >> 7];
    expect(() => decodeWirePayload(Uint8Array.from(head), 'a', 'b')).toThrow(/batch of 1025 messages/);
  });
});
