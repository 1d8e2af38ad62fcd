/**
 * Binary session frames: `type u8 | flags u8 | length varint | body`.
 * See docs/PROTOCOL.md for the byte layout of every body, with hex examples.
 * DATA bodies are `seq varint | from (len varint + UTF-8) | to (len varint + UTF-8) | codec u8 | payload`;
 * with flag {@link DATA_FLAG_SAME_ROUTE} the two agent ids are left out and the previous DATA frame's
 * ids (same direction, same connection) apply;
 * ACK bodies are one varint (the highest sequence number received in order);
 * PING/PONG bodies are empty; HELLO/ACCEPT/REJECT/CLOSE/RESUME bodies are msgpack (control.ts).
 */
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { readVarint, varintSize, writeVarint } from '../varint.js';
import { messageSlab } from './byte-slab.js';

/** Frame type bytes. Values are part of the wire format and never change. */
export const FrameType = {
  HELLO: 0x01,
  ACCEPT: 0x02,
  REJECT: 0x03,
  DATA: 0x04,
  ACK: 0x05,
  PING: 0x06,
  PONG: 0x07,
  CLOSE: 0x08,
  RESUME: 0x09,
} as const;
export type FrameTypeName = keyof typeof FrameType;
export type FrameTypeCode = (typeof FrameType)[FrameTypeName];

const NAMES: Record<number, FrameTypeName> = Object.fromEntries(Object.entries(FrameType).map(([k, v]) => [v, k as FrameTypeName]));

/** Name of a frame type byte, or undefined when the byte is not a known type. */
export function frameTypeName(code: number): FrameTypeName | undefined {
  return NAMES[code];
}

/** A frame as read off the wire: type byte, flags byte and the undecoded body. */
export interface RawFrame {
  type: FrameTypeCode;
  flags: number;
  body: Uint8Array;
}

/** DATA codec ids (the `codec u8` of a DATA body). */
export const Codec = {
  /** The payload's bytes as they are (UTF-8 text or any bytes). */
  raw: 0,
  /** The text as raw VarInt token IDs of the session's negotiated encoding (no base64, no prefix). */
  tokens: 1,
  /** Token IDs as varints, then through the session's per-direction compression context. */
  'tokens+ctx': 2,
  /** The payload bytes through the session's per-direction compression context. */
  'bytes+ctx': 3,
  /** Stateless Brotli of the payload bytes (no session context). */
  brotli: 4,
  /** A reference wire string (`#TK|…`, `#M2M[v3.0]|DATA:…`, `#M2M|1|…`) carried as UTF-8, for interop. */
  text: 5,
  /**
   * The payload bytes through the direction's second compression context: plain Brotli (no
   * dictionary) at a quality the sender picks. Cheap to encode; a sender uses it instead of
   * `bytes+ctx` when that engine is over its CPU budget (docs/PROTOCOL.md §5).
   */
  'brotli+ctx': 6,
} as const;
export type CodecName = keyof typeof Codec;
export type CodecId = (typeof Codec)[CodecName];
export const CODEC_NAMES: readonly CodecName[] = Object.freeze(Object.keys(Codec) as CodecName[]);
const CODEC_BY_ID: Record<number, CodecName> = Object.fromEntries(Object.entries(Codec).map(([k, v]) => [v, k as CodecName]));

/** Codec name for a codec byte, or undefined when unknown. */
export function codecName(id: number): CodecName | undefined {
  return CODEC_BY_ID[id];
}

/** Encode one frame. @throws M2MError FRAME_TOO_LARGE when the body exceeds `maxFrameBytes` */
export function encodeFrame(type: FrameTypeCode, body: Uint8Array, flags = 0, maxFrameBytes = DEFAULT_LIMITS.maxFrameBytes): Uint8Array {
  if (body.length > maxFrameBytes) throw new M2MError('FRAME_TOO_LARGE', `frame body of ${body.length} bytes exceeds the limit of ${maxFrameBytes}`);
  const out = messageSlab.alloc(2 + varintSize(body.length) + body.length);
  out[0] = type;
  out[1] = flags;
  const pos = writeVarint(out, 2, body.length);
  out.set(body, pos);
  return out;
}

/** DATA flag: the frame omits `from`/`to`; the previous DATA frame's ids on this connection apply. */
export const DATA_FLAG_SAME_ROUTE = 0x01;

/** A decoded DATA body. `payload` is the codec's bytes (still compressed for ctx codecs). */
export interface DataBody {
  seq: number;
  from: string;
  to: string;
  codec: CodecId;
  payload: Uint8Array;
}

const EMPTY_IDS = new Uint8Array(0);
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Encode a whole DATA frame (header included) in one allocation: the hot path.
 * @throws M2MError BAD_INPUT for an agent id longer than `maxAgentIdBytes`; FRAME_TOO_LARGE
 */
