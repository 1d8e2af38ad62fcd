/**
 * Fast scoring for models with per-type features (`type-features.ts`): the
 * logits are linear in each distinct token's vector φ(t), so a token's
 * contribution W·φ(t) (one number per class) and its ‖φ(t)‖² are computed
 * once and cached. A text then costs one hash per character, one cache probe
 * per token, and one weight row per distinct word pair: no per-n-gram work,
 * no sorting. The same logits as the reference featuriser followed by the dot
 * product, up to float rounding.
 */
import type { FeatureConfig } from './features.js';
import type { HalfLinearModel, LinearModel } from './linear-model.js';
import { float32Weights, rowAdder, type AddRow } from './weight-rows.js';
import { softmaxInPlace } from './linear-model.js';
import { fmix32 } from './hash.js';
import { flagHash, MAX_PUNCT_RUN, pairHash, sublinear, TOKEN_RE, typeHashes } from './type-features.js';
import { asciiBytes, isAscii } from '../ascii.js';
import { keepTokens, TOKEN_CLASS, TOKEN_FIELDS, TOKEN_OTHER, TOKEN_SEED, TOKEN_SPACE, TOKEN_WORD, tokenCount, tokenData, tokenHash, tokenScratch } from '../ascii-tokens.js';

/** Cache slots (a power of two); a type probes {@link PROBES} slots from its hash. */
const SLOTS = 8192;
const PROBES = 4;
/** Word-pair table slots a text starts with (grown while the text is read, back to this for the next text). */
const MIN_PAIR_SLOTS = 256;
/** Longer tokens are not cached (counted per text in a map instead). */
const MAX_CACHED_CHARS = 48;
/** Tokens up to this long are compared by their packed codes (two int32) in the ASCII counter. */
const PACKED_CHARS = 8;

