/**
 * The Rust reference's JSON session envelope, for the HTTP `/message` endpoint and reference-style
 * clients: `{"type", "session_id"?, "payload", "timestamp"}` (session_id left out when absent,
 * timestamp in unix ms and required on input). Payloads by type: HELLO/ACCEPT = Capabilities,
 * REJECT = `{code, message}`, DATA = `{algorithm, content, original_size?, security_status?}`,
 * PING/PONG/CLOSE = `{}` (we also read and write an optional CLOSE `reason`, which the reference ignores).
 *
 * Unlike the reference, ACCEPT carries the agreed result (in the Capabilities shape), not the
 * responder's full capabilities, and the initiator's encoding preference wins (see negotiate.ts).
 */
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { CLOSE_REASONS, REJECT_CODES, type CloseReason, type EncodingName, type RejectCode } from './control.js';
import { majorVersion } from './negotiate.js';

/** Version string the reference speaks in its envelopes. */
export const REFERENCE_VERSION = '3.0';

export const ENVELOPE_TYPES = ['HELLO', 'ACCEPT', 'REJECT', 'DATA', 'PING', 'PONG', 'CLOSE'] as const;
export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];
/** Wire-string algorithms, serde names. */
export type RefAlgorithm = 'm2m' | 'tokennative' | 'brotli' | 'none';
export const REF_ALGORITHMS: readonly RefAlgorithm[] = ['m2m', 'tokennative', 'brotli', 'none'];
export type RefEncoding = 'Cl100kBase' | 'O200kBase' | 'LlamaBpe' | 'Heuristic';

export interface RefCapabilities {
  version: string;
  agent_id: string;
  agent_type: string;
  compression: {
    algorithms: RefAlgorithm[];
    max_payload: number;
    streaming: boolean;
    ml_routing: boolean;
    encodings: RefEncoding[];
    preferred_encoding: RefEncoding;
  };
  security: { threat_detection: boolean; model_version: string | null; blocking_mode: boolean; block_threshold: number };
  extensions: Record<string, unknown>;
}
export interface RefDataPayload {
  algorithm: RefAlgorithm;
  content: string;
  original_size?: number;
  security_status?: { scanned: boolean; safe: boolean; threat_type?: string; confidence?: number };
}
export type Envelope =
  | { type: 'HELLO' | 'ACCEPT'; session_id?: string; payload: RefCapabilities; timestamp: number }
  | { type: 'REJECT'; session_id?: string; payload: { code: RejectCode; message: string }; timestamp: number }
  | { type: 'DATA'; session_id?: string; payload: RefDataPayload; timestamp: number }
  | { type: 'PING' | 'PONG' | 'CLOSE'; session_id?: string; payload: { reason?: CloseReason }; timestamp: number };

const ENC_TO_REF: Record<EncodingName, RefEncoding> = { cl100k: 'Cl100kBase', o200k: 'O200kBase', llama3: 'LlamaBpe' };
// The reference tokenizes "LlamaBpe" with cl100k; we map it to the real Llama 3 tokenizer and say so in the docs.
const REF_TO_ENC: Partial<Record<RefEncoding, EncodingName>> = { Cl100kBase: 'cl100k', O200kBase: 'o200k', LlamaBpe: 'llama3' };

export function toRefEncoding(e: EncodingName): RefEncoding {
  return ENC_TO_REF[e];
}
/** Our encoding for a reference name; `Heuristic` and unknown names have none. */
export function fromRefEncoding(e: string): EncodingName | undefined {
  return REF_TO_ENC[e as RefEncoding];
}

function bad(message: string): M2MError {
  return new M2MError('BAD_INPUT', `envelope: ${message}`);
}
type Obj = Record<string, unknown>;
function obj(x: unknown, what: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad(`${what} must be an object`);
  return x as Obj;
}
function depth(x: unknown, max: number, d = 0): void {
  if (d > max) throw new M2MError('TOO_DEEP', `envelope nests deeper than ${max}`);
  if (typeof x === 'object' && x !== null) for (const v of Object.values(x)) depth(v, max, d + 1);
}

