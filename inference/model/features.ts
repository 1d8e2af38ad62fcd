/**
 * Hashed n-gram features for the linear security model. Feature extraction
 * runs in JavaScript (training, the in-process scorer and the pool worker all
 * call this one function); the ONNX graph only sees the sparse vector.
 *
 * Features: word 1..n-grams and punctuation runs, character n-grams of each
 * word with word boundaries (like scikit-learn's `char_wb`), and one feature per
 * normaliser flag. Each is hashed into `2^bucketsLog2` buckets with a sign bit,
 * weighted by sublinear term frequency (1 + ln tf) and L2-normalised.
 */
import { accumulatorFor, type Accumulator, type ScratchVector } from './accumulator.js';
import { fmix32, hashString } from './hash.js';
import { featurizeTypes } from './type-features.js';
import { WORD_CACHE_MAX_CHARS, WordNgramCache } from './word-cache.js';

/** How text becomes a sparse vector; stored in the model file so training and inference agree. */
export interface FeatureConfig {
  /** Bucket count is `2^bucketsLog2`. @default 18 */
  bucketsLog2: number;
  /** Longest word n-gram. @default 2 */
  wordNgrams: number;
  /** Shortest character n-gram. @default 3 */
  charMin: number;
  /** Longest character n-gram. @default 5 */
  charMax: number;
  /** Longer words (e.g. unspaced scripts) are cut into chunks of this many characters. @default 24 */
  maxWordChars: number;
  /** Texts longer than this are scored in overlapping windows (max over windows). @default 2048 */
  windowChars: number;
  /** Overlap between consecutive windows. @default 256 */
  windowOverlap: number;
  /**
   * The per-type scheme (`type-features.ts`): features linear in each distinct token's
   * vector, so scorers can cache a token's contribution. Absent in older model files
   * (read as false: per-bucket sublinear counts). @default false
   */
  typeFeatures?: boolean;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  bucketsLog2: 18,
  wordNgrams: 2,
  charMin: 3,
  charMax: 5,
  maxWordChars: 24,
  windowChars: 2048,
  windowOverlap: 256,
});

/**
 * The features the shipped model is trained with (`make model`, cross-source evaluation): the
 * defaults plus per-type features (chosen by cross-source recall at 1% FPR; see MODEL_CARD.md).
 */
export const SHIPPED_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({ ...DEFAULT_FEATURE_CONFIG, bucketsLog2: 17, typeFeatures: true });

/** A sparse vector: strictly increasing bucket indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x9e3779b1;
const SEED_CHAR = 0x85ebca77;
const SEED_FLAG = 0xc2b2ae3d;
const MAX_PUNCT_RUN = 8;

/** Scratch for one padded word's char codes. */
let CODES = new Uint16Array(64);

const SPACE = 1;
const WORD = 2;
const OTHER = 3;
const WORD_CP = /^[\p{L}\p{N}_]$/u;
const SPACE_CP = /^\s$/u;
/** Class of each BMP code point (0 = not looked up yet). */
const BMP_CLASS = new Uint8Array(0x10000);

function classifySlow(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return WORD_CP.test(ch) ? WORD : SPACE_CP.test(ch) ? SPACE : OTHER;
}

/** SPACE, WORD (`[\p{L}\p{N}_]`) or OTHER for a code point; what the token regex `[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+` (flag u) sees. */
function classOf(cp: number): number {
  if (cp < 0x80) {
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f || (cp >= 0x41 && cp <= 0x5a)) return WORD;
    return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) ? SPACE : OTHER;
  }
  if (cp > 0xffff) return classifySlow(cp);
  let c = BMP_CLASS[cp];
  if (c === 0) c = BMP_CLASS[cp] = classifySlow(cp);
  return c;
}


/**
 * Turn already-normalised text (plus normaliser flags) into a sparse vector.
 * Tokens are runs of word characters or of other non-space characters (by
 * code point), hashed straight from the text without building token or n-gram strings.
 * @param text normalised text; it is lower-cased here
 * @param flags names of normaliser findings (obfuscation evidence), each one feature
 */
export function featurize(text: string, flags: readonly string[], config: FeatureConfig = DEFAULT_FEATURE_CONFIG): SparseVector {
  if (config.typeFeatures) return featurizeTypes(text, flags, config);
  return accumulate(text, flags, config).finish();
}

/**
 * {@link featurize} into scratch arrays (valid until the next call on this
 * thread): the same vector, without allocating it. For scorers.
 */
