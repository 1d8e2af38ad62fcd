import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder } from '../../../protocol/session/frame-decoder.js';
import { limitsWith } from '../../../protocol/limits.js';

const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');

// DATA(seq 1, a→b, raw "hi"), ACK 300, PING, CLOSE {reason: NORMAL}, DATA with a 200-byte body (2-byte length).
const STREAM = [
  '04 00 08 01 0161 0162 00 6869',
  '05 00 02 ac02',
  '06 00 00',
  '08 00 0f 81a6726561736f6ea64e4f524d414c',
  `04 00 c801 01 0161 0162 00 ${'41'.repeat(194)}`,
].map((h) => h.replace(/\s+/g, ''));
const BYTES = unhex(STREAM.join(''));

function frames(decoder: FrameDecoder, chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const c of chunks) for (const f of decoder.push(c)) out.push(`${f.type}:${f.flags}:${hex(f.body)}`);
  return out;
}

const expected = frames(new FrameDecoder(), [BYTES]);

describe('FrameDecoder', () => {
  it('reads a stream of frames from one chunk', () => {
    expect(expected).toEqual([
      '4:0:0101610162006869',
      '5:0:ac02',
      '6:0:',
      '8:0:81a6726561736f6ea64e4f524d414c',
      `4:0:010161016200${'41'.repeat(194)}`,
    ]);
  });

  it('gives the same frames for a split at every byte boundary', () => {
    for (let i = 0; i <= BYTES.length; i++) {
      const d = new FrameDecoder();
      expect(frames(d, [BYTES.subarray(0, i), BYTES.subarray(i)])).toEqual(expected);
      expect(d.bufferedBytes).toBe(0);
    }
  });

  it('gives the same frames one byte at a time', () => {
    expect(frames(new FrameDecoder(), Array.from(BYTES, (b) => Uint8Array.of(b)))).toEqual(expected);
  });

  it('gives the same frames for any random split', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: BYTES.length }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...cuts].sort((x, y) => x - y), BYTES.length];
        const chunks = points.slice(1).map((p, i) => BYTES.slice(points[i], p));
        expect(frames(new FrameDecoder(), chunks)).toEqual(expected);
      }),
    );
  });

  it('fails fast on an unknown type byte, and stays failed', () => {
    const d = new FrameDecoder();
    expect(() => d.push(unhex('0a'))).toThrow(expect.objectContaining({ code: 'UNKNOWN_FRAME_TYPE', details: { closeReason: 'PROTOCOL_ERROR' } }));
    expect(() => d.push(unhex('060000'))).toThrow(expect.objectContaining({ code: 'UNKNOWN_FRAME_TYPE' }));
    d.reset();
    expect(d.push(unhex('060000'))).toHaveLength(1);
  });

  it('fails on a declared length past maxFrameBytes before buffering the body', () => {
    const d = new FrameDecoder(limitsWith({ maxFrameBytes: 100 }));
    expect(() => d.push(unhex('04 00 65'))).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });

  it('fails when buffered bytes would pass maxBufferedBytes', () => {
    const d = new FrameDecoder(limitsWith({ maxFrameBytes: 1000, maxBufferedBytes: 50 }));
    expect(() => d.push(unhex('04 00 e803'))).toThrow(expect.objectContaining({ code: 'BUFFER_OVERFLOW' }));
  });

  it('rejects an overlong or non-minimal length varint', () => {
    expect(() => new FrameDecoder().push(unhex('04 00 8080808080'))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => new FrameDecoder().push(unhex('06 00 8000'))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
  });
});