function refCapabilities(x: unknown): RefCapabilities {
  const o = obj(x, 'payload');
  const c = obj(o.compression, 'compression');
  const s = obj(o.security, 'security');
  const strs = (v: unknown, what: string): string[] => {
    if (!Array.isArray(v) || !v.every((e) => typeof e === 'string')) throw bad(`${what} must be a list of strings`);
    return v as string[];
  };
  if (typeof o.version !== 'string' || typeof o.agent_id !== 'string' || typeof o.agent_type !== 'string') throw bad('version, agent_id and agent_type must be strings');
  const threshold = s.block_threshold;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw bad('block_threshold must be a number in 0..1');
  const maxPayload = c.max_payload ?? 0;
  if (typeof maxPayload !== 'number' || !Number.isSafeInteger(maxPayload) || maxPayload < 0) throw bad('max_payload must be a non-negative integer');
  return {
    version: o.version,
    agent_id: o.agent_id,
    agent_type: o.agent_type,
    compression: {
      algorithms: strs(c.algorithms, 'algorithms').filter((a): a is RefAlgorithm => (REF_ALGORITHMS as readonly string[]).includes(a)),
      max_payload: maxPayload,
      streaming: c.streaming === true,
      ml_routing: c.ml_routing === true,
      encodings: (c.encodings === undefined ? ['Cl100kBase', 'O200kBase'] : strs(c.encodings, 'encodings')) as RefEncoding[],
      preferred_encoding: (typeof c.preferred_encoding === 'string' ? c.preferred_encoding : 'Cl100kBase') as RefEncoding,
    },
    security: {
      threat_detection: s.threat_detection === true,
      model_version: typeof s.model_version === 'string' ? s.model_version : null,
      blocking_mode: s.blocking_mode === true,
      block_threshold: threshold,
    },
    extensions: o.extensions === undefined ? {} : obj(o.extensions, 'extensions'),
  };
}

/**
 * Parse and validate one envelope (bounded by `maxInputBytes` and `maxJsonDepth`).
 * @throws M2MError INVALID_JSON, INPUT_TOO_LARGE, TOO_DEEP, BAD_INPUT
 */