const SPACE = TOKEN_SPACE;
const WORD = TOKEN_WORD;
const OTHER = TOKEN_OTHER;
/** Token class of each code, as {@link TOKEN_RE} splits ASCII (shared with the profile pass, which cuts the same tokens). */
const ASCII_CLASS = TOKEN_CLASS;
const WORD_START = /^[\p{L}\p{N}_]/u;
/** The lower case of each ASCII word character ({@link WORD}); 0 for the others. */
const WORD_LOWER = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) if (ASCII_CLASS[c] === WORD) WORD_LOWER[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
/** `String.prototype.toLowerCase` of each ASCII code. */
const ASCII_LOWER = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) ASCII_LOWER[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;

export class TypeScorer {
  private readonly c: number;
  private readonly mask: number;
  private readonly config: FeatureConfig;
  private readonly bias: Float32Array;
  private readonly addRow: AddRow;
  /**
   * Weights of a four-class model (the shipped case, scored without a call per row) as float32, else null.
   * Float16 weights are decoded once (exactly: every float16 is a float32), which costs 2 MB more than
   * the float16 array but no decoding per word pair.
   */
  private readonly rows4: Float32Array | null;
  /**
   * Per slot, `stride` numbers side by side (one cache line for four classes): W·φ(t) scaled to unit
   * ‖φ‖ (`c` numbers), ‖φ(t)‖² after scaling (1, or 0 for a vector that cancelled out), the occurrences
   * of the slot's type in the current text, the type's length (0: empty slot) and its unigram hash.
   */
  private readonly slots: Float64Array;
  private readonly stride: number;
  /** Each slot's type, `MAX_CACHED_CHARS` UTF-16 code units per slot (compared without string loads). */
  private readonly keyChars = new Uint16Array(SLOTS * MAX_CACHED_CHARS);
  /**
   * Each slot's type of up to {@link PACKED_CHARS} characters, packed: its last eight lower-cased ASCII codes
   * as two int32 (a byte each; with the length, the whole type), so the ASCII counter compares a short token in
   * two loads. -1 (never a packed ASCII key: the top byte of the low word is an ASCII code or 0) for types of
   * the general path, which holds only {@link keyChars}.
   */
  private readonly packed = new Int32Array(SLOTS * 2).fill(-1);
  /** Slots counted in the current text, in order of first occurrence: distinct, so never more than {@link SLOTS}. */
  private readonly pending = new Int32Array(SLOTS);
  private pendingSize = 0;
  /** Types without a cache slot in the current text. */
  private readonly overflow = new Map<string, { count: number; isWord: boolean }>();
  /** Word-pair buckets of the current text: open addressing, bucket + 1 (0 = empty) and signed count side by side. */
  private pairTable = new Int32Array(2 * MIN_PAIR_SLOTS);
  /** Mask of the part of {@link pairTable} in use for the current text: every text starts small (few cache lines). */
  private pairSlots = MIN_PAIR_SLOTS - 1;
  private pairUsed = new Int32Array(MIN_PAIR_SLOTS);
  /** Scratch for {@link growPairs}: the entries in order. */
  private pairMoved = new Int32Array(2 * MIN_PAIR_SLOTS);
  private pairSize = 0;
  private readonly flagHashes = new Map<string, number>();
  /** Scratch open-addressing table for ‖φ‖²: bucket + 1 per slot (0 = empty), its signed count, the slots used. */
  private normKeys = new Int32Array(1024);
  private normVals = new Int32Array(1024);
  private normUsed = new Int32Array(1024);
  private readonly z: Float64Array;
  private readonly scratch: Float64Array;
  /** Counts the tokens of ASCII text into the cache (see {@link asciiCounter}). */
  private readonly countAscii: (text: string) => void;

  constructor(model: LinearModel | HalfLinearModel) {
    this.c = model.labels.length;
    this.config = model.features;
    this.mask = (1 << model.features.bucketsLog2) - 1;
    this.bias = model.bias;
    this.rows4 = this.c === 4 ? float32Weights(model) : null;
    const w = this.rows4;
    // The same sums as rowAdder's, from the decoded weights.
    this.addRow =
      w === null
        ? rowAdder(model)
        : (b, mult, z) => {
            const base = b * 4;
            z[0] += w[base] * mult;
            z[1] += w[base + 1] * mult;
            z[2] += w[base + 2] * mult;
            z[3] += w[base + 3] * mult;
          };
    this.stride = (this.c + 4 + 7) & ~7;
    this.slots = new Float64Array(SLOTS * this.stride);
    this.z = new Float64Array(this.c);
    this.scratch = new Float64Array(this.c);
    this.countAscii = this.asciiCounter();
  }

  /** Class probabilities of one window of normalised text with the normaliser's flags. */
  probabilities(text: string, flags: readonly string[]): Float64Array {
    return this.probabilitiesInto(text, flags, new Float64Array(this.c));
  }

  /** {@link probabilities} written into `out` (length: the number of classes); returns `out`. */
  probabilitiesInto(text: string, flags: readonly string[], out: Float64Array): Float64Array {
    // ASCII text is read as bytes and lower-cased on the fly; other text takes the general path, right for any string.
    if (isAscii(text)) this.countAscii(text);
    else this.countTokens(text.toLowerCase());
    const z = this.z;
    z.fill(0);
    const n2 = this.rows4 !== null ? this.sum4(z) : this.sumAny(z);
    this.pairSize = 0;
    this.pairSlots = MIN_PAIR_SLOTS - 1;
    let n2f = n2;
    for (const flag of flags) {
      let h = this.flagHashes.get(flag);
      if (h === undefined) this.flagHashes.set(flag, (h = flagHash(flag)));
      this.addRow(h & this.mask, h & 0x80000000 ? -1 : 1, z);
      n2f += 1;
    }
    const scale = n2f > 0 ? 1 / Math.sqrt(n2f) : 1;
    for (let k = 0; k < this.c; k++) out[k] = this.bias[k] + z[k] * scale;
    return softmaxInPlace(out);
  }

  /**
   * Sums of the current text's types, then word pairs, into `z` (zeroed), for a four-class model with
   * float32 rows ({@link rows4}); returns the squared norm. The same sums as {@link sumAny}, in the same
   * order, in local variables (a typed array's elements are stored back after every addition).
   */
  private sum4(z: Float64Array): number {
    const w = this.rows4 as Float32Array;
    const slots = this.slots;
    const stride = this.stride;
    const pending = this.pending;
    let n2 = 0;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    // Slot layout for four classes: W·φ at 0..3, ‖φ‖² at 4, the count at 5.
    for (let p = 0; p < this.pendingSize; p++) {
      const at = pending[p] * stride;
      const count = slots[at + 5];
      slots[at + 5] = 0;
      const f = sublinear(count);
      z0 += f * slots[at];
      z1 += f * slots[at + 1];
      z2 += f * slots[at + 2];
      z3 += f * slots[at + 3];
      n2 += f * f * slots[at + 4];
    }
    this.pendingSize = 0;
    if (this.overflow.size > 0) {
      z[0] = z0;
      z[1] = z1;
      z[2] = z2;
      z[3] = z3;
      n2 = this.addOverflow(z, n2);
      z0 = z[0];
      z1 = z[1];
      z2 = z[2];
      z3 = z[3];
    }
    const table = this.pairTable;
    const used = this.pairUsed;
    for (let e = 0; e < this.pairSize; e++) {
      const s = 2 * used[e];
      const count = table[s + 1];
      const b = table[s] - 1;
      // Empty again, count included (the ASCII counter adds to an empty slot's count).
      table[s] = 0;
      table[s + 1] = 0;
      if (count === 0) continue;
      // The sign as ±1 without a branch (a pair's sign is a hash bit: a coin toss the branch predictor loses half the time).
      const sign = (count >> 31) | 1;
      const f = sublinear(count * sign);
      const mult = f * sign;
      const base = b * 4;
      z0 += w[base] * mult;
      z1 += w[base + 1] * mult;
      z2 += w[base + 2] * mult;
      z3 += w[base + 3] * mult;
      n2 += f * f;
    }
    z[0] = z0;
    z[1] = z1;
    z[2] = z2;
    z[3] = z3;
    return n2;
  }

  /** {@link sum4} for any model. */
  private sumAny(z: Float64Array): number {
    let n2 = 0;
    const c = this.c;
    const slots = this.slots;
    for (let p = 0; p < this.pendingSize; p++) {
      const at = this.pending[p] * this.stride;
      const count = slots[at + c + 1];
      slots[at + c + 1] = 0;
      const f = sublinear(count);
      for (let k = 0; k < c; k++) z[k] += f * slots[at + k];
      n2 += f * f * slots[at + c];
    }
    this.pendingSize = 0;
    if (this.overflow.size > 0) n2 = this.addOverflow(z, n2);
    const table = this.pairTable;
    for (let e = 0; e < this.pairSize; e++) {
      const s = 2 * this.pairUsed[e];
      const count = table[s + 1];
      const b = table[s] - 1;
      // Empty again, count included (the ASCII counter adds to an empty slot's count).
      table[s] = 0;
      table[s + 1] = 0;
      if (count === 0) continue;
      const f = sublinear(count < 0 ? -count : count);
      this.addRow(b, count < 0 ? -f : f, z);
      n2 += f * f;
    }
    return n2;
  }

  /** Types without a cache slot (long tokens, or all probes taken), added into `z`; returns `n2` plus their norms. */
  private addOverflow(z: Float64Array, n2: number): number {
    const c = this.c;
    const tmp = this.scratch;
    for (const [key, e] of this.overflow) {
      const norm = this.typeInto(key, 0, key.length, e.isWord, tmp);
      const f = sublinear(e.count);
      for (let k = 0; k < c; k++) z[k] += f * tmp[k];
      n2 += f * f * norm;
    }
    this.overflow.clear();
    return n2;
  }

  /**
   * The counter for ASCII text: tokens by a class table over the text's bytes, lower-cased as they are
   * read (the tokens of `text.toLowerCase()`), each token's unigram hash computed as it is read, then
   * counted as {@link countType} does. A closure over the cache arrays, made once per scorer: with one
   * scorer in the process V8 compiles it with them as constants (measured faster than instance fields).
   */
  private asciiCounter(): (text: string) => void {
    const slots = this.slots;
    const keyChars = this.keyChars;
    const c = this.c;
    const stride = this.stride;
    const pairs = this.config.wordNgrams >= 2;
    const mask = this.mask;
    const packed = this.packed;
    const pending = this.pending;
    // The cache miss path (and long tokens): probe for a free slot, or count in the overflow map.
    const countType = (text: string, from: number, to: number, isWord: boolean, u: number, k0: number, k1: number): void => {
      const len = to - from;
      if (len <= MAX_CACHED_CHARS) {
        let free = -1;
        for (let p = 0; p < PROBES; p++) {
          const slot = (u + p) & (SLOTS - 1);
          const at = slot * stride;
          if (slots[at + c + 3] === u && slots[at + c + 2] === len) {
            let same = true;
            if (len <= PACKED_CHARS) same = packed[2 * slot] === k0 && packed[2 * slot + 1] === k1;
            else {
              const bytes = asciiBytes(text);
              const keyAt = slot * MAX_CACHED_CHARS;
              for (let i = 0; i < len && same; i++) same = keyChars[keyAt + i] === ASCII_LOWER[bytes[from + i]];
            }
            if (same) {
              if (slots[at + c + 1]++ === 0) this.push(slot);
              return;
            }
          }
          if (free === -1 && slots[at + c + 1] === 0) free = slot;
        }
        if (free !== -1) {
          const lower = text.slice(from, to).toLowerCase();
          const at = free * stride;
          const keyAt = free * MAX_CACHED_CHARS;
          for (let i = 0; i < len; i++) keyChars[keyAt + i] = lower.charCodeAt(i);
          packed[2 * free] = k0;
          packed[2 * free + 1] = k1;
          slots[at + c] = this.typeInto(lower, 0, len, isWord, slots.subarray(at, at + c));
          slots[at + c + 1] = 1;
          slots[at + c + 2] = len;
          slots[at + c + 3] = u;
          this.push(free);
          return;
        }
      }
      const key = text.slice(from, to).toLowerCase();
      const e = this.overflow.get(key);
      if (e) e.count++;
      else this.overflow.set(key, { count: 1, isWord });
    };
    // Tokens of a text the profile pass did not cut (see ascii-tokens.ts): cut here, into the same stream.
    const tokenize = (text: string): number => {
      const bytes = asciiBytes(text);
      const len = text.length;
      const out = tokenScratch(len);
      let n = 0;
      let i = 0;
      while (i < len) {
        const cls = ASCII_CLASS[bytes[i]];
        if (cls === SPACE) {
          i++;
          continue;
        }
        let h = TOKEN_SEED;
        let j = i;
        let end: number;
        // The token's last PACKED_CHARS codes, a byte each (k1:k0, shifted in as read): off the hash's dependency chain.
        let k0 = 0;
        let k1 = 0;
        if (cls === WORD) {
          // A word is hashed whole, lower-cased: one table gives both whether the character continues it and its lower case.
          for (; j < len; j++) {
            const l = WORD_LOWER[bytes[j]];
            if (l === 0) break;
            h = Math.imul(h ^ l, 0x01000193);
            k1 = (k1 << 8) | (k0 >>> 24);
            k0 = (k0 << 8) | l;
          }
          end = j;
        } else {
          // Punctuation (no letters: lower-casing changes nothing) is typed by its first MAX_PUNCT_RUN characters.
          end = i + MAX_PUNCT_RUN;
          for (; j < len; j++) {
            const ch = bytes[j];
            if (ASCII_CLASS[ch] !== OTHER) break;
            if (j < end) {
              h = Math.imul(h ^ ch, 0x01000193);
              k1 = (k1 << 8) | (k0 >>> 24);
              k0 = (k0 << 8) | ch;
            }
          }
          if (j < end) end = j;
        }
        const at = n * TOKEN_FIELDS;
        out[at] = (i << 1) | (cls === WORD ? 1 : 0);
        out[at + 1] = end;
        out[at + 2] = tokenHash(h);
        out[at + 3] = k0;
        out[at + 4] = k1;
        n++;
        i = j;
      }
      keepTokens(text, n);
      return n;
    };
    return (text) => {
      // The profile pass usually cut this text's tokens already (the scan's normalised text is its input).
      let n = tokenCount(text);
      if (n < 0) n = tokenize(text);
      const tokens = tokenData();
      // The text's bytes, fetched for the first cached type longer than PACKED_CHARS.
      let bytes: Uint8Array | null = null;
      let prev = 0;
      let havePrev = false;
      for (let t = 0; t < n; t++) {
        const at = t * TOKEN_FIELDS;
        const head = tokens[at];
        const from = head >> 1;
        const end = tokens[at + 1];
        // An int32 (the hash's bits): an unsigned hash ≥ 2^31 passed to a call would be boxed in a heap number.
        const u = tokens[at + 2];
        const k0 = tokens[at + 3];
        const k1 = tokens[at + 4];
        if (pairs && havePrev) {
          // addPair, inlined (V8 left it a call per token).
          const ph = pairHash(prev, u) | 0;
          const key = (ph & mask) + 1;
          const sign = (ph >> 31) | 1;
          const table = this.pairTable;
          const used = this.pairSlots;
          let s = (key - 1) & used;
          let k = table[2 * s];
          while (k !== key && k !== 0) {
            s = (s + 1) & used;
            k = table[2 * s];
          }
          // Found or empty (an empty slot's count is 0): the same writes either way, and the slot is noted
          // only when new, without a branch on which (a pair's first occurrence is unpredictable).
          table[2 * s] = key;
          table[2 * s + 1] += sign;
          this.pairUsed[this.pairSize] = s;
          this.pairSize += (k - 1) >>> 31;
          if (this.pairSize * 4 > (used + 1) * 3) this.growPairs();
        }
        prev = u;
        havePrev = true;
        // A cached short type (nearly every token): found by its packed codes, counted here without a call.
        const tokenLen = end - from;
        let hit = false;
        if (tokenLen <= MAX_CACHED_CHARS) {
          for (let p = 0; p < PROBES; p++) {
            const slot = (u + p) & (SLOTS - 1);
            const at = slot * stride;
            if (slots[at + c + 3] === u && slots[at + c + 2] === tokenLen && packed[2 * slot] === k0 && packed[2 * slot + 1] === k1) {
              // The packed codes are the last PACKED_CHARS characters: a longer type also compares the ones before.
              if (tokenLen > PACKED_CHARS) {
                if (bytes === null) bytes = asciiBytes(text);
                const keyAt = slot * MAX_CACHED_CHARS;
                let same = true;
                for (let i = 0; i < tokenLen - PACKED_CHARS && same; i++) same = keyChars[keyAt + i] === ASCII_LOWER[bytes[from + i]];
                if (!same) continue;
              }
              // push(slot) on the type's first occurrence in the text, without a branch on it (as for pairs).
              const seen = slots[at + c + 1];
              slots[at + c + 1] = seen + 1;
              pending[this.pendingSize] = slot;
              this.pendingSize += (seen - 1) >>> 31;
              hit = true;
              break;
            }
          }
        }
        if (!hit) countType(text, from, end, (head & 1) === 1, u, k0, k1);
      }
    };
  }

  /** Any text: tokens from {@link TOKEN_RE}. */
  private countTokens(lower: string): void {
    const pairs = this.config.wordNgrams >= 2;
    const re = new RegExp(TOKEN_RE.source, TOKEN_RE.flags);
    let prev = 0;
    let havePrev = false;
    for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
      const isWord = WORD_START.test(m[0]);
      const from = m.index;
      const to = isWord ? from + m[0].length : from + Math.min(m[0].length, MAX_PUNCT_RUN);
      let h = 0x811c9dc5;
      for (let i = from; i < to; i++) h = Math.imul(h ^ lower.charCodeAt(i), 0x01000193);
      // As int32 (the same bits): an unsigned hash ≥ 2^31 passed to a call would be boxed in a heap number.
      const u = fmix32(h) | 0;
      if (pairs && havePrev) this.addPair(pairHash(prev, u) | 0);
      prev = u;
      havePrev = true;
      this.countType(lower, from, to, isWord, u);
    }
  }

  /** Count one occurrence of the type `s[from, to)` (unigram hash `u`). */
  private countType(s: string, from: number, to: number, isWord: boolean, u: number): void {
    const len = to - from;
    if (len <= MAX_CACHED_CHARS) {
      const slots = this.slots;
      const c = this.c;
      const stride = this.stride;
      let free = -1;
      for (let p = 0; p < PROBES; p++) {
        const slot = (u + p) & (SLOTS - 1);
        const at = slot * stride;
        if (slots[at + c + 3] === u && slots[at + c + 2] === len && this.sameKey(slot, s, from, len)) {
          if (slots[at + c + 1]++ === 0) this.push(slot);
          return;
        }
        if (free === -1 && slots[at + c + 1] === 0) free = slot;
      }
      if (free !== -1) {
        const at = free * stride;
        const keyAt = free * MAX_CACHED_CHARS;
        // Packed as the ASCII counter packs it when the type is short ASCII (so it finds the type here too), else -1.
        let k0 = 0;
        let k1 = 0;
        for (let i = 0; i < len; i++) {
          const ch = s.charCodeAt(from + i);
          this.keyChars[keyAt + i] = ch;
          if (ch >= 0x80) k0 = -1;
          if (k0 !== -1) {
            k1 = (k1 << 8) | (k0 >>> 24);
            k0 = (k0 << 8) | ch;
          }
        }
        this.packed[2 * free] = k0;
        this.packed[2 * free + 1] = k1;
        slots[at + c] = this.typeInto(s, from, to, isWord, slots.subarray(at, at + c));
        slots[at + c + 1] = 1;
        slots[at + c + 2] = len;
        slots[at + c + 3] = u;
        this.push(free);
        return;
      }
    }
    const key = s.slice(from, to);
    const e = this.overflow.get(key);
    if (e) e.count++;
    else this.overflow.set(key, { count: 1, isWord });
  }

  /** Whether slot `slot` holds the type `s[from, from + len)`. */
  private sameKey(slot: number, s: string, from: number, len: number): boolean {
    const keyChars = this.keyChars;
    const keyAt = slot * MAX_CACHED_CHARS;
    for (let i = 0; i < len; i++) if (keyChars[keyAt + i] !== s.charCodeAt(from + i)) return false;
    return true;
  }

  /** W·φ(t) of the type `s[from, to)`, scaled to unit ‖φ‖, into `out`; returns the scaled ‖φ‖². */
  private typeInto(s: string, from: number, to: number, isWord: boolean, out: Float64Array): number {
    const hashes = typeHashes(s, from, to, isWord, this.config);
    const mask = this.mask;
    const normSq = this.normSqOf(hashes);
    const scale = normSq > 0 ? Math.pow(normSq, -0.5) : 1;
    out.fill(0);
    for (let k = 0; k < hashes.length; k++) {
      const h = hashes[k];
      this.addRow(h & mask, h < 0 ? -scale : scale, out);
    }
    return normSq * scale * scale;
  }

  /**
   * ‖φ‖² of a type: the sum over buckets of the squared signed count. Counted in a hash table, in
   * linear time: sorting the units was most of the scan's time on long tokens (a base64 blob is one
   * "word" of thousands of characters, tens of thousands of n-grams). An integer, so exact in any order.
   */
  private normSqOf(hashes: Int32Array): number {
    const n = hashes.length;
    if (this.normKeys.length < 2 * n) {
      const size = 1 << (32 - Math.clz32(2 * n - 1));
      this.normKeys = new Int32Array(size);
      this.normVals = new Int32Array(size);
      this.normUsed = new Int32Array(size);
    }
    const keys = this.normKeys;
    const vals = this.normVals;
    const used = this.normUsed;
    const m = keys.length - 1;
    const mask = this.mask;
    let u = 0;
    for (let k = 0; k < n; k++) {
      const h = hashes[k];
      const key = (h & mask) + 1;
      const sign = h < 0 ? -1 : 1;
      for (let slot = Math.imul(key, 0x9e3779b1) >>> 0 & m; ; slot = (slot + 1) & m) {
        const at = keys[slot];
        if (at === key) {
          vals[slot] += sign;
          break;
        }
        if (at === 0) {
          keys[slot] = key;
          vals[slot] = sign;
          used[u++] = slot;
          break;
        }
      }
    }
    let normSq = 0;
    for (let k = 0; k < u; k++) {
      const slot = used[k];
      normSq += vals[slot] * vals[slot];
      keys[slot] = 0;
    }
    return normSq;
  }

  private addPair(h: number): void {
    const key = (h & this.mask) + 1;
    const sign = h & 0x80000000 ? -1 : 1;
    const table = this.pairTable;
    for (let s = (key - 1) & this.pairSlots; ; s = (s + 1) & this.pairSlots) {
      const k = table[2 * s];
      if (k === key) {
        table[2 * s + 1] += sign;
        return;
      }
      if (k === 0) {
        table[2 * s] = key;
        table[2 * s + 1] = sign;
        this.pairUsed[this.pairSize++] = s;
        if (this.pairSize * 4 > (this.pairSlots + 1) * 3) this.growPairs();
        return;
      }
    }
  }

  /**
   * Double the part of the pair table in use, keeping the entries' order (the order the logits are summed
   * in). The buffer is reused when a longer text already grew it; its slots outside the part in use are empty.
   */
  private growPairs(): void {
    const n = this.pairSize;
    const cap = (this.pairSlots + 1) * 2;
    if (this.pairMoved.length < 2 * n) this.pairMoved = new Int32Array(2 * cap);
    const moved = this.pairMoved;
    let table = this.pairTable;
    for (let e = 0; e < n; e++) {
      const s = 2 * this.pairUsed[e];
      moved[2 * e] = table[s];
      moved[2 * e + 1] = table[s + 1];
      table[s] = 0;
      table[s + 1] = 0;
    }
    if (table.length < 2 * cap) this.pairTable = table = new Int32Array(2 * cap);
    if (this.pairUsed.length < cap) this.pairUsed = new Int32Array(cap);
    this.pairSlots = cap - 1;
    for (let e = 0; e < n; e++) {
      const key = moved[2 * e];
      let t = (key - 1) & this.pairSlots;
      while (table[2 * t] !== 0) t = (t + 1) & this.pairSlots;
      table[2 * t] = key;
      table[2 * t + 1] = moved[2 * e + 1];
      this.pairUsed[e] = t;
    }
  }

  private push(slot: number): void {
    this.pending[this.pendingSize++] = slot;
  }
}
