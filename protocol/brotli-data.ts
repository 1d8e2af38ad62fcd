/**
 * Brotli text codec `#M2M[v3.0]|DATA:<standard padded base64 of brotli(q11, lgwin22)(utf8)>`.
 * Decoding is bounded (16 MiB by default) and requires valid UTF-8.
 */
import { fromBase64, toBase64 } from './base64.js';
import { BROTLI_DATA_QUALITY, BROTLI_LGWIN, brotliCompress, brotliDecompress } from './brotli.js';
import { M2MError } from './errors.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

export const BROTLI_DATA_PREFIX = '#M2M[v3.0]|DATA:';
/** What detection looks for (the reference dispatches on this shorter prefix). */
export const BROTLI_DETECT_PREFIX = '#M2M[v3.0]|';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode UTF-8 strictly. @throws M2MError INVALID_UTF8 */
export function utf8Strict(bytes: Uint8Array, what = 'payload'): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new M2MError('INVALID_UTF8', `${what} is not valid UTF-8`);
  }
}

/** Encode text as `#M2M[v3.0]|DATA:…`. @default quality 11 */
export function encodeBrotliData(text: string, quality: number = BROTLI_DATA_QUALITY): string {
  return BROTLI_DATA_PREFIX + toBase64(brotliCompress(utf8.encode(text), { quality, lgwin: BROTLI_LGWIN }));
}

/**
 * Decode `#M2M[v3.0]|DATA:…`.
 * @throws M2MError CORRUPT_PAYLOAD (wrong prefix), INVALID_BASE64, INPUT_TOO_LARGE, DECOMPRESS_FAILED,
 *   DECOMPRESSED_TOO_LARGE, INVALID_UTF8
 */
export function decodeBrotliData(wire: string, limits: Partial<Pick<Limits, 'maxDecompressedBytes' | 'maxInputBytes'>> = {}): string {
  if (!wire.startsWith(BROTLI_DATA_PREFIX)) throw new M2MError('CORRUPT_PAYLOAD', `Brotli payload must start with ${BROTLI_DATA_PREFIX}`);
  const bytes = fromBase64(wire.slice(BROTLI_DATA_PREFIX.length), limits.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes);
  return utf8Strict(brotliDecompress(bytes, { maxBytes: limits.maxDecompressedBytes ?? DEFAULT_LIMITS.maxDecompressedBytes }), 'Brotli payload');
}
