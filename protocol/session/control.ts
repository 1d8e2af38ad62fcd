/**
 * Control frame bodies (HELLO, ACCEPT, REJECT, CLOSE, RESUME) as msgpack maps, with
 * strict validation of everything a peer sends: unknown keys are ignored, wrong types,
 * oversize strings/arrays or trailing bytes are MALFORMED_FRAME.
 */
import { Packr, Unpackr } from 'msgpackr';
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { CODEC_NAMES, FrameType, encodeFrame, type CodecName } from './frames.js';

/** Tokenizer encodings a session can agree on. */
export type EncodingName = 'cl100k' | 'o200k' | 'llama3';
export const ENCODING_NAMES: readonly EncodingName[] = Object.freeze(['cl100k', 'o200k', 'llama3'] as EncodingName[]);

export interface SecurityCaps {
  threatDetection: boolean;
  blocking: boolean;
  /** Block when a verdict's confidence is at or above this (0..1). Lower is stricter. */
  threshold: number;
  modelVersion: string | null;
}

/** What one side offers in HELLO. */
export interface Capabilities {
  /** DATA codecs in preference order. */
  codecs: CodecName[];
  encodings: EncodingName[];
  preferredEncoding: EncodingName;
  /** Largest frame body this side accepts. */
  maxFrameBytes: number;
  security: SecurityCaps;
  streaming: boolean;
  /** Priming dictionaries this side has, as `<id>:<hash>` strings, preferred first. */
  dictionaries: string[];
  extensions: Record<string, unknown>;
}

/** The result both sides use; ACCEPT carries it. */
export interface Agreement {
  codecs: CodecName[];
  encoding: EncodingName;
  maxFrameBytes: number;
  security: SecurityCaps;
  streaming: boolean;
  dictionary: string | null;
  /** Extension names both sides listed. */
  extensions: string[];
}

export interface HelloBody {
  version: string;
  nodeId: string;
  capabilities: Capabilities;
  /** Opaque auth proof, checked by the host's `verifyAuth` hook (transports issue). */
  auth?: unknown;
}
export interface AcceptBody {
  version: string;
  nodeId: string;
  sessionId: string;
  agreed: Agreement;
  /** Opaque proof of the responder (e.g. answering the HELLO's PSK proof), checked by the initiator's `verifyAccept` hook. */
  auth?: unknown;
}
export const REJECT_CODES = ['VERSION_MISMATCH', 'NO_COMMON_ALGORITHM', 'SECURITY_POLICY', 'UNAUTHORIZED', 'RATE_LIMITED', 'SERVER_BUSY', 'UNKNOWN'] as const;
export type RejectCode = (typeof REJECT_CODES)[number];
export interface RejectBody {
  code: RejectCode;
  message: string;
}
export const CLOSE_REASONS = ['NORMAL', 'TIMEOUT', 'ERROR', 'CLIENT_SHUTDOWN', 'SERVER_SHUTDOWN', 'PROTOCOL_ERROR'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export interface CloseBody {
  reason: CloseReason;
  message?: string;
}
export interface ResumeBody {
  sessionId: string;
  /** Highest sequence number this side received in order (0 = none). */
  lastSeq: number;
  /** Which request this is (requests count up from 1); an answer repeats the request's epoch. @default 0 */
  epoch?: number;
  /** True on the answer to a RESUME request. @default false */
  reply?: boolean;
  /**
   * Highest sequence number this side has acknowledged (delivered), when that is below `lastSeq`: the
   * sender replays after `lastSeq` but keeps (acked, lastSeq] until a cumulative ACK covers them. @default lastSeq
   */
  acked?: number;
  /** Opaque auth proof (as in HELLO), checked by the host before it reattaches the session. */
  auth?: unknown;
}

const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const MAX_STR = 1024;
const MAX_LIST = 64;

type Obj = Record<string, unknown>;
function bad(message: string): M2MError {
  return new M2MError('MALFORMED_FRAME', message, { closeReason: 'PROTOCOL_ERROR' });
}
function obj(x: unknown, what: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || x instanceof Uint8Array) throw bad(`${what} must be a map`);
  return x as Obj;
}
function str(o: Obj, k: string, max = MAX_STR): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length > max) throw bad(`${k} must be a string of at most ${max} chars`);
  return v;
}
function bool(o: Obj, k: string): boolean {
  if (typeof o[k] !== 'boolean') throw bad(`${k} must be a boolean`);
  return o[k] as boolean;
}
function int(o: Obj, k: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw bad(`${k} must be an integer in 0..${max}`);
  return v;
}
function strList(o: Obj, k: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || v.length > MAX_LIST || !v.every((s) => typeof s === 'string' && s.length <= MAX_STR)) throw bad(`${k} must be a list of at most ${MAX_LIST} strings`);
  return v as string[];
}
function oneOf<T extends string>(v: string, allowed: readonly T[], k: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw bad(`${k} '${v}' is not one of ${allowed.join(', ')}`);
  return v as T;
}

function security(x: unknown): SecurityCaps {
  const o = obj(x, 'security');
  const t = o.threshold;
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw bad('threshold must be a number in 0..1');
  const m = o.modelVersion;
  if (m !== null && (typeof m !== 'string' || m.length > MAX_STR)) throw bad('modelVersion must be a string or null');
  return { threatDetection: bool(o, 'threatDetection'), blocking: bool(o, 'blocking'), threshold: t, modelVersion: m };
}