export function encodeDataFrame(d: DataBody, limits = DEFAULT_LIMITS, sameRoute = false): Uint8Array {
  const from = sameRoute ? EMPTY_IDS : messageSlab.utf8(d.from);
  const to = sameRoute ? EMPTY_IDS : messageSlab.utf8(d.to);
  if (from.length > limits.maxAgentIdBytes || to.length > limits.maxAgentIdBytes) {
    throw new M2MError('BAD_INPUT', `agent id longer than ${limits.maxAgentIdBytes} bytes`);
  }
  const idsLen = sameRoute ? 0 : varintSize(from.length) + from.length + varintSize(to.length) + to.length;
  const bodyLen = varintSize(d.seq) + idsLen + 1 + d.payload.length;
  if (bodyLen > limits.maxFrameBytes) throw new M2MError('FRAME_TOO_LARGE', `DATA body of ${bodyLen} bytes exceeds the limit of ${limits.maxFrameBytes}`);
  const out = messageSlab.alloc(2 + varintSize(bodyLen) + bodyLen);
  out[0] = FrameType.DATA;
  out[1] = sameRoute ? DATA_FLAG_SAME_ROUTE : 0;
  let pos = writeVarint(out, 2, bodyLen);
  pos = writeVarint(out, pos, d.seq);
  if (!sameRoute) {
    pos = writeVarint(out, pos, from.length);
    out.set(from, pos);
    pos += from.length;
    pos = writeVarint(out, pos, to.length);
    out.set(to, pos);
    pos += to.length;
  }
  out[pos++] = d.codec;
  out.set(d.payload, pos);
  return out;
}

function readAgentId(body: Uint8Array, pos: number, maxBytes: number): { id: string; next: number } {
  const len = readVarint(body, pos);
  if (len.value > maxBytes) throw new M2MError('MALFORMED_FRAME', `agent id of ${len.value} bytes exceeds ${maxBytes}`);
  const end = len.next + len.value;
  if (end > body.length) throw new M2MError('MALFORMED_FRAME', 'DATA body truncated inside an agent id');
  try {
    return { id: utf8Strict.decode(body.subarray(len.next, end)), next: end };
  } catch {
    throw new M2MError('MALFORMED_FRAME', 'agent id is not valid UTF-8');
  }
}

/**
 * Decode a DATA body. The payload is a view into `body` (no copy).
 * @param flags the frame's flags byte
 * @param route the previous DATA frame's ids on this connection, for {@link DATA_FLAG_SAME_ROUTE}
 * @throws M2MError MALFORMED_FRAME for truncation, bad UTF-8 ids, an unknown codec byte or flag
 */
export function decodeDataBody(body: Uint8Array, limits = DEFAULT_LIMITS, flags = 0, route?: { from: string; to: string }): DataBody {
  try {
    if ((flags & ~DATA_FLAG_SAME_ROUTE) !== 0) throw new M2MError('MALFORMED_FRAME', `unknown DATA flags 0x${flags.toString(16)}`);
    const seq = readVarint(body, 0);
    let from: { id: string; next: number };
    let to: { id: string; next: number };
    if (flags & DATA_FLAG_SAME_ROUTE) {
      if (route === undefined) throw new M2MError('MALFORMED_FRAME', 'DATA repeats a route, but no earlier DATA frame on this connection set one');
      from = { id: route.from, next: seq.next };
      to = { id: route.to, next: seq.next };
    } else {
      from = readAgentId(body, seq.next, limits.maxAgentIdBytes);
      to = readAgentId(body, from.next, limits.maxAgentIdBytes);
    }
    if (to.next >= body.length) throw new M2MError('MALFORMED_FRAME', 'DATA body has no codec byte');
    const codec = body[to.next];
    if (CODEC_BY_ID[codec] === undefined) throw new M2MError('MALFORMED_FRAME', `unknown DATA codec ${codec}`);
    return { seq: seq.value, from: from.id, to: to.id, codec: codec as CodecId, payload: body.subarray(to.next + 1) };
  } catch (e) {
    if (e instanceof M2MError && e.code !== 'MALFORMED_FRAME') throw new M2MError('MALFORMED_FRAME', `bad DATA body: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}

/** Encode an ACK frame for the highest in-order sequence number received. */
export function encodeAckFrame(seq: number): Uint8Array {
  const n = varintSize(seq);
  const out = messageSlab.alloc(2 + varintSize(n) + n);
  out[0] = FrameType.ACK;
  writeVarint(out, writeVarint(out, 2, n), seq);
  return out;
}

/** Decode an ACK body. @throws M2MError MALFORMED_FRAME */
export function decodeAckBody(body: Uint8Array): number {
  try {
    const r = readVarint(body, 0);
    if (r.next !== body.length) throw new M2MError('MALFORMED_FRAME', 'trailing bytes after ACK sequence number');
    return r.value;
  } catch (e) {
    if (e instanceof M2MError && e.code === 'MALFORMED_FRAME') throw e;
    throw new M2MError('MALFORMED_FRAME', `bad ACK body: ${(e as Error).message}`);
  }
}

const EMPTY = new Uint8Array(0);
/** A PING or PONG frame (empty body). */
export function encodeEmptyFrame(type: typeof FrameType.PING | typeof FrameType.PONG): Uint8Array {
  return encodeFrame(type, EMPTY);
}
