/**
 * Frames of the daemon-to-daemon link, one per transport message, msgpack arrays:
 * - HELLO  `[0, {v, node, epoch, recvEpoch, recvSeq, nonce, codecs?, dict?, auth?}]` (auth: protocol/hello-auth proof)
 * - DATA   `[1, seq, uid, from, to, id|null, codec, payload, [safe, blocked, score, threat, threats]|null]` (payload = the body's
 *   JSON text as UTF-8, through the agreed codec: `raw` or `bytes+ctx`, the session-context Brotli
 *   of protocol/session with its built-in dictionary, one context per direction per connection)
 * - ACK    `[2, seq]` (cumulative: everything up to seq arrived)
 * - CLOSE  `[3, reason]`  (NORMAL, SERVER_SHUTDOWN, DUPLICATE, …)
 * - REJECT `[4, code, message]` (UNAUTHORIZED, VERSION_MISMATCH, …)
 * - PING   `[5, 0]`, PONG `[6, 0]` (keepalive when the link is idle)
 * Bodies travel as their JSON text so they arrive byte-identical.
 */
import type { CodecId } from '../../protocol/session/frames.js';
import { Packr } from 'msgpackr';
import { M2MError } from '../../protocol/errors.js';
import type { VerdictSummary } from '../agent-api/messages.js';
import type { WireMessage } from '../router/types.js';

export const LINK_VERSION = 1;

export interface HelloBody {
  v: number;
  node: string;
  /** Id of the sender's outgoing stream (changes when its daemon restarts). */
  epoch: string;
  /** The epoch of the receiver's stream as the sender last saw it ('' = none). */
  recvEpoch: string;
  /** Last in-order sequence number the sender received from that stream. */
  recvSeq: number;
  /** Fresh per HELLO; the listener's proof covers the dialer's nonce. */
  nonce: string;
  /** PSK proof (`HelloAuth` of protocol/hello-auth), checked by the receiver. */
  auth?: unknown;
  /** DATA codecs the sender can use, preferred first (e.g. `bytes+ctx`, `raw`). Absent = `raw` only. */
  codecs?: string[];
  /** Priming dictionary id for the context codec. */
  dict?: string;
}

/** A DATA frame before its payload is decoded. */
export interface DataFrame {
  seq: number;
  uid: string;
  from: string;
  to: string;
  id?: string | number;
  codec: CodecId;
  payload: Uint8Array;
  verdict?: VerdictSummary;
}

export type LinkFrame =
  | { t: 'hello'; hello: HelloBody }
  | { t: 'data'; data: DataFrame }
  | { t: 'ack'; seq: number }
  | { t: 'close'; reason: string }
  | { t: 'reject'; code: string; message: string }
  | { t: 'ping' }
  | { t: 'pong' };

const packr = new Packr({ useRecords: false, moreTypes: false });

export function encodeHello(h: HelloBody): Uint8Array {
  return packr.pack([0, h]);
}

export function encodeData(seq: number, m: WireMessage, codec: CodecId, payload: Uint8Array): Uint8Array {
  const v = m.verdict;
  return packr.pack([1, seq, m.uid, m.from, m.to, m.id ?? null, codec, payload, v ? [v.safe, v.blocked, v.score, v.threat, v.threats] : null]);
}

export function encodeAck(seq: number): Uint8Array {
  return packr.pack([2, seq]);
}

export function encodeClose(reason: string): Uint8Array {
  return packr.pack([3, reason]);
}

export const PING_FRAME: Uint8Array = packr.pack([5, 0]);
export const PONG_FRAME: Uint8Array = packr.pack([6, 0]);

export function encodeReject(code: string, message: string): Uint8Array {
  return packr.pack([4, code, message]);
}

function bad(what: string): never {
  throw new M2MError('MALFORMED_FRAME', `malformed link frame: ${what}`);
}

const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStr = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length <= max;

/**
 * Decode one link frame.
 * @throws M2MError MALFORMED_FRAME, UNKNOWN_FRAME_TYPE
 */
export function decodeLinkFrame(bytes: Uint8Array): LinkFrame {
  let a: unknown;
  try {
    a = packr.unpack(bytes);
  } catch (e) {
    bad((e as Error).message);
  }
  if (!Array.isArray(a) || a.length < 2) bad('not an array');
  switch (a[0]) {
    case 0: {
      const h = a[1] as Record<string, unknown>;
      if (typeof h !== 'object' || h === null) bad('HELLO body');
      if (!isSeq(h.v) || !isStr(h.node, 64) || !isStr(h.epoch, 64) || !isStr(h.recvEpoch, 64) || !isSeq(h.recvSeq) || !isStr(h.nonce, 128)) bad('HELLO fields');
      if (h.auth !== undefined && (typeof h.auth !== 'object' || h.auth === null)) bad('HELLO auth');
      const hello: HelloBody = { v: h.v, node: h.node, epoch: h.epoch, recvEpoch: h.recvEpoch, recvSeq: h.recvSeq, nonce: h.nonce };
      if (h.auth !== undefined) hello.auth = h.auth;
      if (Array.isArray(h.codecs) && h.codecs.length <= 16 && h.codecs.every((c) => isStr(c, 32))) hello.codecs = h.codecs as string[];
      if (isStr(h.dict, 128)) hello.dict = h.dict;
      return { t: 'hello', hello };
    }
    case 1: {
      const [, seq, uid, from, to, id, codec, payload, verdict] = a as unknown[];
      if (!isSeq(seq) || !isStr(uid) || !isStr(from, 64) || !isStr(to, 64) || typeof codec !== 'number' || !(payload instanceof Uint8Array)) bad('DATA fields');
      if (id !== null && typeof id !== 'string' && typeof id !== 'number') bad('DATA id');
      const data: DataFrame = { seq, uid, from, to, codec: codec as CodecId, payload };
      if (id !== null) data.id = id as string | number;
      if (Array.isArray(verdict) && verdict.length === 5) {
        const [safe, blocked, score, threat, threats] = verdict as unknown[];
        if (typeof safe !== 'boolean' || typeof blocked !== 'boolean' || typeof score !== 'number' || (threat !== null && !isStr(threat, 64)) || !Array.isArray(threats) || threats.length > 64 || !threats.every((t) => isStr(t, 128))) bad('DATA verdict');
        data.verdict = { safe, blocked, score, threat: threat as string | null, threats: threats as string[] };
      }
      return { t: 'data', data };
    }
    case 2:
      if (!isSeq(a[1])) bad('ACK seq');
      return { t: 'ack', seq: a[1] };
    case 3:
      return { t: 'close', reason: isStr(a[1]) ? a[1] : 'NORMAL' };
    case 4:
      return { t: 'reject', code: isStr(a[1], 64) ? a[1] : 'UNKNOWN', message: isStr(a[2], 1024) ? a[2] : '' };
    case 5:
      return { t: 'ping' };
    case 6:
      return { t: 'pong' };
    default:
      throw new M2MError('UNKNOWN_FRAME_TYPE', `unknown link frame type ${JSON.stringify(a[0])}`);
  }
}
