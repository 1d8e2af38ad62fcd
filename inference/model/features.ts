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
import { fmix32, hashString } from './hash.js';

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


/** `1 + ln c` for small counts, so the common case skips `Math.log` (same values: `Math.log` is deterministic). */
const SUBLINEAR = new Float64Array(256);
for (let c = 1; c < SUBLINEAR.length; c++) SUBLINEAR[c] = 1 + Math.log(c);

/**
 * Scratch accumulator reused across calls: an open-addressing table from
 * bucket to signed count, small enough to stay in cache (a dense array of
 * 2^18 counts does not), plus the list of occupied slots.
 */
class Accumulator {
  readonly mask: number;
  private readonly bits: number;
  /** Slot count minus one (a power of two minus one). */
  private slots = (1 << 13) - 1;
  /** Per slot: bucket + 1 (0 = empty), then the signed count; side by side so a probe touches one cache line. */
  private table = new Int32Array(2 << 13);
  /** Occupied slots, in no particular order. */
  private used = new Int32Array(1 << 12);
  size = 0;
  // Radix-sort scratch.
  private sortA = new Int32Array(1 << 12);
  private sortB = new Int32Array(1 << 12);
  private countA = new Int32Array(1 << 12);
  private countB = new Int32Array(1 << 12);
  private histogram = new Int32Array(1 << 11);

  constructor(bucketsLog2: number) {
    this.mask = (1 << bucketsLog2) - 1;
    this.bits = bucketsLog2;
  }

  add(h: number): void {
    const key = (h & this.mask) + 1;
    const sign = h & 0x80000000 ? -1 : 1;
    const table = this.table;
    const slots = this.slots;
    // Buckets are already hash bits; their low bits pick the slot.
    for (let s = (key - 1) & slots; ; s = (s + 1) & slots) {
      const k = table[2 * s];
      if (k === key) {
        table[2 * s + 1] += sign;
        return;
      }
      if (k === 0) {
        table[2 * s] = key;
        table[2 * s + 1] = sign;
        this.used[this.size++] = s;
        if (this.size * 2 > slots) this.grow();
        return;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.slots + 1) * 2;
    const table = new Int32Array(2 * cap);
    this.table = table;
    this.slots = cap - 1;
    this.used = new Int32Array(cap / 2);
    this.sortA = new Int32Array(cap / 2);
    this.sortB = new Int32Array(cap / 2);
    this.countA = new Int32Array(cap / 2);
    this.countB = new Int32Array(cap / 2);
    const slots = cap - 1;
    let n = 0;
    for (let o = 0; o < old.length; o += 2) {
      const k = old[o];
      if (k === 0) continue;
      let s = (k - 1) & slots;
      while (table[2 * s] !== 0) s = (s + 1) & slots;
      table[2 * s] = k;
      table[2 * s + 1] = old[o + 1];
      this.used[n++] = s;
    }
  }

  /** Sublinear TF, L2 norm (summed in bucket order); resets the scratch for the next call. */
  finish(): SparseVector {
    // Buckets whose signed count cancelled to 0 are dropped.
    let buckets = this.sortA;
    let counts = this.countA;
    let n = 0;
    const table = this.table;
    for (let k = 0; k < this.size; k++) {
      const s = 2 * this.used[k];
      const c = table[s + 1];
      if (c !== 0) {
        buckets[n] = table[s] - 1;
        counts[n++] = c;
      }
      table[s] = 0;
    }
    this.size = 0;
    // LSD radix sort by bucket (at most 11 bits per pass), carrying the counts along.
    const passes = Math.max(1, Math.ceil(this.bits / 11));
    const digit = Math.ceil(this.bits / passes);
    const bins = 1 << digit;
    const hist = this.histogram;
    let outB = this.sortB;
    let outC = this.countB;
    for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
      hist.fill(0, 0, bins);
      for (let k = 0; k < n; k++) hist[(buckets[k] >>> shift) & (bins - 1)]++;
      for (let d = 0, sum = 0; d < bins; d++) {
        const h = hist[d];
        hist[d] = sum;
        sum += h;
      }
      for (let k = 0; k < n; k++) {
        const at = hist[(buckets[k] >>> shift) & (bins - 1)]++;
        outB[at] = buckets[k];
        outC[at] = counts[k];
      }
      const tb = buckets;
      buckets = outB;
      outB = tb;
      const tc = counts;
      counts = outC;
      outC = tc;
    }
    const indices = buckets.slice(0, n);
    const values = new Float32Array(n);
    let norm = 0;
    for (let k = 0; k < n; k++) {
      const c = counts[k];
      const abs = c < 0 ? -c : c;
      const a = abs < SUBLINEAR.length ? SUBLINEAR[abs] : 1 + Math.log(abs);
      const v = c < 0 ? -a : a;
      values[k] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < n; k++) values[k] *= inv;
    }
    return { indices, values };
  }
}

