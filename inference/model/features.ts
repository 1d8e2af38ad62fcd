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

const TOKEN_RE = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+/gu;
const WORDCHAR_RE = /^[\p{L}\p{N}_]/u;

/** Scratch accumulator reused across calls: dense counts plus the list of touched buckets. */
class Accumulator {
  readonly counts: Float64Array;
  readonly mask: number;
  private touched: Int32Array;
  size = 0;

  constructor(bucketsLog2: number) {
    this.counts = new Float64Array(1 << bucketsLog2);
    this.mask = (1 << bucketsLog2) - 1;
    this.touched = new Int32Array(4096);
  }

  add(h: number): void {
    const i = h & this.mask;
    const sign = h & 0x80000000 ? -1 : 1;
    if (this.counts[i] === 0) {
      if (this.size === this.touched.length) {
        const bigger = new Int32Array(this.touched.length * 2);
        bigger.set(this.touched);
        this.touched = bigger;
      }
      this.touched[this.size++] = i;
    }
    // A bucket whose signed count returns to exactly 0 would be listed twice; nudging keeps it unique.
    const next = this.counts[i] + sign;
    this.counts[i] = next === 0 ? Number.MIN_VALUE : next;
  }

  /** Sublinear TF, L2 norm; resets the scratch for the next call. */
  finish(): SparseVector {
    const idx = this.touched.slice(0, this.size).sort();
    const values = new Float32Array(idx.length);
    let norm = 0;
    for (let k = 0; k < idx.length; k++) {
      const c = this.counts[idx[k]];
      this.counts[idx[k]] = 0;
      const a = Math.abs(c) < 1 ? 0 : 1 + Math.log(Math.abs(c));
      const v = c < 0 ? -a : a;
      values[k] = v;
      norm += v * v;
    }
    this.size = 0;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < values.length; k++) values[k] *= inv;
    }
    return dropZeros(idx, values);
  }
}

function dropZeros(indices: Int32Array, values: Float32Array): SparseVector {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (values[k] !== 0) n++;
  if (n === values.length) return { indices, values };
  const oi = new Int32Array(n);
  const ov = new Float32Array(n);
  for (let k = 0, j = 0; k < values.length; k++) {
    if (values[k] !== 0) {
      oi[j] = indices[k];
      ov[j++] = values[k];
    }
  }
  return { indices: oi, values: ov };
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

/**
 * Turn already-normalised text (plus normaliser flags) into a sparse vector.
 * @param text normalised text; it is lower-cased here
 * @param flags names of normaliser findings (obfuscation evidence), each one feature
 */
export function featurize(text: string, flags: readonly string[], config: FeatureConfig = DEFAULT_FEATURE_CONFIG): SparseVector {
  const acc = accumulatorFor(config.bucketsLog2);
  const lower = text.toLowerCase();
  let prev: string | null = null;
  for (const m of lower.matchAll(TOKEN_RE)) {
    let tok = m[0];
    const isWord = WORDCHAR_RE.test(tok);
    if (!isWord && tok.length > MAX_PUNCT_RUN) tok = tok.slice(0, MAX_PUNCT_RUN);
    acc.add(hashString(tok, SEED_WORD));
    if (config.wordNgrams >= 2 && prev !== null) acc.add(hashString(tok, hashString(prev, SEED_BIGRAM)));
    prev = tok;
    if (!isWord) continue;
    for (let start = 0; start < tok.length; start += config.maxWordChars) {
      const chunk = tok.length <= config.maxWordChars ? tok : tok.slice(start, start + config.maxWordChars);
      addCharNgrams(acc, ` ${chunk} `, config.charMin, config.charMax);
    }
  }
  for (const f of flags) acc.add(hashString(f, SEED_FLAG));
  return acc.finish();
}

function addCharNgrams(acc: Accumulator, w: string, min: number, max: number): void {
  const len = w.length;
  for (let n = min; n <= max; n++) {
    if (n > len) break;
    for (let i = 0; i + n <= len; i++) {
      // FNV-1a over the slice without allocating a substring.
      let h = SEED_CHAR ^ n;
      for (let j = i; j < i + n; j++) {
        h ^= w.charCodeAt(j);
        h = Math.imul(h, 0x01000193);
      }
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
