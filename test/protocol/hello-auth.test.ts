import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HelloAuthVerifier,
  canonicalJson,
  createHelloAuth,
  helloAuthHook,
  helloParams,
  type HelloAuth,
} from '../../protocol/hello-auth.js';
import { M2MError } from '../../protocol/errors.js';
import { readVarint } from '../../protocol/varint.js';
import { decodeHello, encodeControlFrame } from '../../protocol/session/control.js';
import { defaultCapabilities } from '../../protocol/session/endpoint.js';

const KEY = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'));
const OTHER = new Uint8Array(32).fill(7);
const NONCE = new Uint8Array(Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex'));
const T0 = 1_790_000_000_000;
const params = { version: '3.0', capabilities: { codecs: ['brotli', 'raw'], maxFrameBytes: 1024 } };

function reasonOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(M2MError);
    expect((e as M2MError).code).toBe('UNAUTHORIZED');
    return (e as M2MError).details?.reason as string;
  }
  return undefined;
}

describe('HELLO auth proof', () => {
  it('pins the MAC input format (fixed key, nonce and time)', () => {
    const a = createHelloAuth(KEY, { nodeId: 'node-a', params, audience: 'node-b' }, T0, NONCE);
    expect(a).toEqual({ alg: 'HMAC-SHA256', ts: T0, nonce: 'oKGio6SlpqeoqaqrrK2urw==', proof: a.proof });
    expect(Buffer.from(a.proof, 'base64').toString('hex')).toBe(FIXTURE_PROOF_HEX);
  });

  it('verifies a fresh proof once, then refuses its replay', () => {
    const v = new HelloAuthVerifier({ keys: KEY, audience: 'node-b', now: () => T0 + 1000 });
    const a = createHelloAuth(KEY, { nodeId: 'node-a', params, audience: 'node-b' }, T0);
    expect(reasonOf(() => v.verify(a, 'node-a', params))).toBeUndefined();
    expect(reasonOf(() => v.verify(a, 'node-a', params))).toBe('replayed');
  });

  it('refuses proofs that do not match what they claim to cover', () => {
    const v = new HelloAuthVerifier({ keys: KEY, audience: 'node-b', now: () => T0 });
    const a = createHelloAuth(KEY, { nodeId: 'node-a', params, audience: 'node-b' }, T0);
    expect(reasonOf(() => v.verify(a, 'node-x', params))).toBe('bad-proof');
    expect(reasonOf(() => v.verify(a, 'node-a', { ...params, version: '2.0' }))).toBe('bad-proof');
    expect(reasonOf(() => v.verify({ ...a, ts: T0 + 1 }, 'node-a', params))).toBe('bad-proof');
    const wrongAudience = createHelloAuth(KEY, { nodeId: 'node-a', params, audience: 'node-c' }, T0);
    expect(reasonOf(() => v.verify(wrongAudience, 'node-a', params))).toBe('bad-proof');
    const wrongKey = createHelloAuth(OTHER, { nodeId: 'node-a', params, audience: 'node-b' }, T0);
    expect(reasonOf(() => v.verify(wrongKey, 'node-a', params))).toBe('bad-proof');
    // a failed proof leaves no nonce behind
    expect(v.cachedNonces).toBe(0);
  });

  it('refuses stale and future timestamps outside the skew window', () => {
    const v = new HelloAuthVerifier({ keys: KEY, maxSkewMs: 30_000, now: () => T0 });
    const old = createHelloAuth(KEY, { nodeId: 'n', params }, T0 - 30_001);
    const future = createHelloAuth(KEY, { nodeId: 'n', params }, T0 + 30_001);
    const edge = createHelloAuth(KEY, { nodeId: 'n', params }, T0 - 30_000);
    expect(reasonOf(() => v.verify(old, 'n', params))).toBe('stale');
    expect(reasonOf(() => v.verify(future, 'n', params))).toBe('stale');
    expect(reasonOf(() => v.verify(edge, 'n', params))).toBeUndefined();
  });

  it('refuses missing and malformed proofs', () => {
    const v = new HelloAuthVerifier({ keys: KEY, now: () => T0 });
    const a = createHelloAuth(KEY, { nodeId: 'n', params }, T0);
    const bad: unknown[] = [
      { ...a, alg: 'HMAC-SHA1' },
      { ...a, ts: -1 },
      { ...a, ts: '1' },
      { ...a, nonce: 'AAAA' },
      { ...a, nonce: 'not base64!!' },
      { ...a, proof: a.proof.slice(0, -4) },
      { ...a, proof: 'A'.repeat(10_000) },
      'token',
    ];
    expect(reasonOf(() => v.verify(undefined, 'n', params))).toBe('missing');
    for (const b of bad) expect(reasonOf(() => v.verify(b, 'n', params))).toBe('malformed');
    expect(reasonOf(() => v.verify(a, 'n'.repeat(300), params))).toBe('malformed');
  });

  it('looks keys up per node and refuses unknown nodes', () => {
    const keys = new Map([['node-a', KEY]]);
    const v = new HelloAuthVerifier({ keys: (id) => keys.get(id), now: () => T0 });
    expect(reasonOf(() => v.verify(createHelloAuth(KEY, { nodeId: 'node-a', params }, T0), 'node-a', params))).toBeUndefined();
    expect(reasonOf(() => v.verify(createHelloAuth(KEY, { nodeId: 'node-z', params }, T0), 'node-z', params))).toBe('unknown-node');
  });

  it('rejects short keys', () => {
    expect(() => createHelloAuth(new Uint8Array(31), { nodeId: 'n', params })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => new HelloAuthVerifier({ keys: new Uint8Array(8) })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('bounds the replay cache: expired nonces are dropped, a full cache fails closed', () => {
    let now = T0;
    const v = new HelloAuthVerifier({ keys: KEY, maxSkewMs: 1000, maxNonces: 2, now: () => now });
    const mk = (): HelloAuth => createHelloAuth(KEY, { nodeId: 'n', params }, now);
    v.verify(mk(), 'n', params);
    v.verify(mk(), 'n', params);
    expect(reasonOf(() => v.verify(mk(), 'n', params))).toBe('busy');
    now += 2001;
    expect(reasonOf(() => v.verify(mk(), 'n', params))).toBeUndefined();
    expect(v.cachedNonces).toBe(1);
  });

  it('canonical JSON ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: new Uint8Array([1, 2]) } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":{"$b64":"AQI="},"z":1}}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }));
  });

  it('any proof verifies for its own inputs, and any flipped proof bit fails', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), fc.nat(255), (nodeId, p, bit) => {
        const v = new HelloAuthVerifier({ keys: KEY, now: () => T0 });
        const a = createHelloAuth(KEY, { nodeId, params: p }, T0);
        const flipped = Buffer.from(a.proof, 'base64');
        flipped[bit >> 3] ^= 1 << (bit & 7);
        expect(reasonOf(() => v.verify({ ...a, proof: flipped.toString('base64') }, nodeId, p))).toBe('bad-proof');
        expect(reasonOf(() => v.verify(a, nodeId, p))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('survives the HELLO control frame round trip and plugs into verifyHello', () => {
    const capabilities = defaultCapabilities();
    const hello = { version: '3.0', nodeId: 'node-a', capabilities };
    const auth = createHelloAuth(KEY, { nodeId: 'node-a', params: helloParams(hello), audience: 'node-b' }, T0);
    const frame = encodeControlFrame('HELLO', { ...hello, auth });
    const len = readVarint(frame, 2);
    const decoded = decodeHello(frame.subarray(len.next, len.next + len.value));
    const failures: string[] = [];
    const hook = helloAuthHook(new HelloAuthVerifier({ keys: KEY, audience: 'node-b', now: () => T0 }), (e) => failures.push(String(e.details?.reason)));
    expect(hook(decoded)).toBeUndefined();
    expect(hook(decoded)).toEqual({ code: 'UNAUTHORIZED', message: 'authentication failed' });
    expect(hook({ ...decoded, auth: undefined })).toEqual({ code: 'UNAUTHORIZED', message: 'authentication failed' });
    expect(failures).toEqual(['replayed', 'missing']);
  });
});

// Computed independently (Python hmac) from the format in protocol/hello-auth.ts.
const FIXTURE_PROOF_HEX = 'aeb706bcf3e1d2c04b37e683587915e025d1456b67537e839de158ebe866712b';