/** Validate a peer's capabilities. Unknown codec and encoding names are dropped (a newer peer may know more). */
export function parseCapabilities(x: unknown): Capabilities {
  const o = obj(x, 'capabilities');
  const ext = o.extensions === undefined ? {} : obj(o.extensions, 'extensions');
  if (Object.keys(ext).length > MAX_LIST) throw bad('too many extensions');
  return {
    codecs: strList(o, 'codecs').filter((c): c is CodecName => (CODEC_NAMES as readonly string[]).includes(c)),
    encodings: strList(o, 'encodings').filter((e): e is EncodingName => (ENCODING_NAMES as readonly string[]).includes(e)),
    preferredEncoding: str(o, 'preferredEncoding') as EncodingName,
    maxFrameBytes: int(o, 'maxFrameBytes'),
    security: security(o.security),
    streaming: bool(o, 'streaming'),
    dictionaries: o.dictionaries === undefined ? [] : strList(o, 'dictionaries'),
    extensions: ext,
  };
}

function agreement(x: unknown): Agreement {
  const o = obj(x, 'agreed');
  const codecs = strList(o, 'codecs');
  for (const c of codecs) oneOf(c, CODEC_NAMES, 'codec');
  const dict = o.dictionary;
  if (dict !== null && (typeof dict !== 'string' || dict.length > MAX_STR)) throw bad('dictionary must be a string or null');
  return {
    codecs: codecs as CodecName[],
    encoding: oneOf(str(o, 'encoding'), ENCODING_NAMES, 'encoding'),
    maxFrameBytes: int(o, 'maxFrameBytes'),
    security: security(o.security),
    streaming: bool(o, 'streaming'),
    dictionary: dict,
    extensions: strList(o, 'extensions'),
  };
}

/** Encode a control frame (header included). */
export function encodeControlFrame(type: 'HELLO', body: HelloBody): Uint8Array;
export function encodeControlFrame(type: 'ACCEPT', body: AcceptBody): Uint8Array;
export function encodeControlFrame(type: 'REJECT', body: RejectBody): Uint8Array;
export function encodeControlFrame(type: 'CLOSE', body: CloseBody): Uint8Array;
export function encodeControlFrame(type: 'RESUME', body: ResumeBody): Uint8Array;
export function encodeControlFrame(type: 'HELLO' | 'ACCEPT' | 'REJECT' | 'CLOSE' | 'RESUME', body: object): Uint8Array {
  const packed = packr.pack(body);
  if (packed.length > DEFAULT_LIMITS.maxControlBodyBytes) throw new M2MError('FRAME_TOO_LARGE', `${type} body of ${packed.length} bytes exceeds ${DEFAULT_LIMITS.maxControlBodyBytes}`);
  return encodeFrame(FrameType[type], packed);
}

function unpack(body: Uint8Array, maxBytes: number): Obj {
  if (body.length > maxBytes) throw new M2MError('FRAME_TOO_LARGE', `control body of ${body.length} bytes exceeds ${maxBytes}`, { closeReason: 'PROTOCOL_ERROR' });
  let v: unknown;
  try {
    // unpackMultiple would accept trailing values; a control body is exactly one map.
    const values = unpackr.unpackMultiple(body) as unknown[];
    if (values.length !== 1) throw bad('control body must hold exactly one msgpack value');
    v = values[0];
  } catch (e) {
    if (e instanceof M2MError) throw e;
    throw bad(`control body is not valid msgpack: ${(e as Error).message}`);
  }
  return obj(v, 'control body');
}

/**
 * Decode and validate a control body of the given frame type.
 * @throws M2MError MALFORMED_FRAME (details.closeReason = 'PROTOCOL_ERROR'), FRAME_TOO_LARGE
 */
export function decodeHello(body: Uint8Array, maxBytes = DEFAULT_LIMITS.maxControlBodyBytes): HelloBody {
  const o = unpack(body, maxBytes);
  const out: HelloBody = { version: str(o, 'version', 32), nodeId: str(o, 'nodeId'), capabilities: parseCapabilities(o.capabilities) };
  if (o.auth !== undefined) out.auth = o.auth;
  return out;
}
export function decodeAccept(body: Uint8Array, maxBytes = DEFAULT_LIMITS.maxControlBodyBytes): AcceptBody {
  const o = unpack(body, maxBytes);
  const out: AcceptBody = { version: str(o, 'version', 32), nodeId: str(o, 'nodeId'), sessionId: str(o, 'sessionId', 128), agreed: agreement(o.agreed) };
  if (o.auth !== undefined) out.auth = o.auth;
  return out;
}
export function decodeReject(body: Uint8Array, maxBytes = DEFAULT_LIMITS.maxControlBodyBytes): RejectBody {
  const o = unpack(body, maxBytes);
  const code = str(o, 'code', 64);
  return { code: (REJECT_CODES as readonly string[]).includes(code) ? (code as RejectCode) : 'UNKNOWN', message: str(o, 'message') };
}
export function decodeClose(body: Uint8Array, maxBytes = DEFAULT_LIMITS.maxControlBodyBytes): CloseBody {
  const o = unpack(body, maxBytes);
  const out: CloseBody = { reason: oneOf(str(o, 'reason', 64), CLOSE_REASONS, 'reason') };
  if (o.message !== undefined) out.message = str(o, 'message');
  return out;
}
export function decodeResume(body: Uint8Array, maxBytes = DEFAULT_LIMITS.maxControlBodyBytes): ResumeBody {
  const o = unpack(body, maxBytes);
  const out: ResumeBody = { sessionId: str(o, 'sessionId', 128), lastSeq: int(o, 'lastSeq') };
  if (o.epoch !== undefined) out.epoch = int(o, 'epoch');
  if (o.reply !== undefined) out.reply = bool(o, 'reply');
  if (o.acked !== undefined) out.acked = int(o, 'acked');
  if (o.auth !== undefined) out.auth = o.auth;
  return out;
}
