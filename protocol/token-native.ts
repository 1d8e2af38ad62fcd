/**
 * TokenNative: text as BPE token IDs in LEB128 varints.
 * Text form `#TK|<C|O|L>|<standard padded base64 of the varints>`
 * (`Hello, world!` → `#TK|C|sk0L/Q4A`); binary form `<tokenizer byte 0|1|2><varints>`.
 *
 * Decoding is strict where the reference is lenient: an unknown tokenizer
 * letter or byte, an extra character in the letter field, an ID outside the
 * vocabulary or a varint past u32 is a typed error, not a cl100k fallback.
 */
import { fromBase64, toBase64 } from './base64.js';
import { M2MError } from './errors.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { TOKENIZER_BYTES, encodingFromByte, encodingFromLetter, getTokenizer, type Encoding } from './tokenizers.js';
import { decodeVarints, encodeVarints } from './varint.js';

export const TK_PREFIX = '#TK|';

/** Token IDs fit in u32: at most 5 varint bytes each. */
const MAX_TOKEN_VARINT_BYTES = 5;

export type TokenNativeLimits = Pick<Limits, 'maxTokens' | 'maxDecompressedBytes' | 'maxInputBytes'>;

/** Raw varint bytes of `text`'s token IDs (no tokenizer byte). */
export function tokenVarints(text: string, encoding: Encoding = 'cl100k'): Uint8Array {
  return encodeVarints(getTokenizer(encoding).encode(text));
}

/** Encode `text` as `#TK|<letter>|<base64>`. @default encoding cl100k */
export function encodeTokenNative(text: string, encoding: Encoding = 'cl100k'): string {
  const t = getTokenizer(encoding);
  return `${TK_PREFIX}${t.wireLetter}|${toBase64(encodeVarints(t.encode(text)))}`;
}

/** Encode `text` in binary form: tokenizer byte, then varints. @default encoding cl100k */
export function encodeTokenNativeBinary(text: string, encoding: Encoding = 'cl100k'): Uint8Array {
  const ids = getTokenizer(encoding).encode(text);
  const body = encodeVarints(ids);
  const out = new Uint8Array(body.length + 1);
  out[0] = TOKENIZER_BYTES[encoding];
  out.set(body, 1);
  return out;
}

function decodeIds(encoding: Encoding, bytes: Uint8Array, start: number, limits: Partial<TokenNativeLimits>): string {
  const maxTokens = limits.maxTokens ?? DEFAULT_LIMITS.maxTokens;
  const maxOut = limits.maxDecompressedBytes ?? DEFAULT_LIMITS.maxDecompressedBytes;
  const ids = decodeVarints(bytes, start, bytes.length, maxTokens, MAX_TOKEN_VARINT_BYTES);
  for (const id of ids) if (id > 0xffffffff) throw new M2MError('INVALID_TOKEN', `token ID ${id} exceeds u32`);
  return getTokenizer(encoding).decode(ids, maxOut);
}

/** Split `#TK|L|body` into encoding and body. @throws M2MError CORRUPT_PAYLOAD, UNKNOWN_TOKENIZER */
export function parseTokenNativeHeader(wire: string): { encoding: Encoding; body: string } {
  if (!wire.startsWith(TK_PREFIX)) throw new M2MError('CORRUPT_PAYLOAD', 'TokenNative payload must start with #TK|');
  const bar = wire.indexOf('|', TK_PREFIX.length);
  if (bar < 0) throw new M2MError('CORRUPT_PAYLOAD', 'TokenNative payload has no tokenizer field (#TK|<C|O|L>|…)');
  const letter = wire.slice(TK_PREFIX.length, bar);
  if (letter.length !== 1) throw new M2MError('UNKNOWN_TOKENIZER', `TokenNative tokenizer field must be one letter, got '${letter.slice(0, 16)}'`);
  return { encoding: encodingFromLetter(letter), body: wire.slice(bar + 1) };
}

/**
 * Decode `#TK|<letter>|<base64>` to text.
 * @throws M2MError CORRUPT_PAYLOAD, UNKNOWN_TOKENIZER, INVALID_BASE64, INPUT_TOO_LARGE, VARINT_*, TOO_MANY_TOKENS,
 *   INVALID_TOKEN, INVALID_UTF8, DECOMPRESSED_TOO_LARGE
 */
export function decodeTokenNative(wire: string, limits: Partial<TokenNativeLimits> = {}): string {
  const { encoding, body } = parseTokenNativeHeader(wire);
  const bytes = fromBase64(body, limits.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes);
  return decodeIds(encoding, bytes, 0, limits);
}

/**
 * Decode the binary form (tokenizer byte + varints).
 * @throws M2MError CORRUPT_PAYLOAD (empty), UNKNOWN_TOKENIZER, and the varint/token codes of {@link decodeTokenNative}
 */
export function decodeTokenNativeBinary(bytes: Uint8Array, limits: Partial<TokenNativeLimits> = {}): string {
  if (bytes.length === 0) throw new M2MError('CORRUPT_PAYLOAD', 'binary TokenNative payload is empty (no tokenizer byte)');
  const maxIn = limits.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes;
  if (bytes.length > maxIn + 1) throw new M2MError('INPUT_TOO_LARGE', `binary TokenNative payload larger than ${maxIn} bytes`);
  return decodeIds(encodingFromByte(bytes[0]), bytes, 1, limits);
}