const accumulators = new Map<number, Accumulator>();

function accumulatorFor(bucketsLog2: number): Accumulator {
  let acc = accumulators.get(bucketsLog2);
  if (!acc) {
    acc = new Accumulator(bucketsLog2);
    accumulators.set(bucketsLog2, acc);
  }
  return acc;
}

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

/** `s.codePointAt(i)`, with the common non-surrogate case answered by `charCodeAt`. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 0xd800 || c > 0xdbff ? c : (s.codePointAt(i) as number);
}

/**
 * Turn already-normalised text (plus normaliser flags) into a sparse vector.
 * Tokens are runs of word characters or of other non-space characters (by
 * code point), hashed straight from the text without building token or n-gram strings.
 * @param text normalised text; it is lower-cased here
 * @param flags names of normaliser findings (obfuscation evidence), each one feature
 */
export function featurize(text: string, flags: readonly string[], config: FeatureConfig = DEFAULT_FEATURE_CONFIG): SparseVector {
  const acc = accumulatorFor(config.bucketsLog2);
  const lower = text.toLowerCase();
  const state = { prevSeed: -1 };
  const len = lower.length;
  let i = 0;
  let cls = 0;
  let width = 1;
  if (len > 0) {
    const cp = codePointAt(lower, 0);
    cls = classOf(cp);
    width = cp > 0xffff ? 2 : 1;
  }
  while (i < len) {
    if (cls === SPACE) {
      i += width;
      if (i < len) {
        const cp = codePointAt(lower, i);
        cls = classOf(cp);
        width = cp > 0xffff ? 2 : 1;
      }
      continue;
    }
    const tokenClass = cls;
    let j = i + width;
    while (j < len) {
      const cp = codePointAt(lower, j);
      cls = classOf(cp);
      width = cp > 0xffff ? 2 : 1;
      if (cls !== tokenClass) break;
      j += width;
    }
    addToken(acc, lower, i, j, tokenClass === WORD, config, state);
    i = j;
  }
  for (const f of flags) acc.add(hashString(f, SEED_FLAG));
  return acc.finish();
}

/** Word unigram, bigram with the previous token, and (for words) char n-grams of `s[start, end)`. */
function addToken(acc: Accumulator, s: string, start: number, end: number, isWord: boolean, config: FeatureConfig, state: { prevSeed: number }): void {
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
  acc.add(fmix32(word));
  if (config.wordNgrams >= 2 && state.prevSeed !== -1) acc.add(fmix32(bigram));
  state.prevSeed = fmix32(seed);
  if (!isWord) return;
  for (let chunk = start; chunk < end; chunk += config.maxWordChars) {
    addCharNgrams(acc, s, chunk, Math.min(end, chunk + config.maxWordChars), config.charMin, config.charMax);
  }
}

/** Char n-grams of ` s[from, to) ` (the word padded with one space each side), hashed without building the string. */
function addCharNgrams(acc: Accumulator, s: string, from: number, to: number, min: number, max: number): void {
  const len = to - from + 2;
  const codes = CODES.length >= len ? CODES : (CODES = new Uint16Array(len * 2));
  codes[0] = 0x20;
  for (let i = from; i < to; i++) codes[i - from + 1] = s.charCodeAt(i);
  codes[len - 1] = 0x20;
  for (let n = min; n <= max; n++) {
    if (n > len) break;
    for (let i = 0; i + n <= len; i++) {
      let h = SEED_CHAR ^ n;
      for (let j = i; j < i + n; j++) h = Math.imul(h ^ codes[j], 0x01000193);
      acc.add(fmix32(h));
    }
  }
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
