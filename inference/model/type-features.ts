/**
 * Per-type hashed features (`FeatureConfig.typeFeatures`): the vector is a sum
 * over the distinct tokens ("types") of a text, each weighted by its sublinear
 * count, of a fixed per-type vector (its unigram and, for words, its character
 * n-grams), plus word-pair (bigram) counts and the normaliser flags:
 *
 *   x = (Σ_t f(c_t) φ(t)/‖φ(t)‖ + Σ_b ±f(|c_b|) e_b + Σ_flags ±e_f) / N,   f(c) = 1 + ln c
 *   N² = Σ_t f(c_t)² + Σ_b f(|c_b|)² + #flags
 *
 * (each φ(t) is the type's signed hashed counts, scaled to unit length, like
 * averaged subword vectors; word pairs are hashed from the two unigram hashes).
 *
 * Unlike the per-bucket sublinear counts of the original scheme, x is linear
 * in each type's φ(t), so a scorer can cache a type's contribution to the
 * logits (W·φ(t), four numbers) and its ‖φ(t)‖², and score a text from its
 * token counts and bigrams alone (`type-scorer.ts`). This module is the
 * reference (training and the ONNX path use it); the scorer must agree with it.
 */
import type { FeatureConfig, SparseVector } from './features.js';
import { fmix32, hashString } from './hash.js';

const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x85ebca77;
const SEED_FLAG = 0xc2b2ae3d;
/** Punctuation runs are typed by their first this many characters. */
export const MAX_PUNCT_RUN = 8;

/** Tokens: runs of word characters, or of other non-space characters (by code point). */
export const TOKEN_RE = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+/gu;
const WORD_START = /^[\p{L}\p{N}_]/u;

/** `1 + ln c` (c ≥ 1), from a table for small counts. */
const SUBLINEAR = new Float64Array(256);
for (let c = 1; c < SUBLINEAR.length; c++) SUBLINEAR[c] = 1 + Math.log(c);
export function sublinear(c: number): number {
  return c < SUBLINEAR.length ? SUBLINEAR[c] : 1 + Math.log(c);
}