export function featurizeScratch(text: string, flags: readonly string[], config: FeatureConfig = DEFAULT_FEATURE_CONFIG): ScratchVector {
  return accumulate(text, flags, config).finishScratch();
}

/** Token class of each ASCII code (what {@link classOf} answers, without the branches). */
const ASCII_CLASS = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) ASCII_CLASS[c] = classOf(c);

/** Class and UTF-16 width of the code point at `s[i]`, packed as `class * 4 + width`. */
function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return ASCII_CLASS[c] * 4 + 1;
  const cp = c < 0xd800 || c > 0xdbff ? c : (s.codePointAt(i) as number);
  return classOf(cp) * 4 + (cp > 0xffff ? 2 : 1);
}

const NON_ASCII = /[\u0080-\uffff]/;

function accumulate(text: string, flags: readonly string[], config: FeatureConfig): Accumulator {
  const acc = accumulatorFor(config.bucketsLog2);
  const cache = wordCacheFor(config);
  const cacheMax = Math.min(WORD_CACHE_MAX_CHARS, config.maxWordChars);
  const lower = text.toLowerCase();
  if (NON_ASCII.test(lower)) accumulateTokens(acc, cache, lower, config, cacheMax);
  else accumulateAscii(acc, cache, lower, config, cacheMax);
  cache.flush(acc);
  for (const f of flags) acc.add(hashString(f, SEED_FLAG));
  return acc;
}

/**
 * ASCII text: tokens found and hashed in one pass (class from a table, the unigram, bigram and
 * seed chains updated as each character is read); the same features as {@link accumulateTokens}.
 */
function accumulateAscii(acc: Accumulator, cache: WordNgramCache, lower: string, config: FeatureConfig, cacheMax: number): void {
  const bigrams = config.wordNgrams >= 2;
  const len = lower.length;
  let prevSeed = -1;
  let i = 0;
  while (i < len) {
    const cls = ASCII_CLASS[lower.charCodeAt(i)];
    if (cls === SPACE) {
      i++;
      continue;
    }
    let word = SEED_WORD >>> 0;
    let bigram = prevSeed >>> 0;
    let seed = SEED_BIGRAM >>> 0;
    let j = i;
    // Punctuation runs are hashed on their first MAX_PUNCT_RUN characters only.
    const hashEnd = cls === WORD ? len : i + MAX_PUNCT_RUN;
    for (; j < len; j++) {
      const c = lower.charCodeAt(j);
      if (ASCII_CLASS[c] !== cls) break;
      if (j < hashEnd) {
        word = Math.imul(word ^ c, 0x01000193);
        bigram = Math.imul(bigram ^ c, 0x01000193);
        seed = Math.imul(seed ^ c, 0x01000193);
      }
    }
    const unigram = fmix32(word);
    const cached = cls === WORD && j - i <= cacheMax;
    // A cached word's unigram and char n-grams come from the cache, counted per distinct word.
    if (!cached) acc.add(unigram);
    if (bigrams && prevSeed !== -1) acc.add(fmix32(bigram));
    prevSeed = fmix32(seed);
    if (cached) cache.count(acc, lower, i, j, unigram);
    else if (cls === WORD) for (let chunk = i; chunk < j; chunk += config.maxWordChars) addCharNgrams(acc, lower, chunk, Math.min(j, chunk + config.maxWordChars), config.charMin, config.charMax);
    i = j;
  }
}

/** Any text: tokens are runs of word characters or of other non-space characters, by code point. */
function accumulateTokens(acc: Accumulator, cache: WordNgramCache, lower: string, config: FeatureConfig, cacheMax: number): void {
  const state = { prevSeed: -1 };
  const len = lower.length;
  let i = 0;
  let cw = len > 0 ? classAt(lower, 0) : 0;
  while (i < len) {
    if (cw >> 2 === SPACE) {
      i += cw & 3;
      if (i < len) cw = classAt(lower, i);
      continue;
    }
    const tokenClass = cw >> 2;
    let j = i + (cw & 3);
    while (j < len) {
      cw = classAt(lower, j);
      if (cw >> 2 !== tokenClass) break;
      j += cw & 3;
    }
    if (tokenClass === WORD && j - i <= cacheMax) {
      // The word's unigram and char n-grams come from the cache, counted per distinct word.
      const wordHash = addToken(acc, lower, i, j, true, config, state, false);
      cache.count(acc, lower, i, j, wordHash);
    } else {
      addToken(acc, lower, i, j, tokenClass === WORD, config, state, true);
      if (tokenClass === WORD) for (let chunk = i; chunk < j; chunk += config.maxWordChars) addCharNgrams(acc, lower, chunk, Math.min(j, chunk + config.maxWordChars), config.charMin, config.charMax);
    }
    i = j;
  }
}

