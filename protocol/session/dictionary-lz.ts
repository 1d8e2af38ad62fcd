/**
 * The `m2m-lz-1` context engine primed with the built-in dictionary: the dictionary is compressed
 * once per process through a fresh {@link LzEncoder} (the *primer*) and that primer is decoded by a
 * fresh {@link LzDecoder}; both primed states are kept as snapshots and every session context
 * starts as a copy of one (a memcpy instead of ~50 ms of compression per context).
 *
 * The engine is pure JavaScript and deterministic, so the primer depends only on the dictionary
 * bytes, the window and this code: the id offered in HELLO is
 * `m2m-lz-1/w<lgwin>:<first 16 hex of sha256(primer)>`, so two builds whose encoders would prime
 * differently never agree on the id.
 */
import { createHash } from 'node:crypto';
import { M2MError } from '../errors.js';
import { dictionaryV1Bytes } from './dictionary.js';
import { LzDecoder } from './lz-decoder.js';
import { LzEncoder } from './lz-encoder.js';

export interface LzPrimed {
  /** `m2m-lz-1/w<lgwin>:<16 hex>` as offered in HELLO. */
  id: string;
  lgwin: number;
  /** Fresh encoder/decoder contexts in the primed state (each call returns a new copy). */
  encoder(): LzEncoder;
  decoder(): LzDecoder;
}

/** Smallest and largest window the engine accepts. */
export const LZ_MIN_LGWIN = 16;
export const LZ_MAX_LGWIN = 24;

const cache = new Map<number, LzPrimed>();
/**
 * The id of the default window, precomputed so HELLO costs nothing: a test recomputes it from the
 * primer, so a change to the engine or the dictionary that changes the primer fails until this
 * constant is updated.
 */
export const LZ_DEFAULT_ID = 'm2m-lz-1/w22:7460aefc00be621c';
const ids = new Map<number, string>([[22, LZ_DEFAULT_ID]]);

/**
 * The id this build offers at `lgwin` (priming nothing: the primed snapshots, ≈ 15 MB, are built by
 * {@link lzPrimed} when a session first compresses or decompresses, so a daemon whose links are up
 * but idle does not hold them). Windows other than the default hash the primer once.
 */
export function lzDictionaryId(lgwin: number): string | undefined {
  if (lgwin < LZ_MIN_LGWIN || lgwin > LZ_MAX_LGWIN) return undefined;
  let id = ids.get(lgwin) ?? cache.get(lgwin)?.id;
  if (id === undefined) {
    id = primerId(lgwin, new LzEncoder(lgwin).compress(dictionaryV1Bytes()));
    ids.set(lgwin, id);
  }
  return id;
}

function primerId(lgwin: number, primer: Uint8Array): string {
  return `m2m-lz-1/w${lgwin}:${createHash('sha256').update(primer).digest('hex').slice(0, 16)}`;
}

/**
 * The primed engine at `lgwin` (computed once per process).
 * @throws M2MError BAD_INPUT when lgwin is outside 16–24; CHECKSUM_MISMATCH if the primer does not decode back to the dictionary
 */
export function lzPrimed(lgwin: number): LzPrimed {
  let d = cache.get(lgwin);
  if (d !== undefined) return d;
  if (!Number.isInteger(lgwin) || lgwin < LZ_MIN_LGWIN || lgwin > LZ_MAX_LGWIN) throw new M2MError('BAD_INPUT', `m2m-lz-1 window must be 2^${LZ_MIN_LGWIN}..2^${LZ_MAX_LGWIN}, got 2^${lgwin}`);
  const bytes = dictionaryV1Bytes();
  const enc = new LzEncoder(lgwin);
  const primer = enc.compress(bytes);
  const dec = new LzDecoder(lgwin);
  const back = dec.decompress(primer, bytes.length);
  if (Buffer.compare(back, bytes) !== 0) throw new M2MError('CHECKSUM_MISMATCH', 'm2m-lz-1 primer does not decode back to the dictionary');
  const id = primerId(lgwin, primer);
  if (ids.has(lgwin) && ids.get(lgwin) !== id) throw new M2MError('CHECKSUM_MISMATCH', `m2m-lz-1 primer hashes to ${id}, not the ${ids.get(lgwin)} this build offers`);
  d = { id, lgwin, encoder: () => enc.clone(), decoder: () => dec.clone() };
  cache.set(lgwin, d);
  return d;
}
