/**
 * Pre-shared-key proof carried in HELLO (`HelloBody.auth`), for transports without client
 * certificates (WebTransport) and, when configured, in addition to mutual TLS.
 *
 * proof = HMAC-SHA256(psk, "m2m-hello-auth-v1" 0x00 | str(nodeId) | str(audience) | nonce[16]
 *                          | ts u64 BE (ms) | str(canonical JSON of the session parameters))
 * where str(x) = u32 BE byte length | UTF-8 bytes. The responder checks the timestamp window, looks up
 * the key, compares the proof in constant time and only then records the nonce, so a replayed or stale
 * proof is refused and strangers cannot fill the replay cache. Pure code: the clock is injected.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { M2MError } from './errors.js';
import { fromBase64, toBase64 } from './base64.js';
import { DEFAULT_LIMITS } from './limits.js';

/** Algorithm tag written in every proof. */
export const HELLO_AUTH_ALG = 'HMAC-SHA256';
/** Fresh random bytes per HELLO. */
export const HELLO_NONCE_BYTES = 16;
/** Shortest accepted pre-shared key, in bytes. */
export const MIN_PSK_BYTES = 32;
/** Longest node id or audience covered by a proof, in UTF-8 bytes. */
export const MAX_AUTH_ID_BYTES = 256;
/** Accepted clock difference between the peers, in ms. @default 30 s */
export const DEFAULT_MAX_SKEW_MS = 30_000;
/** Nonces remembered for replay detection (fail closed when full). @default 100,000 */
export const DEFAULT_MAX_NONCES = 100_000;

const DOMAIN = Buffer.from('m2m-hello-auth-v1\0', 'utf8');
const PROOF_BYTES = 32;

/** The `auth` value of a HELLO. Bytes are base64 strings so it survives msgpack and JSON alike. */
export interface HelloAuth {
  alg: typeof HELLO_AUTH_ALG;
  /** Milliseconds since the epoch when the proof was made. */
  ts: number;
  /** base64 of HELLO_NONCE_BYTES random bytes. */
  nonce: string;
  /** base64 of the 32-byte HMAC. */
  proof: string;
}

/** What a proof covers. */
export interface HelloAuthInput {
  /** The sender's node id (the HELLO's `nodeId`). */
  nodeId: string;
  /** Session parameters offered in the HELLO (version, capabilities …); canonicalised before MAC. */
  params: unknown;
  /** Node id of the intended responder, when known: a proof for one node is useless at another. @default '' */
  audience?: string;
}

/** A pre-shared key as bytes, or a lookup by node id (undefined = unknown node). */
export type PskSource = Uint8Array | ((nodeId: string) => Uint8Array | undefined);

function checkKey(key: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.byteLength < MIN_PSK_BYTES) {
    throw new M2MError('BAD_INPUT', `pre-shared key must be at least ${MIN_PSK_BYTES} bytes`);
  }
  return key;
}

function str(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.byteLength > MAX_AUTH_ID_BYTES) throw new M2MError('UNAUTHORIZED', `${what} longer than ${MAX_AUTH_ID_BYTES} bytes`, { reason: 'malformed' });
  return lenPrefixed(b);
}

function lenPrefixed(b: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(b.byteLength);
  return Buffer.concat([h, b]);
}

/**
 * Deterministic JSON: object keys sorted, no whitespace, bytes as `{"$b64":…}`; depth bounded.
 * @throws M2MError TOO_DEEP, BAD_INPUT
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > DEFAULT_LIMITS.maxJsonDepth) throw new M2MError('TOO_DEEP', `session parameters nest deeper than ${DEFAULT_LIMITS.maxJsonDepth}`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new M2MError('BAD_INPUT', 'session parameters contain a non-finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return `{"$b64":${JSON.stringify(toBase64(value))}}`;
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k], depth + 1)}`).join(',')}}`;
  }
  throw new M2MError('BAD_INPUT', `session parameters contain a ${typeof value}`);
}

function mac(key: Uint8Array, input: HelloAuthInput, nonce: Uint8Array, ts: number): Buffer {
  const t = Buffer.alloc(8);
  t.writeBigUInt64BE(BigInt(ts));
  return createHmac('sha256', key)
    .update(DOMAIN)
    .update(str(input.nodeId, 'nodeId'))
    .update(str(input.audience ?? '', 'audience'))
    .update(nonce)
    .update(t)
    .update(lenPrefixed(Buffer.from(canonicalJson(input.params), 'utf8')))
    .digest();
}

/**
 * Make the `auth` value for a HELLO.
 * @param now clock in ms @default Date.now()
 * @param nonce fresh random bytes (tests pass fixed ones) @default 16 random bytes
 * @throws M2MError BAD_INPUT for a short key
 */
export function createHelloAuth(key: Uint8Array, input: HelloAuthInput, now = Date.now(), nonce: Uint8Array = randomBytes(HELLO_NONCE_BYTES)): HelloAuth {
  checkKey(key);
  if (nonce.byteLength !== HELLO_NONCE_BYTES) throw new M2MError('BAD_INPUT', `nonce must be ${HELLO_NONCE_BYTES} bytes`);
  const ts = Math.floor(now);
  return { alg: HELLO_AUTH_ALG, ts, nonce: toBase64(nonce), proof: toBase64(mac(key, input, nonce, ts)) };
}