/**
 * The bigram with the previous token of `s[start, end)` and (when `addUnigram`) its unigram;
 * returns the unigram hash.
 */
function addToken(acc: Accumulator, s: string, start: number, end: number, isWord: boolean, config: FeatureConfig, state: { prevSeed: number }, addUnigram: boolean): number {
  if (!isWord && end - start > MAX_PUNCT_RUN) end = start + MAX_PUNCT_RUN;
  // The unigram, the bigram with the previous token and this token's bigram seed, in one pass over it.
  let word = SEED_WORD >>> 0;
  let bigram = state.prevSeed >>> 0;
  let seed = SEED_BIGRAM >>> 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    word = Math.imul(word ^ c, 0x01000193);
    bigram = Math.imul(bigram ^ c, 0x01000193);
    seed = Math.imul(seed ^ c, 0x01000193);
  }
  const unigram = fmix32(word);
  if (addUnigram) acc.add(unigram);
  if (config.wordNgrams >= 2 && state.prevSeed !== -1) acc.add(fmix32(bigram));
  state.prevSeed = fmix32(seed);
  return unigram;
}

/** The unigram hash of the word `s[from, to)` (as {@link addToken} computes it). */
function unigramHash(s: string, from: number, to: number): number {
  let word = SEED_WORD >>> 0;
  for (let i = from; i < to; i++) word = Math.imul(word ^ s.charCodeAt(i), 0x01000193);
  return fmix32(word);
}

/** Fill `codes` with ` s[from, to) ` (the word padded with one space each side); returns the padded length. */
function padWord(s: string, from: number, to: number): number {
  const len = to - from + 2;
  if (CODES.length < len) CODES = new Uint16Array(len * 2);
  const codes = CODES;
  codes[0] = 0x20;
  for (let i = from; i < to; i++) codes[i - from + 1] = s.charCodeAt(i);
  codes[len - 1] = 0x20;
  return len;
}

/** Hash of the char n-gram `codes[i, i + n)`. */
function ngramHash(codes: Uint16Array, i: number, n: number): number {
  let h = SEED_CHAR ^ n;
  for (let j = i; j < i + n; j++) h = Math.imul(h ^ codes[j], 0x01000193);
  return fmix32(h);
}

/** Char n-grams of ` s[from, to) `, hashed without building the string. */
function addCharNgrams(acc: Accumulator, s: string, from: number, to: number, min: number, max: number): void {
  const len = padWord(s, from, to);
  for (let n = min; n <= max && n <= len; n++) {
    for (let i = 0; i + n <= len; i++) acc.add(ngramHash(CODES, i, n));
  }
}

/** The word's unigram hash, then the char n-gram hashes of ` s[from, to) ` (what {@link addCharNgrams} adds), for the word cache. */
function wordFeatureList(s: string, from: number, to: number, min: number, max: number): Int32Array {
  const unigram = unigramHash(s, from, to);
  const len = padWord(s, from, to);
  let total = 1;
  for (let n = min; n <= max && n <= len; n++) total += len - n + 1;
  const out = new Int32Array(total);
  out[0] = unigram;
  let k = 1;
  for (let n = min; n <= max && n <= len; n++) {
    for (let i = 0; i + n <= len; i++) out[k++] = ngramHash(CODES, i, n);
  }
  return out;
}

const wordCaches = new Map<string, WordNgramCache>();

function wordCacheFor(config: FeatureConfig): WordNgramCache {
  const key = `${config.charMin}:${config.charMax}`;
  let cache = wordCaches.get(key);
  if (!cache) {
    const { charMin, charMax } = config;
    cache = new WordNgramCache((s, from, to) => wordFeatureList(s, from, to, charMin, charMax));
    wordCaches.set(key, cache);
  }
  return cache;
}

/**
 * Split long text into overlapping windows of at most `windowChars` characters,
 * cut at whitespace where possible. Cost stays linear in the text length.
 */
export function windows(text: string, config: Pick<FeatureConfig, 'windowChars' | 'windowOverlap'> = DEFAULT_FEATURE_CONFIG): string[] {
  const size = config.windowChars;
  if (text.length <= size) return [text];
  const step = Math.max(1, size - config.windowOverlap);
  const out: string[] = [];
  let start = 0;
  for (;;) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + step / 2) end = space;
    }
    out.push(text.slice(start, end));
    if (end >= text.length) break;
    start = Math.max(start + 1, end - config.windowOverlap);
  }
  return out;
}
