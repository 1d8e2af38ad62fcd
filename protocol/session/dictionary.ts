/**
 * The built-in priming dictionary (`m2m-json-1`): LLM-API/agent JSON both ends feed through a
 * fresh compression context before the first DATA frame, so even the first messages of a session
 * find matches. Brotli has no shared-dictionary API in Node, so priming is "compress the dictionary
 * through the stream and discard the output"; the receiver decompresses those very bytes (the
 * primer). Both ends compute the primer locally, and its hash is part of the dictionary id in
 * HELLO: if two runtimes' encoders ever produced different primers, the ids differ and the session
 * simply agrees on no dictionary.
 */
import { createHash } from 'node:crypto';
import { brotliDecompress } from '../brotli.js';
import { M2MError } from '../errors.js';
import { DICTIONARY_V1_BROTLI_BASE64, DICTIONARY_V1_BYTES, DICTIONARY_V1_SHA256 } from './dictionary-data.js';
import { SyncBrotliCompressor } from './zlib-sync.js';

export interface PrimingDictionary {
  /** `m2m-json-1/q<quality>w<lgwin>:<first 16 hex of sha256(primer)>`, as offered in HELLO. */
  id: string;
  quality: number;
  lgwin: number;
  bytes: Uint8Array;
  /** The compressor's output for `bytes` at these settings: what a receiver decompresses to prime. */
  primer: Uint8Array;
}

let raw: Uint8Array | undefined;
const cache = new Map<string, PrimingDictionary>();

/** The dictionary's bytes (decoded once, ~413 KiB). @throws M2MError CHECKSUM_MISMATCH if the embedded data is damaged */
export function dictionaryV1Bytes(): Uint8Array {
  if (raw === undefined) {
    const packed = Uint8Array.from(Buffer.from(DICTIONARY_V1_BROTLI_BASE64, 'base64'));
    const bytes = brotliDecompress(packed, { maxBytes: DICTIONARY_V1_BYTES });
    if (bytes.length !== DICTIONARY_V1_BYTES || createHash('sha256').update(bytes).digest('hex') !== DICTIONARY_V1_SHA256) {
      throw new M2MError('CHECKSUM_MISMATCH', 'built-in dictionary m2m-json-1 is damaged');
    }
    raw = bytes;
  }
  return raw;
}

/** The built-in dictionary prepared for a context compressor at `quality`/`lgwin` (computed once per setting). */
export function builtinDictionary(quality: number, lgwin: number): PrimingDictionary {
  const key = `${quality}/${lgwin}`;
  let d = cache.get(key);
  if (d === undefined) {
    const bytes = dictionaryV1Bytes();
    const c = new SyncBrotliCompressor(quality, lgwin);
    const primer = c.compress(bytes);
    c.close();
    const hash = createHash('sha256').update(primer).digest('hex').slice(0, 16);
    d = { id: `m2m-json-1/q${quality}w${lgwin}:${hash}`, quality, lgwin, bytes, primer };
    cache.set(key, d);
  }
  return d;
}
