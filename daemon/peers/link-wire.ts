/**
 * How a router message rides in a session DATA frame between daemons. DATA already carries the
 * sender and recipient agent ids; the payload is one line of JSON metadata
 * `[uid, clientId|null, [safe, blocked, score, threat, threats]|null]`, a newline, then the body's
 * JSON text exactly as the agent sent it (so it arrives byte-identical). The session's context
 * codec compresses the whole payload.
 *
 * When both daemons list the {@link BATCH_EXTENSION} session extension, consecutive messages of one
 * route (same sender and recipient agent) may share a DATA frame: the payload is then a 0x00 byte,
 * varint count, and per message varint length + the single-message payload above. A single-message
 * payload always starts with `[`, so the two cannot be confused. One frame for a burst means one
 * compressor call, one frame header, one ACK slot and one pass through the session for all of them
 * (measured: session Brotli costs 19 µs per 1 KB message alone, 10 µs in frames of 16, and its
 * output shrinks from 0.209 to 0.176 of the input).
 */
import { M2MError } from '../../protocol/errors.js';
import { Codec, codecName, FrameType, DATA_FLAG_SAME_ROUTE, type CodecName } from '../../protocol/session/frames.js';
import { readVarint, varintSize, writeVarint } from '../../protocol/varint.js';
import { messageSlab } from '../../protocol/session/byte-slab.js';
import type { WireMessage } from '../router/types.js';

const strict = new TextDecoder('utf-8', { fatal: true });
/** Longest metadata line accepted. */
const MAX_META_BYTES = 16 * 1024;
/** Session extension name both daemons list to send several messages per DATA frame. */
export const BATCH_EXTENSION = 'm2m-link-batch';
/** Most messages in one batched DATA frame (decoder bound; the sender stops well before). */
export const MAX_BATCH_MESSAGES = 1024;
const BATCH_MARK = 0x00;

export function encodeWire(m: WireMessage): Uint8Array {
  const v = m.verdict;
  const meta = JSON.stringify([m.uid, m.id ?? null, v ? [v.safe, v.blocked, v.score, v.threat, v.threats] : null]);
  return messageSlab.utf8Pair(meta, 0x0a, m.json);
}

function bad(what: string): never {
  throw new M2MError('MALFORMED_FRAME', `malformed peer message: ${what}`);
}

const isStr = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length <= max;

/** Several messages of one route as one DATA payload (see the module comment). */
export function encodeWireBatch(msgs: readonly WireMessage[]): Uint8Array {
  const parts = msgs.map(encodeWire);
  let size = 1 + varintSize(parts.length);
  for (const p of parts) size += varintSize(p.length) + p.length;
  const out = new Uint8Array(size);
  out[0] = BATCH_MARK;
  let pos = writeVarint(out, 1, parts.length);
  for (const p of parts) {
    pos = writeVarint(out, pos, p.length);
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * The messages of one DATA payload, single or batched.
 * @throws M2MError MALFORMED_FRAME
 */
export function decodeWirePayload(payload: Uint8Array, from: string, to: string): WireMessage[] {
  if (payload[0] !== BATCH_MARK) return [decodeWire(payload, from, to)];
  let count: number;
  let pos: number;
  try {
    ({ value: count, next: pos } = readVarint(payload, 1));
  } catch (e) {
    bad((e as Error).message);
  }
  if (count < 1 || count > MAX_BATCH_MESSAGES) bad(`batch of ${count} messages`);
  const out: WireMessage[] = [];
  for (let i = 0; i < count; i++) {
    let len: number;
    try {
      ({ value: len, next: pos } = readVarint(payload, pos));
    } catch (e) {
      bad((e as Error).message);
    }
    if (len > payload.length - pos) bad('batch entry runs past the frame');
    out.push(decodeWire(payload.subarray(pos, pos + len), from, to));
    pos += len;
  }
  if (pos !== payload.length) bad('bytes after the last batch entry');
  return out;
}

/** @throws M2MError MALFORMED_FRAME, INVALID_UTF8-like decode errors as MALFORMED_FRAME */
export function decodeWire(payload: Uint8Array, from: string, to: string): WireMessage {
  const nl = payload.indexOf(0x0a);
  if (nl < 0 || nl > MAX_META_BYTES) bad('no metadata line');
  let meta: unknown;
  let json: string;
  try {
    meta = JSON.parse(strict.decode(payload.subarray(0, nl)));
    json = strict.decode(payload.subarray(nl + 1));
  } catch (e) {
    bad((e as Error).message);
  }
  if (!Array.isArray(meta) || meta.length !== 3) bad('metadata');
  const [uid, id, verdict] = meta as unknown[];
  if (!isStr(uid)) bad('uid');
  if (id !== null && !isStr(id, 1024) && typeof id !== 'number') bad('id');
  const msg: WireMessage = { uid, from, to, json };
  if (id !== null) msg.id = id as string | number;
  if (verdict !== null) {
    if (!Array.isArray(verdict) || verdict.length !== 5) bad('verdict');
    const [safe, blocked, score, threat, threats] = verdict as unknown[];
    if (typeof safe !== 'boolean' || typeof blocked !== 'boolean' || typeof score !== 'number' || (threat !== null && !isStr(threat, 64)) || !Array.isArray(threats) || threats.length > 64 || !threats.every((t) => isStr(t, 128))) bad('verdict');
    msg.verdict = { safe, blocked, score, threat: threat as string | null, threats: threats as string[] };
  }
  return msg;
}

/** The codec of a whole DATA frame as the endpoint wrote it (for metrics), or undefined for other frames. */
export function dataFrameCodec(frame: Uint8Array): CodecName | undefined {
  if (frame[0] !== FrameType.DATA) return undefined;
  try {
    let pos = readVarint(frame, 2).next;
    pos = readVarint(frame, pos).next;
    if ((frame[1] & DATA_FLAG_SAME_ROUTE) === 0) {
      for (let i = 0; i < 2; i++) {
        const len = readVarint(frame, pos);
        pos = len.next + len.value;
      }
    }
    return codecName(frame[pos] ?? Codec.raw);
  } catch {
    return undefined;
  }
}
