/**
 * M2M v1 frame, wire-compatible with the Rust reference:
 * `"#M2M|1|"` · fixed header (20 B) · routing or response header ·
 * payload_len u32 LE · CRC-32 of the original JSON u32 LE · payload
 * (Brotli q5 lgwin22 iff the JSON is ≥ 100 bytes, flag COMPRESSED).
 * Text mode is the prefix followed by standard padded base64 of everything after it.
 *
 * Only security mode None is implemented; HMAC/AEAD frames are refused with
 * UNSUPPORTED_SECURITY_MODE rather than silently accepted.
 */
import { crc32 } from 'node:zlib';
import { fromBase64, toBase64 } from './base64.js';
import { BROTLI_FRAME_QUALITY, BROTLI_LGWIN, brotliCompress, brotliDecompress } from './brotli.js';
import { utf8Strict } from './brotli-data.js';
import { M2MError } from './errors.js';
import { parseJsonBounded } from './json-bounds.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { readResponseHeader, readRoutingHeader, writeResponseHeader, writeRoutingHeader } from './m2m-frame-bytes.js';
import {
  SCHEMA,
  detectRequestFlags,
  detectResponseFlags,
  isRequestJson,
  responseFromJson,
  routingFromJson,
  type ResponseHeader,
  type RoutingHeader,
} from './m2m-frame-header.js';

export const M2M_FRAME_PREFIX = '#M2M|1|';
const PREFIX_BYTES = new TextEncoder().encode(M2M_FRAME_PREFIX);
export const FIXED_HEADER_SIZE = 20;
/** The payload is Brotli-compressed iff the JSON has at least this many bytes. */
export const COMPRESSION_THRESHOLD = 100;
export const COMMON_COMPRESSED = 0x01;

export type FrameLimits = Pick<Limits, 'maxDecompressedBytes' | 'maxInputBytes' | 'maxJsonDepth' | 'maxArrayLength'>;

export interface DecodedFrame {
  json: string;
  schema: number;
  /** Request or response flag bits (u16). */
  flags: number;
  compressed: boolean;
  routing?: RoutingHeader;
  response?: ResponseHeader;
}

const utf8 = new TextEncoder();

/**
 * Encode JSON text as a binary M2M frame (prefix included).
 * @throws M2MError INVALID_JSON (M2M carries JSON only), TOO_DEEP, ARRAY_TOO_LONG
 */
export function encodeM2MFrameBinary(json: string, limits: Partial<FrameLimits> = {}): Uint8Array {
  const value = parseJsonBounded(json, limits);
  const payload = utf8.encode(json);
  const compressed = payload.length >= COMPRESSION_THRESHOLD;
  let schema: number;
  let flags: number;
  let variable: Uint8Array;
  if (isRequestJson(value)) {
    schema = SCHEMA.request;
    flags = detectRequestFlags(value);
    variable = writeRoutingHeader(routingFromJson(value), flags);
  } else {
    schema = SCHEMA.response;
    flags = detectResponseFlags(value);
    variable = writeResponseHeader(responseFromJson(value, flags), flags);
  }
  const body = compressed ? brotliCompress(payload, { quality: BROTLI_FRAME_QUALITY, lgwin: BROTLI_LGWIN }) : payload;
  const headerLen = FIXED_HEADER_SIZE + variable.length;
  const out = new Uint8Array(PREFIX_BYTES.length + headerLen + 8 + body.length);
  const dv = new DataView(out.buffer);
  out.set(PREFIX_BYTES, 0);
  let p = PREFIX_BYTES.length;
  dv.setUint16(p, headerLen, true);
  out[p + 2] = schema;
  out[p + 3] = 0; // security: none
  dv.setUint16(p + 4, flags, true);
  out[p + 7] = compressed ? COMMON_COMPRESSED : 0;
  p += FIXED_HEADER_SIZE;
  out.set(variable, p);
  p += variable.length;
  dv.setUint32(p, body.length, true);
  dv.setUint32(p + 4, crc32(payload) >>> 0, true);
  out.set(body, p + 8);
  return out;
}

/** Encode JSON text as `#M2M|1|<base64>`. @throws M2MError INVALID_JSON, TOO_DEEP, ARRAY_TOO_LONG */
export function encodeM2MFrame(json: string, limits: Partial<FrameLimits> = {}): string {
  const bin = encodeM2MFrameBinary(json, limits);
  return M2M_FRAME_PREFIX + toBase64(bin.subarray(PREFIX_BYTES.length));
}

const malformed = (what: string): M2MError => new M2MError('MALFORMED_FRAME', `M2M frame: ${what}`);

