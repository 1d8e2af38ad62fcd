import { describe, expect, it } from 'vitest';
import { decodeLinkFrame, encodeAck, encodeClose, encodeData, encodeHello, encodeReject } from '../../../daemon/peers/link-codec.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('link frames', () => {
  it('encodes ACK and CLOSE as small msgpack arrays (wire fixtures)', () => {
    expect(hex(encodeAck(5))).toBe('920205');
    expect(hex(encodeAck(300))).toBe('9202cd012c');
    expect(hex(encodeClose('NORMAL'))).toBe('9203a64e4f524d414c');
    expect(decodeLinkFrame(Buffer.from('920205', 'hex'))).toEqual({ t: 'ack', seq: 5 });
  });

  it('round-trips DATA with its body byte-identical as JSON', () => {
    const body = { a: [1, 2.5, 'ü', null, true], b: { c: '' } };
    const msg = { uid: 'n1.ab.1', from: 'alice', to: 'bob', id: 'm1', json: JSON.stringify(body), verdict: { safe: true, blocked: false, score: 0.01, threat: null, threats: [] } };
    const f = decodeLinkFrame(encodeData(7, msg));
    expect(f).toEqual({ t: 'data', seq: 7, msg: { ...msg, body } });
  });

  it('round-trips HELLO and REJECT', () => {
    const hello = { v: 1, node: 'n1', epoch: 'e1', recvEpoch: '', recvSeq: 0, nonce: 'x.y', proof: 'p' };
    expect(decodeLinkFrame(encodeHello(hello))).toEqual({ t: 'hello', hello });
    expect(decodeLinkFrame(encodeReject('UNAUTHORIZED', 'no'))).toEqual({ t: 'reject', code: 'UNAUTHORIZED', message: 'no' });
  });

  it('rejects malformed frames with typed errors', () => {
    for (const h of ['c1', '9201', '92ff00', '9201a178', '980101a175a161a162c0a57b7b7b7bc0']) {
      expect(() => decodeLinkFrame(Buffer.from(h, 'hex'))).toThrow(expect.objectContaining({ code: expect.stringMatching(/MALFORMED_FRAME|UNKNOWN_FRAME_TYPE/) }));
    }
  });
});
