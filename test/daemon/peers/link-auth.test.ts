import { describe, expect, it } from 'vitest';
import { LinkAuth, signHello } from '../../../daemon/peers/link-auth.js';
import type { HelloBody } from '../../../daemon/peers/link-codec.js';
import { isM2MError } from '../../../protocol/errors.js';

const psk = 'correct horse battery staple';
const hello = (node = 'a', nonce = 'n1'): HelloBody => ({ v: 1, node, epoch: 'e', recvEpoch: '', recvSeq: 0, nonce, codecs: ['raw'] });

function reason(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return isM2MError(e, 'UNAUTHORIZED') ? String(e.details?.reason) : 'other';
  }
}

describe('link HELLO proofs (protocol/hello-auth)', () => {
  it('accepts a proof for us once, and refuses replays, other audiences, wrong keys and tampering', () => {
    const b = new LinkAuth('b');
    const h = hello();
    h.auth = signHello(psk, h, 'b');
    expect(reason(() => b.verify(psk, h))).toBeUndefined();
    expect(reason(() => b.verify(psk, h))).toBe('replayed');
    const forC = hello('a', 'n2');
    forC.auth = signHello(psk, forC, 'c');
    expect(reason(() => b.verify(psk, forC))).toBe('bad-proof');
    const wrongKey = hello('a', 'n3');
    wrongKey.auth = signHello('another secret entirely', wrongKey, 'b');
    expect(reason(() => b.verify(psk, wrongKey))).toBe('bad-proof');
    const tampered = hello('a', 'n4');
    tampered.auth = signHello(psk, tampered, 'b');
    tampered.recvSeq = 99;
    expect(reason(() => b.verify(psk, tampered))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, hello('a', 'n5')))).toBe('missing');
  });

  it("binds the listener's answer to the dialer's nonce", () => {
    const a = new LinkAuth('a');
    const answer = hello('b', 'm1');
    answer.auth = signHello(psk, answer, 'a', 'dialer-nonce');
    expect(reason(() => a.verify(psk, answer, 'another-nonce'))).toBe('bad-proof');
    expect(reason(() => a.verify(psk, answer, 'dialer-nonce'))).toBeUndefined();
  });
});