export function decodeEnvelope(text: string, limits: Limits = DEFAULT_LIMITS): Envelope {
  if (text.length > limits.maxInputBytes) throw new M2MError('INPUT_TOO_LARGE', `envelope longer than ${limits.maxInputBytes} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new M2MError('INVALID_JSON', `envelope is not JSON: ${(e as Error).message}`);
  }
  depth(v, limits.maxJsonDepth);
  const o = obj(v, 'envelope');
  const type = o.type;
  if (typeof type !== 'string' || !(ENVELOPE_TYPES as readonly string[]).includes(type)) throw bad(`unknown type ${JSON.stringify(type)}`);
  const ts = o.timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) throw bad('timestamp (unix ms) is required');
  const sid = o.session_id;
  if (sid !== undefined && sid !== null && typeof sid !== 'string') throw bad('session_id must be a string');
  const base = { ...(typeof sid === 'string' ? { session_id: sid } : {}), timestamp: ts };
  const p = o.payload === undefined ? {} : obj(o.payload, 'payload');
  switch (type as EnvelopeType) {
    case 'HELLO':
    case 'ACCEPT':
      return { type: type as 'HELLO' | 'ACCEPT', ...base, payload: refCapabilities(p) };
    case 'REJECT': {
      if (typeof p.code !== 'string' || typeof p.message !== 'string') throw bad('REJECT payload needs code and message');
      const code = (REJECT_CODES as readonly string[]).includes(p.code) ? (p.code as RejectCode) : 'UNKNOWN';
      return { type: 'REJECT', ...base, payload: { code, message: p.message } };
    }
    case 'DATA': {
      if (typeof p.algorithm !== 'string' || !(REF_ALGORITHMS as readonly string[]).includes(p.algorithm) || typeof p.content !== 'string') {
        throw bad('DATA payload needs a known algorithm and a content string');
      }
      const payload: RefDataPayload = { algorithm: p.algorithm as RefAlgorithm, content: p.content };
      if (typeof p.original_size === 'number') payload.original_size = p.original_size;
      if (p.security_status !== undefined && p.security_status !== null) {
        const s = obj(p.security_status, 'security_status');
        payload.security_status = { scanned: s.scanned === true, safe: s.safe === true };
        if (typeof s.threat_type === 'string') payload.security_status.threat_type = s.threat_type;
        if (typeof s.confidence === 'number') payload.security_status.confidence = s.confidence;
      }
      return { type: 'DATA', ...base, payload };
    }
    default: {
      const reason = typeof p.reason === 'string' && (CLOSE_REASONS as readonly string[]).includes(p.reason) ? (p.reason as CloseReason) : undefined;
      return { type: type as 'PING' | 'PONG' | 'CLOSE', ...base, payload: reason && type === 'CLOSE' ? { reason } : {} };
    }
  }
}

/** Serialize an envelope as the reference does: fixed key order, session_id left out when absent. */
export function encodeEnvelope(env: Envelope): string {
  const out: Obj = { type: env.type };
  if (env.session_id !== undefined) out.session_id = env.session_id;
  if (env.type === 'HELLO' || env.type === 'ACCEPT') {
    const c = env.payload;
    out.payload = {
      version: c.version,
      agent_id: c.agent_id,
      agent_type: c.agent_type,
      compression: { ...c.compression },
      security: { threat_detection: c.security.threat_detection, model_version: c.security.model_version, blocking_mode: c.security.blocking_mode, block_threshold: c.security.block_threshold },
      extensions: c.extensions,
    };
  } else out.payload = env.payload;
  out.timestamp = env.timestamp;
  return JSON.stringify(out);
}

/**
 * The responder's reply to a reference-style HELLO, by our negotiation rules: REJECT VERSION_MISMATCH
 * when the major version differs, NO_COMMON_ALGORITHM when no algorithm is shared, else ACCEPT with
 * the agreed capabilities (algorithms in the initiator's order).
 */
export function answerReferenceHello(hello: RefCapabilities, local: RefCapabilities, sessionId: string, now: number): Envelope {
  if (majorVersion(hello.version) !== majorVersion(local.version)) {
    return { type: 'REJECT', payload: { code: 'VERSION_MISMATCH', message: `peer speaks ${hello.version}, this node speaks ${local.version}` }, timestamp: now };
  }
  const algorithms = hello.compression.algorithms.filter((a) => local.compression.algorithms.includes(a));
  if (algorithms.length === 0) return { type: 'REJECT', payload: { code: 'NO_COMMON_ALGORITHM', message: 'no common algorithm' }, timestamp: now };
  const known = (list: RefEncoding[]): EncodingName[] => list.map(fromRefEncoding).filter((e): e is EncodingName => e !== undefined);
  const theirs = known(hello.compression.encodings);
  const ours = known(local.compression.encodings);
  const pref = fromRefEncoding(hello.compression.preferred_encoding);
  const encoding: EncodingName = pref !== undefined && ours.includes(pref) ? pref : (theirs.find((e) => ours.includes(e)) ?? 'cl100k');
  const maxes = [hello.compression.max_payload, local.compression.max_payload].filter((m) => m > 0);
  return {
    type: 'ACCEPT',
    session_id: sessionId,
    timestamp: now,
    payload: {
      version: local.version,
      agent_id: local.agent_id,
      agent_type: local.agent_type,
      compression: {
        algorithms,
        max_payload: maxes.length ? Math.min(...maxes) : 0,
        streaming: hello.compression.streaming && local.compression.streaming,
        ml_routing: hello.compression.ml_routing && local.compression.ml_routing,
        encodings: theirs.filter((e) => ours.includes(e)).map(toRefEncoding),
        preferred_encoding: toRefEncoding(encoding),
      },
      security: {
        threat_detection: hello.security.threat_detection || local.security.threat_detection,
        model_version: local.security.model_version ?? hello.security.model_version,
        blocking_mode: hello.security.blocking_mode || local.security.blocking_mode,
        block_threshold: Math.min(hello.security.block_threshold, local.security.block_threshold),
      },
      extensions: Object.fromEntries(Object.entries(hello.extensions).filter(([k]) => k in local.extensions)),
    },
  };
}
