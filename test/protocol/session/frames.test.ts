import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isM2MError } from '../../../protocol/errors.js';
import { DEFAULT_LIMITS } from '../../../protocol/limits.js';
import {
  Codec,
  DATA_FLAG_SAME_ROUTE,
  FrameType,
  codecName,
  decodeAckBody,
  decodeDataBody,
  encodeAckFrame,
  encodeDataFrame,
  encodeEmptyFrame,
  encodeFrame,
  frameTypeName,
} from '../../../protocol/session/frames.js';

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('binary frames (hex fixtures)', () => {
  it('DATA: type 04, flags, length, seq, from, to, codec, payload', () => {
    expect(hex(encodeDataFrame({ seq: 1, from: 'a', to: 'b', codec: Codec.raw, payload: utf8('hi') }))).toBe('04 00 08 01 0161 0162 00 6869'.replace(/ /g, ''));
  });

  it('DATA with the same-route flag omits the agent ids', () => {
    expect(hex(encodeDataFrame({ seq: 300, from: 'a', to: 'b', codec: Codec.raw, payload: utf8('hi') }, DEFAULT_LIMITS, true))).toBe('040105ac02006869');
    const body = unhex('ac02006869');
    expect(decodeDataBody(body, DEFAULT_LIMITS, DATA_FLAG_SAME_ROUTE, { from: 'a', to: 'b' })).toMatchObject({ seq: 300, from: 'a', to: 'b', codec: 0 });
  });

  it('DATA tokens carries raw VarInt token IDs, no base64 ("Hello, world!" in cl100k)', () => {
    const frame = encodeDataFrame({ seq: 2, from: 'a', to: 'b', codec: Codec.tokens, payload: unhex('b24d0bfd0e00') });
    expect(hex(frame)).toBe('04000c020161016201b24d0bfd0e00');
    const d = decodeDataBody(frame.subarray(3));
    expect(d).toMatchObject({ seq: 2, from: 'a', to: 'b', codec: Codec.tokens });
    expect(hex(d.payload)).toBe('b24d0bfd0e00');
  });

  it('ACK, PING and PONG', () => {
    expect(hex(encodeAckFrame(300))).toBe('050002ac02');
    expect(decodeAckBody(unhex('ac02'))).toBe(300);
    expect(hex(encodeEmptyFrame(FrameType.PING))).toBe('060000');
    expect(hex(encodeEmptyFrame(FrameType.PONG))).toBe('070000');
  });

  it('names types and codecs, and rejects unknown ones', () => {
    expect(frameTypeName(0x09)).toBe('RESUME');
    expect(frameTypeName(0x0a)).toBeUndefined();
    expect(codecName(3)).toBe('bytes+ctx');
    expect(codecName(9)).toBeUndefined();
  });

  it.each([
    ['truncated seq', '80'],
    ['from length past the end', '01 05 61'],
    ['no codec byte', '01 0161 0162'],
    ['unknown codec', '01 0161 0162 09 00'],
    ['bad UTF-8 agent id', '01 01ff 0162 00'],
  ])('DATA body errors are MALFORMED_FRAME: %s', (_name, h) => {
    expect(() => decodeDataBody(unhex(h))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });

  it('same-route flag without an earlier route, or unknown flags, is MALFORMED_FRAME', () => {
    expect(() => decodeDataBody(unhex('01 00'), DEFAULT_LIMITS, DATA_FLAG_SAME_ROUTE)).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => decodeDataBody(unhex('01 0161 0162 00'), DEFAULT_LIMITS, 0x80)).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });

  it('ACK with trailing bytes or a broken varint is MALFORMED_FRAME', () => {
    expect(() => decodeAckBody(unhex('0101'))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => decodeAckBody(unhex('80'))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });

  it('enforces the frame and agent-id limits when encoding', () => {
    expect(() => encodeFrame(FrameType.DATA, new Uint8Array(11), 0, 10)).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
    const long = 'x'.repeat(DEFAULT_LIMITS.maxAgentIdBytes + 1);
    let err: unknown;
    try {
      encodeDataFrame({ seq: 1, from: long, to: 'b', codec: Codec.raw, payload: new Uint8Array(0) });
    } catch (e) {
      err = e;
    }
    expect(isM2MError(err, 'BAD_INPUT')).toBe(true);
  });

  it('DATA round-trips any seq, ids, codec and payload', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.constantFrom(...Object.values(Codec)),
        fc.uint8Array({ maxLength: 200 }),
        (seq, from, to, codec, payload) => {
          const frame = encodeDataFrame({ seq, from, to, codec, payload });
          expect(frame[0]).toBe(FrameType.DATA);
          const lenBytes = frame[2] < 0x80 ? 1 : 2;
          const d = decodeDataBody(frame.subarray(2 + lenBytes));
          expect(d.seq).toBe(seq);
          expect(d.from).toBe(new TextDecoder().decode(utf8(from)));
          expect(d.to).toBe(new TextDecoder().decode(utf8(to)));
          expect(d.codec).toBe(codec);
          expect(hex(d.payload)).toBe(hex(payload));
        },
      ),
    );
  });
});
