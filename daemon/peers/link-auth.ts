/**
 * PSK proofs on peer links, made and checked with protocol/hello-auth (HMAC-SHA256 over node id,
 * audience, fresh nonce, time and the covered parameters; constant-time check; stale and replayed
 * proofs refused). A HELLO's proof (its `auth` field) covers the protocol version and the offered
 * capabilities; the ACCEPT's proof answers it (session id + the HELLO proof's nonce), so the dialler
 * knows it reached a holder of the key; a RESUME's proof covers the session id it resumes.
 */
import { createHash } from 'node:crypto';
import { createHelloAuth, HelloAuthVerifier, type HelloAuth } from '../../protocol/hello-auth.js';
import type { Capabilities } from '../../protocol/session/control.js';

/** The configured PSK text as the 32-byte key hello-auth wants. */
export function pskKey(psk: string): Uint8Array {
  return createHash('sha256').update('m2m-link-psk\0').update(psk).digest();
}

/** What a HELLO proof covers. */
export function helloParams(version: string, capabilities: Capabilities): unknown {
  return { hello: { version, capabilities } };
}

/** What an ACCEPT proof covers: the session id and the nonce of the HELLO proof it answers. */
export function acceptParams(sessionId: string, replyTo: string): unknown {
  return { accept: sessionId, replyTo };
}

/** The nonce of a HELLO proof ('' when there is none). */
export function proofNonce(auth: unknown): string {
  const n = (auth as { nonce?: unknown } | undefined)?.nonce;
  return typeof n === 'string' ? n : '';
}

/** What a RESUME proof covers. */
export function resumeParams(sessionId: string): unknown {
  return { resume: sessionId };
}

/** Sign `params` as `nodeId` for `audience` (the peer's node id). */
export function signLink(psk: string, nodeId: string, params: unknown, audience: string): HelloAuth {
  return createHelloAuth(pskKey(psk), { nodeId, params, audience });
}

/** Checks peers' proofs addressed to `nodeId`; keeps one replay cache per key. */
export class LinkAuth {
  private readonly verifiers = new Map<string, HelloAuthVerifier>();

  constructor(private readonly nodeId: string) {}

  /** @throws M2MError UNAUTHORIZED (details.reason: missing, stale, bad-proof, replayed, …) */
  verify(psk: string, auth: unknown, peerId: string, params: unknown): void {
    let v = this.verifiers.get(psk);
    if (!v) {
      v = new HelloAuthVerifier({ keys: pskKey(psk), audience: this.nodeId });
      this.verifiers.set(psk, v);
    }
    v.verify(auth, peerId, params);
  }
}