/** Options of {@link HelloAuthVerifier}. */
export interface HelloAuthVerifierOptions {
  /** The pre-shared key, or a lookup of each node's key. */
  keys: PskSource;
  /** Our node id; when set, proofs must name it as their audience. @default accept any audience '' */
  audience?: string;
  /** @default DEFAULT_MAX_SKEW_MS */
  maxSkewMs?: number;
  /** @default DEFAULT_MAX_NONCES */
  maxNonces?: number;
  /** @default Date.now */
  now?: () => number;
}

function fail(reason: string, message: string): never {
  throw new M2MError('UNAUTHORIZED', message, { reason });
}

function decodeField(v: unknown, bytes: number, what: string): Uint8Array {
  if (typeof v !== 'string' || v.length > 4 * Math.ceil(bytes / 3)) fail('malformed', `auth.${what} must be base64 of ${bytes} bytes`);
  let b: Uint8Array;
  try {
    b = fromBase64(v as string, bytes);
  } catch {
    return fail('malformed', `auth.${what} is not valid base64`);
  }
  if (b.byteLength !== bytes) fail('malformed', `auth.${what} must be ${bytes} bytes`);
  return b;
}

/** Checks HELLO proofs; one instance per listener (it owns the replay cache). */
export class HelloAuthVerifier {
  private readonly seen = new Map<string, number>();
  private readonly maxSkewMs: number;
  private readonly maxNonces: number;
  private readonly now: () => number;

  constructor(private readonly opts: HelloAuthVerifierOptions) {
    if (opts.keys instanceof Uint8Array) checkKey(opts.keys);
    this.maxSkewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    this.maxNonces = opts.maxNonces ?? DEFAULT_MAX_NONCES;
    this.now = opts.now ?? Date.now;
  }

  /** Nonces currently remembered. */
  get cachedNonces(): number {
    return this.seen.size;
  }

  /**
   * Verify the `auth` of a HELLO from `nodeId` offering `params`.
   * @throws M2MError `UNAUTHORIZED` with `details.reason`: missing, malformed, stale, unknown-node, bad-proof, replayed, busy
   */
  verify(auth: unknown, nodeId: string, params: unknown): void {
    if (auth === undefined || auth === null) fail('missing', 'HELLO carries no auth proof');
    if (typeof auth !== 'object') fail('malformed', 'auth must be an object');
    const a = auth as Record<string, unknown>;
    if (a.alg !== HELLO_AUTH_ALG) fail('malformed', `auth.alg must be ${HELLO_AUTH_ALG}`);
    if (typeof a.ts !== 'number' || !Number.isSafeInteger(a.ts) || a.ts < 0) fail('malformed', 'auth.ts must be a non-negative integer (ms)');
    const nonce = decodeField(a.nonce, HELLO_NONCE_BYTES, 'nonce');
    const proof = decodeField(a.proof, PROOF_BYTES, 'proof');
    const now = this.now();
    if (Math.abs(now - (a.ts as number)) > this.maxSkewMs) fail('stale', `auth timestamp is more than ${this.maxSkewMs} ms away from our clock`);
    const key = this.opts.keys instanceof Uint8Array ? this.opts.keys : this.opts.keys(nodeId);
    if (!key) fail('unknown-node', 'no pre-shared key for this node');
    const expected = mac(checkKey(key as Uint8Array), { nodeId, params, audience: this.opts.audience }, nonce, a.ts as number);
    if (!timingSafeEqual(expected, proof)) fail('bad-proof', 'auth proof does not verify');
    this.remember(a.nonce as string, now);
  }

  private remember(nonce: string, now: number): void {
    for (const [n, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) fail('replayed', 'auth nonce was already used');
    if (this.seen.size >= this.maxNonces) fail('busy', 'replay cache full');
    // A nonce stays interesting while its timestamp could still pass the skew check.
    this.seen.set(nonce, now + 2 * this.maxSkewMs);
  }
}

/**
 * Adapter for the session's `verifyHello` hook: refuses with REJECT UNAUTHORIZED and a generic message
 * (the peer learns nothing else); the detailed error goes to `onFailure` for logs and metrics.
 */
export function helloAuthHook(
  verifier: HelloAuthVerifier,
  onFailure?: (err: M2MError, nodeId: string) => void,
): (hello: { nodeId: string; version: string; capabilities: unknown; auth?: unknown }) => { code: 'UNAUTHORIZED'; message: string } | undefined {
  return (hello) => {
    try {
      verifier.verify(hello.auth, hello.nodeId, helloParams(hello));
      return undefined;
    } catch (e) {
      const err = e instanceof M2MError ? e : new M2MError('UNAUTHORIZED', String(e));
      onFailure?.(err, hello.nodeId);
      return { code: 'UNAUTHORIZED', message: 'authentication failed' };
    }
  };
}

/** The session parameters a HELLO proof covers: its version and capabilities. */
export function helloParams(hello: { version: string; capabilities: unknown }): unknown {
  return { version: hello.version, capabilities: hello.capabilities };
}
