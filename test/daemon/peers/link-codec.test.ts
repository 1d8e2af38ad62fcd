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

  it('round-trips DATA with its codec id and payload bytes', () => {
    const msg = { uid: 'n1.ab.1', from: 'alice', to: 'bob', id: 'm1', json: '{"a":1}', verdict: { safe: true, blocked: false, score: 0.01, threat: null, threats: [] } };
    const payload = Buffer.from('{"a":1}');
    const f = decodeLinkFrame(encodeData(7, msg, 0, payload));
    if (f.t !== 'data') throw new Error('not DATA');
    expect(Buffer.from(f.data.payload).toString('hex')).toBe(payload.toString('hex'));
    expect({ ...f.data, payload: undefined }).toEqual({ seq: 7, uid: 'n1.ab.1', from: 'alice', to: 'bob', id: 'm1', codec: 0, payload: undefined, verdict: msg.verdict });
  });

  it('HELLO carries the codec offer', () => {
    const hello = { v: 1, node: 'n1', epoch: 'e1', recvEpoch: 'e0', recvSeq: 3, nonce: 'x.y', codecs: ['bytes+ctx', 'raw'], dict: 'm2m-json-1/q7w22:abc' };
    expect(decodeLinkFrame(encodeHello(hello))).toEqual({ t: 'hello', hello });
  });

  it('round-trips HELLO and REJECT', () => {
    const hello = { v: 1, node: 'n1', epoch: 'e1', recvEpoch: '', recvSeq: 0, nonce: 'x.y', auth: { alg: 'HMAC-SHA256', ts: 1, nonce: 'n', proof: 'p' } };
    expect(decodeLinkFrame(encodeHello(hello))).toEqual({ t: 'hello', hello });
    expect(decodeLinkFrame(encodeReject('UNAUTHORIZED', 'no'))).toEqual({ t: 'reject', code: 'UNAUTHORIZED', message: 'no' });
  });

  it('rejects malformed frames with typed errors', () => {
    for (const h of ['c1', '9201', '92ff00', '9201a178', '980101a175a161a162c0a57b7b7b7bc0']) {
      expect(() => decodeLinkFrame(Buffer.from(h, 'hex'))).toThrow(expect.objectContaining({ code: expect.stringMatching(/MALFORMED_FRAME|UNKNOWN_FRAME_TYPE/) }));
    }
  });
});
