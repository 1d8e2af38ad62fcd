import { describe, expect, it } from 'vitest';
import { makeProof, newNonce, ReplayGuard, verifyProof } from '../../../daemon/peers/auth.js';

describe('HELLO proofs', () => {
  const psk = 'correct horse battery staple';

  it('verifies the right key, node, role and nonces only', () => {
    const n = newNonce();
    const p = makeProof(psk, 'dial', 'a', n, '');
    expect(verifyProof(psk, p, 'dial', 'a', n, '')).toBe(true);
    expect(verifyProof('wrong key wrong key', p, 'dial', 'a', n, '')).toBe(false);
    expect(verifyProof(psk, p, 'dial', 'b', n, '')).toBe(false);
    expect(verifyProof(psk, p, 'accept', 'a', n, '')).toBe(false);
    expect(verifyProof(psk, p, 'dial', 'a', newNonce(), '')).toBe(false);
    expect(verifyProof(psk, undefined, 'dial', 'a', n, '')).toBe(false);
    expect(verifyProof(psk, 'short', 'dial', 'a', n, '')).toBe(false);
  });

  it('rejects replayed and stale nonces', () => {
    const g = new ReplayGuard(1000);
    const now = Date.now();
    const n = `${now.toString(36)}.abc`;
    expect(g.accept(n, now)).toBe(true);
    expect(g.accept(n, now + 10)).toBe(false);
    expect(g.accept(`${(now - 5000).toString(36)}.def`, now)).toBe(false);
    expect(g.accept('garbage', now)).toBe(false);
  });
});
