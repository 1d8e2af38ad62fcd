/**
 * HELLO proofs with a pre-shared key: HMAC-SHA256 over the role, the node id
 * and fresh nonces, compared in constant time. The dialer's proof carries a
 * timestamp checked against a window and its nonce is remembered for that
 * window (no replay); the listener's proof covers the dialer's fresh nonce.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How old a dialer proof may be. @default 60 s */
export const PROOF_WINDOW_MS = 60_000;

export function newNonce(): string {
  return `${Date.now().toString(36)}.${randomBytes(12).toString('hex')}`;
}

function mac(psk: string, parts: string[]): string {
  return createHmac('sha256', psk).update(parts.join('\n')).digest('base64url');
}

/** Proof a node puts in its HELLO. `peerNonce` is the other side's nonce ('' for the dialer). */
export function makeProof(psk: string, role: 'dial' | 'accept', node: string, nonce: string, peerNonce: string): string {
  return mac(psk, ['m2m-link-hello/1', role, node, nonce, peerNonce]);
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Remembers dialer nonces inside the proof window. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs = PROOF_WINDOW_MS) {}

  /** True when the nonce is fresh (timestamp inside the window and never seen); records it. */
  accept(nonce: string, now = Date.now()): boolean {
    const ts = parseInt(nonce.split('.')[0] ?? '', 36);
    if (!Number.isFinite(ts) || Math.abs(now - ts) > this.windowMs) return false;
    for (const [n, t] of this.seen) {
      if (now - t <= this.windowMs) break;
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
}

/** Verify a proof in constant time. */
export function verifyProof(psk: string, proof: string | undefined, role: 'dial' | 'accept', node: string, nonce: string, peerNonce: string): boolean {
  if (!proof) return false;
  return sameString(proof, makeProof(psk, role, node, nonce, peerNonce));
}