/** Decode the bytes after the `#M2M|1|` prefix. */
function decodeBody(b: Uint8Array, limits: Partial<FrameLimits>): DecodedFrame {
  if (b.length < FIXED_HEADER_SIZE) throw malformed(`shorter than the ${FIXED_HEADER_SIZE}-byte fixed header`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerLen = dv.getUint16(0, true);
  const schema = b[2];
  const security = b[3];
  const flags = dv.getUint16(4, true);
  const compressed = (b[7] & COMMON_COMPRESSED) !== 0;
  if (headerLen < FIXED_HEADER_SIZE) throw malformed(`header_len ${headerLen} < ${FIXED_HEADER_SIZE}`);
  if (headerLen + 8 > b.length) throw malformed('truncated header');
  if (security === 1 || security === 2) {
    throw new M2MError('UNSUPPORTED_SECURITY_MODE', `M2M frame uses security mode ${security === 1 ? 'HMAC' : 'AEAD'}, which this decoder does not accept`);
  }
  if (security !== 0) throw malformed(`unknown security mode ${security}`);
  const variable = b.subarray(FIXED_HEADER_SIZE, headerLen);
  const frame: DecodedFrame = { json: '', schema, flags, compressed };
  if (schema === SCHEMA.request || schema === SCHEMA.embeddingRequest) frame.routing = readRoutingHeader(variable, flags);
  else if (schema === SCHEMA.response || schema === SCHEMA.embeddingResponse || schema === SCHEMA.error) frame.response = readResponseHeader(variable, flags);
  const payloadLen = dv.getUint32(headerLen, true);
  const crc = dv.getUint32(headerLen + 4, true);
  const start = headerLen + 8;
  if (start + payloadLen > b.length) throw malformed(`payload_len ${payloadLen} exceeds the frame`);
  const maxOut = limits.maxDecompressedBytes ?? DEFAULT_LIMITS.maxDecompressedBytes;
  const stored = b.subarray(start, start + payloadLen);
  if (!compressed && stored.length > maxOut) throw new M2MError('DECOMPRESSED_TOO_LARGE', `M2M payload exceeds ${maxOut} bytes`, { maxBytes: maxOut });
  const payload = compressed ? brotliDecompress(stored, { maxBytes: maxOut }) : stored;
  if (crc32(payload) >>> 0 !== crc) throw new M2MError('CHECKSUM_MISMATCH', 'M2M frame CRC-32 does not match the payload');
  frame.json = utf8Strict(payload, 'M2M payload');
  return frame;
}

/**
 * Decode a binary M2M frame (starting with the ASCII prefix) with its headers.
 * @throws M2MError CORRUPT_PAYLOAD (prefix), MALFORMED_FRAME, UNSUPPORTED_SECURITY_MODE, DECOMPRESS_FAILED,
 *   DECOMPRESSED_TOO_LARGE, CHECKSUM_MISMATCH, INVALID_UTF8
 */
export function decodeM2MFrameBinaryFull(bytes: Uint8Array, limits: Partial<FrameLimits> = {}): DecodedFrame {
  for (let i = 0; i < PREFIX_BYTES.length; i++) {
    if (bytes[i] !== PREFIX_BYTES[i]) throw new M2MError('CORRUPT_PAYLOAD', `M2M frame must start with ${M2M_FRAME_PREFIX}`);
  }
  return decodeBody(bytes.subarray(PREFIX_BYTES.length), limits);
}

/** Decode `#M2M|1|<base64>` with its headers. @throws M2MError as {@link decodeM2MFrameBinaryFull}, plus INVALID_BASE64, INPUT_TOO_LARGE */
export function decodeM2MFrameFull(wire: string, limits: Partial<FrameLimits> = {}): DecodedFrame {
  if (!wire.startsWith(M2M_FRAME_PREFIX)) throw new M2MError('CORRUPT_PAYLOAD', `M2M frame must start with ${M2M_FRAME_PREFIX}`);
  const bytes = fromBase64(wire.slice(M2M_FRAME_PREFIX.length), limits.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes);
  return decodeBody(bytes, limits);
}

/** Decode `#M2M|1|<base64>` to the original JSON text. */
export function decodeM2MFrame(wire: string, limits: Partial<FrameLimits> = {}): string {
  return decodeM2MFrameFull(wire, limits).json;
}

/** Decode a binary M2M frame to the original JSON text. */
export function decodeM2MFrameBinary(bytes: Uint8Array, limits: Partial<FrameLimits> = {}): string {
  return decodeM2MFrameBinaryFull(bytes, limits).json;
}
