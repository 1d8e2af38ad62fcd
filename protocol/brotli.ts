/**
 * Brotli for every codec that needs it, behind one small interface.
 * Backed by Node's built-in zlib Brotli (native); `m2m bench codecs` measures
 * it against `brotli-wasm` (the design card's choice), which is slower here
 * and cannot bound its output, so it is not used on the decode path.
 *
 * Decompression is bounded: output past `maxBytes` stops the decoder at once
 * (a bomb fails in milliseconds with DECOMPRESSED_TOO_LARGE).
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { M2MError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';

export interface BrotliCompressOptions {
  /** 0–11. @default 11 */
  quality?: number;
  /** Window size log2, 10–24. @default 22 */
  lgwin?: number;
}

export interface BrotliDecompressOptions {
  /** Largest output accepted. @default DEFAULT_LIMITS.maxDecompressedBytes (16 MiB) */
  maxBytes?: number;
}

/** Reference settings for `#M2M[v3.0]|DATA:` (q11) and the `#M2M|1|` frame payload (q5). */
export const BROTLI_DATA_QUALITY = 11;
export const BROTLI_FRAME_QUALITY = 5;
export const BROTLI_LGWIN = 22;

function view(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Compress `bytes`.
 * @throws M2MError BAD_INPUT for out-of-range quality or window
 */
export function brotliCompress(bytes: Uint8Array, opts: BrotliCompressOptions = {}): Uint8Array {
  const quality = opts.quality ?? BROTLI_DATA_QUALITY;
  const lgwin = opts.lgwin ?? BROTLI_LGWIN;
  if (!Number.isInteger(quality) || quality < 0 || quality > 11) throw new M2MError('BAD_INPUT', `brotli quality must be 0–11, got ${quality}`);
  if (!Number.isInteger(lgwin) || lgwin < 10 || lgwin > 24) throw new M2MError('BAD_INPUT', `brotli lgwin must be 10–24, got ${lgwin}`);
  const out = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_LGWIN]: lgwin,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  return view(out);
}

/**
 * Decompress `bytes`, refusing output larger than `maxBytes`.
 * @throws M2MError DECOMPRESSED_TOO_LARGE, DECOMPRESS_FAILED (corrupt or truncated stream)
 */
export function brotliDecompress(bytes: Uint8Array, opts: BrotliDecompressOptions = {}): Uint8Array {
  const maxBytes = opts.maxBytes ?? DEFAULT_LIMITS.maxDecompressedBytes;
  try {
    return view(brotliDecompressSync(bytes, { maxOutputLength: Math.max(1, maxBytes) }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new M2MError('DECOMPRESSED_TOO_LARGE', `brotli output exceeds ${maxBytes} bytes`, { maxBytes });
    }
    throw new M2MError('DECOMPRESS_FAILED', `brotli stream is corrupt or truncated (${code ?? (e as Error).message})`, undefined, { cause: e });
  }
}