/** Unigram hash of `s[from, to)`: FNV-1a from the word seed, then the murmur3 finaliser. */
export function unigramOf(s: string, from: number, to: number): number {
  let h = SEED_WORD >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Hash of the token pair (previous unigram hash, this unigram hash). */
export function pairHash(prev: number, cur: number): number {
  return fmix32(Math.imul(prev ^ 0x9e3779b1, 0x85ebca6b) ^ cur);
}

/** Hash of a normaliser flag. */
export function flagHash(flag: string): number {
  return hashString(flag, SEED_FLAG);
}

let CODES = new Uint16Array(64);

/**
 * The hashes of φ(t) for the token `s[from, to)` (already truncated for
 * punctuation): its unigram hash, then (words only) the char n-grams of each
 * chunk of at most `maxWordChars` characters, padded with a space each side.
 */
export function typeHashes(s: string, from: number, to: number, isWord: boolean, config: FeatureConfig): Int32Array {
  // Sized first and filled in place (a long token, e.g. a base64 blob, has tens of thousands of n-grams).
  let total = 1;
  if (isWord) {
    for (let chunk = from; chunk < to; chunk += config.maxWordChars) {
      const len = Math.min(to, chunk + config.maxWordChars) - chunk + 2;
      for (let n = config.charMin; n <= config.charMax && n <= len; n++) total += len - n + 1;
    }
  }
  const out = new Int32Array(total);
  out[0] = unigramOf(s, from, to);
  let k = 1;
  if (isWord) {
    for (let chunk = from; chunk < to; chunk += config.maxWordChars) {
      const end = Math.min(to, chunk + config.maxWordChars);
      const len = end - chunk + 2;
      if (CODES.length < len) CODES = new Uint16Array(len * 2);
      CODES[0] = 0x20;
      for (let i = chunk; i < end; i++) CODES[i - chunk + 1] = s.charCodeAt(i);
      CODES[len - 1] = 0x20;
      for (let n = config.charMin; n <= config.charMax && n <= len; n++) {
        for (let i = 0; i + n <= len; i++) {
          let h = SEED_CHAR ^ n;
          for (let j = i; j < i + n; j++) h = Math.imul(h ^ CODES[j], 0x01000193);
          out[k++] = fmix32(h);
        }
      }
    }
  }
  return out;
}

/** φ(t) in bucket space: signed counts per bucket (a hash's top bit is its sign), and ‖φ(t)‖². */
export function typeVector(hashes: Int32Array, mask: number): { buckets: Map<number, number>; normSq: number } {
  const buckets = new Map<number, number>();
  for (let k = 0; k < hashes.length; k++) {
    const h = hashes[k];
    const b = h & mask;
    buckets.set(b, (buckets.get(b) ?? 0) + (h < 0 ? -1 : 1));
  }
  let normSq = 0;
  for (const v of buckets.values()) normSq += v * v;
  return { buckets, normSq };
}

/** Lower-cased tokens of `text` with their kind, punctuation runs cut to {@link MAX_PUNCT_RUN}. */
export function tokensOf(lower: string): Array<{ text: string; isWord: boolean }> {
  const out: Array<{ text: string; isWord: boolean }> = [];
  for (const m of lower.matchAll(TOKEN_RE)) {
    const isWord = WORD_START.test(m[0]);
    out.push({ text: isWord ? m[0] : m[0].slice(0, MAX_PUNCT_RUN), isWord });
  }
  return out;
}

/** A type's φ(t) as buckets and signed counts, the factor `k` scaling it to unit length, and ‖φ(t)‖² (unscaled). */
interface TypeEntry {
  buckets: Int32Array;
  counts: Int32Array;
  k: number;
  normSq: number;
}

/** φ(t) per feature setting and type, computed once (bounded: cleared when full). */
const TYPE_CACHE = new Map<string, Map<string, TypeEntry>>();
const TYPE_CACHE_MAX = 50_000;

function typeEntry(tok: string, isWord: boolean, config: FeatureConfig, mask: number): TypeEntry {
  const ck = `${config.bucketsLog2}:${config.charMin}:${config.charMax}:${config.maxWordChars}`;
  let cache = TYPE_CACHE.get(ck);
  if (!cache) TYPE_CACHE.set(ck, (cache = new Map()));
  let e = cache.get(tok);
  if (e) return e;
  const phi = typeVector(typeHashes(tok, 0, tok.length, isWord, config), mask);
  // Each type's vector is scaled to unit length (long words would otherwise outweigh short ones).
  const k = phi.normSq > 0 ? Math.pow(phi.normSq, -0.5) : 1;
  e = { buckets: Int32Array.from(phi.buckets.keys()), counts: Int32Array.from(phi.buckets.values()), k, normSq: phi.normSq };
  if (cache.size >= TYPE_CACHE_MAX) cache.clear();
  cache.set(tok, e);
  return e;
}

/** Reference featuriser of the per-type scheme (see the module comment); training and the ONNX path use it. */
export function featurizeTypes(text: string, flags: readonly string[], config: FeatureConfig): SparseVector {
  const mask = (1 << config.bucketsLog2) - 1;
  const lower = text.toLowerCase();
  const types = new Map<string, { count: number; isWord: boolean }>();
  const pairs = new Map<number, number>();
  let prev = -1;
  let havePrev = false;
  for (const t of tokensOf(lower)) {
    const e = types.get(t.text);
    if (e) e.count++;
    else types.set(t.text, { count: 1, isWord: t.isWord });
    const u = unigramOf(t.text, 0, t.text.length);
    if (havePrev && config.wordNgrams >= 2) {
      const h = pairHash(prev, u);
      const b = h & mask;
      pairs.set(b, (pairs.get(b) ?? 0) + (h & 0x80000000 ? -1 : 1));
    }
    prev = u;
    havePrev = true;
  }
  const x = new Map<number, number>();
  const add = (b: number, v: number): void => {
    x.set(b, (x.get(b) ?? 0) + v);
  };
  let normSq = 0;
  for (const [tok, e] of types) {
    const phi = typeEntry(tok, e.isWord, config, mask);
    const f = sublinear(e.count);
    const k = phi.k;
    for (let n = 0; n < phi.buckets.length; n++) add(phi.buckets[n], f * phi.counts[n] * k);
    normSq += f * f * phi.normSq * k * k;
  }
  for (const [b, c] of pairs) {
    if (c === 0) continue;
    const f = sublinear(c < 0 ? -c : c);
    add(b, c < 0 ? -f : f);
    normSq += f * f;
  }
  for (const flag of flags) {
    const h = flagHash(flag);
    add(h & mask, h & 0x80000000 ? -1 : 1);
    normSq += 1;
  }
  const scale = normSq > 0 ? 1 / Math.sqrt(normSq) : 1;
  const buckets = Int32Array.from([...x.keys()].filter((b) => x.get(b) !== 0)).sort();
  return { indices: buckets, values: Float32Array.from(buckets, (b) => (x.get(b) as number) * scale) };
}
