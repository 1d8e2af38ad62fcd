/**
 * The model's tokens of an ASCII text, cut by the normaliser's profile pass
 * (`textProfile`, which reads every character of the text first anyway) and
 * kept for the last text profiled, so the type scorer does not read the text
 * a second time: the scan's normalised text is its input whenever
 * normalisation changes nothing, which is the ordinary case.
 *
 * The tokens are exactly those of the type scorer's ASCII counter: runs of
 * `[A-Za-z0-9_]` (words, lower-cased) and runs of other non-space characters
 * (punctuation, typed by their first {@link MAX_PUNCT_RUN}); each with its
 * unigram hash and its last eight codes packed (see `model/type-scorer.ts`).
 * Stored only for ASCII text; any other text has no stream.
 */
import { fmix32 } from './model/hash.js';
import { MAX_PUNCT_RUN } from './model/type-features.js';

export { MAX_PUNCT_RUN };

export const TOKEN_SPACE = 1;
export const TOKEN_WORD = 2;
export const TOKEN_OTHER = 3;

/** Token class of each code ([A-Za-z0-9_]: word; space, \t..\r: space; others: punctuation). 256 entries: any byte indexes it. */
export const TOKEN_CLASS = new Uint8Array(256).fill(TOKEN_OTHER);
for (let c = 0; c < 0x80; c++) {
  const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  if (word) TOKEN_CLASS[c] = TOKEN_WORD;
  else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) TOKEN_CLASS[c] = TOKEN_SPACE;
}

/** FNV-1a offset basis: a token's hash starts here (then the murmur3 finaliser, {@link tokenHash}). */
export const TOKEN_SEED = 0x811c9dc5;

/**
 * Int32 fields per token: `from << 1 | isWord`, `to` (end of the typed part), the unigram hash (as int32),
 * and the last eight codes of the typed part, lower-cased and packed a byte each (`k0`: the last four).
 */
export const TOKEN_FIELDS = 5;

/** The unigram hash of a token from its running FNV-1a value, as int32. */
export function tokenHash(h: number): number {
  return fmix32(h) | 0;
}

let streamText: string | null = null;
let streamCount = 0;
let stream = new Int32Array(TOKEN_FIELDS * 512);

/**
 * Scratch for the tokens of a text of `length` characters (room for one token per character). Forgets the
 * stream held so far: call {@link keepTokens} when the new one is complete.
 */
export function tokenScratch(length: number): Int32Array {
  streamText = null;
  if (stream.length < TOKEN_FIELDS * length) stream = new Int32Array(TOKEN_FIELDS * Math.max(length, 2 * (stream.length / TOKEN_FIELDS)));
  return stream;
}

/** The scratch now holds `count` tokens of `text`. */
export function keepTokens(text: string, count: number): void {
  streamText = text;
  streamCount = count;
}

/** How many tokens of `text` the stream holds ({@link tokenData}), or -1 when it holds another text's. */
export function tokenCount(text: string): number {
  return streamText !== null && streamText.length === text.length && streamText === text ? streamCount : -1;
}

/** The stream's fields ({@link TOKEN_FIELDS} per token); valid until the next text is profiled. */
export function tokenData(): Int32Array {
  return stream;
}
