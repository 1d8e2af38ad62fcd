/**
 * PSK proofs in link HELLOs, made and checked with protocol/hello-auth
 * (HMAC-SHA256 over node id, audience, fresh nonce, time and the HELLO's
 * parameters; constant-time check; stale and replayed proofs refused).
 * The listener's answer also covers the dialer's nonce, so it cannot be replayed either.
 */
import { createHash } from 'node:crypto';
import { createHelloAuth, HelloAuthVerifier, type HelloAuth } from '../../protocol/hello-auth.js';
import type { HelloBody } from './link-codec.js';

/** The configured PSK text as the 32-byte key hello-auth wants. */
export function pskKey(psk: string): Uint8Array {
  return createHash('sha256').update('m2m-link-psk\0').update(psk).digest();
}

/** What a link HELLO proof covers: every field but the proof itself, plus the nonce it answers. */
export function linkParams(h: HelloBody, replyTo = ''): unknown {
  return { v: h.v, epoch: h.epoch, recvEpoch: h.recvEpoch, recvSeq: h.recvSeq, nonce: h.nonce, codecs: h.codecs ?? null, dict: h.dict ?? null, replyTo };
}

/** Sign our HELLO for `audience` (the peer's node id). */
export function signHello(psk: string, h: HelloBody, audience: string, replyTo = ''): HelloAuth {
  return createHelloAuth(pskKey(psk), { nodeId: h.node, params: linkParams(h, replyTo), audience });
}

/** Checks peers' HELLO proofs addressed to `nodeId`; keeps one replay cache per key. */
export class LinkAuth {
  private readonly verifiers = new Map<string, HelloAuthVerifier>();

  constructor(private readonly nodeId: string) {}

  /** @throws M2MError UNAUTHORIZED (details.reason: missing, stale, bad-proof, replayed, …) */
  verify(psk: string, h: HelloBody, replyTo = ''): void {
    let v = this.verifiers.get(psk);
    if (!v) {
      v = new HelloAuthVerifier({ keys: pskKey(psk), audience: this.nodeId });
      this.verifiers.set(psk, v);
    }
    v.verify(h.auth, h.node, linkParams(h, replyTo));
  }
}
