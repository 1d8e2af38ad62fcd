import { describe, expect, it } from 'vitest';
import { helloParams, LinkAuth, resumeParams, signLink } from '../../../daemon/peers/link-auth.js';
import { linkCapabilities } from '../../../daemon/peers/link-session.js';
import { isM2MError } from '../../../protocol/errors.js';

const psk = 'correct horse battery staple';
const params = helloParams('1.0', linkCapabilities(true));

function reason(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return isM2MError(e, 'UNAUTHORIZED') ? String(e.details?.reason) : 'other';
  }
}

describe('link proofs (protocol/hello-auth)', () => {
  it('accepts a HELLO proof for us once, and refuses replays, other audiences, wrong keys, tampering and none', () => {
    const b = new LinkAuth('b');
    const auth = signLink(psk, 'a', params, 'b');
    expect(reason(() => b.verify(psk, auth, 'a', params))).toBeUndefined();
    expect(reason(() => b.verify(psk, auth, 'a', params))).toBe('replayed');
    expect(reason(() => b.verify(psk, signLink(psk, 'a', params, 'c'), 'a', params))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, signLink('another secret entirely', 'a', params, 'b'), 'a', params))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, signLink(psk, 'a', params, 'b'), 'a', helloParams('1.0', linkCapabilities(false))))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, signLink(psk, 'a', params, 'b'), 'x', params))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, undefined, 'a', params))).toBe('missing');
  });

  it('binds a RESUME proof to the session id', () => {
    const b = new LinkAuth('b');
    expect(reason(() => b.verify(psk, signLink(psk, 'a', resumeParams('s1'), 'b'), 'a', resumeParams('s2')))).toBe('bad-proof');
    expect(reason(() => b.verify(psk, signLink(psk, 'a', resumeParams('s1'), 'b'), 'a', resumeParams('s1')))).toBeUndefined();
  });
});
