/**
 * Literal model of `m2m-lz-1`: each bit of a literal byte is predicted by an order-1 model (with
 * LZMA's "matched literal" contexts after a match), a hashed order-2 and a hashed order-3 model,
 * mixed by a small logistic mixer (lpaq style) whose weights adapt for the whole session. Literals
 * are ~70% of the coded bits on LLM-API JSON, so this is where the ratio is won.
 *
 * Integer arithmetic only (the squash table is interpolated integers, stretch is its inverse), so
 * encoder and decoder agree bit for bit on every platform.
 */
import type { RangeDecoder, RangeEncoder } from './lz-range.js';

/**
 * Bit-tree nodes are laid out by nibble (LZMA-style trees would spread one byte's 8 nodes over
 * ~5 cache lines per table): nodes 1..15 for the high nibble, then 16 + 16·high + 1..15 for the low
 * one. The literal model's cost is cache misses, so this roughly halves it.
 */
const NODES = 16 + 16 * 16;
/** Order-1 block per previous byte: plain, matched (match bit 0), matched (match bit 1). */
const O1_BLOCK = 3 * NODES;
const HASH_BITS = 18;
const INPUTS = 5;
/** Weight sets: run mode × (plain | matched with match bit 0 | matched with match bit 1) × bit position. */
const SETS = 2 * 3 * 8;
const W_INIT = 22000;
const LEARN_SHIFT = 12;
/** Adaptation shift of the blob (run-mode) model: slow, as blob bytes are near uniform. */
const RUN_SHIFT = 7;
/** Order-1 dual-rate probabilities of bit 0, 15 bits. */
const P15 = 1 << 15;

const SQUASH_KNOTS = [1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348, 3607, 3785, 3901, 3975, 4022, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094];

/** 4096 / (1 + e^(-d/256)) for d in -2047..2047, by integer interpolation. */
function squash(d: number): number {
  if (d > 2047) d = 2047;
  if (d < -2047) d = -2047;
  const w = d & 127;
  const k = (d >> 7) + 16;
  return (SQUASH_KNOTS[k] * (128 - w) + SQUASH_KNOTS[k + 1] * w + 64) >> 7;
}

const W_MAX = 1 << 19;

/** squash(d) for d in -2047..2047 at index d + 2047 (one lookup per coded bit instead of the interpolation). */
const SQUASH = new Int16Array(4095).map((_, i) => squash(i - 2047));

const STRETCH = (() => {
  const t = new Int16Array(4096);
  let pi = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = squash(x);
    for (let i = pi; i <= v; i++) t[i] = x;
    pi = v + 1;
  }
  for (let i = pi; i < 4096; i++) t[i] = 2047;
  return t;
})();

const B64_CHARS = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const B64_INDEX = (() => {
  const t = new Int8Array(256).fill(-1);
  B64_CHARS.forEach((c, i) => (t[c] = i));
  return t;
})();
const B64 = new Uint8Array(256).map((_, b) => (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(b)) ? 1 : 0));

/**
 * {@link runMode} at `end` when the literal at `end - 1` had `prevMode` (the caller passes -1 when the
 * previous byte was not a literal): one lookup instead of twelve inside a blob. Exact, not a guess.
 */
export function nextRunMode(buf: Uint8Array, end: number, mask: number, prevMode: number): number {
  return prevMode === 1 ? B64[buf[(end - 1) & mask]] : runMode(buf, end, mask);
}

/** 1 when the 12 bytes before `end` in `buf` are all base64-alphabet bytes (an encoded blob: ~6 bits per byte at best). */
export function runMode(buf: Uint8Array, end: number, mask: number): number {
  if (end < 12) return 0;
  for (let k = 1; k <= 12; k++) if (B64[buf[(end - k) & mask]] === 0) return 0;
  return 1;
}

export class LiteralModel {
  /** Order-1 contexts: dual-rate (fast, slow) P(bit 0) pairs, 0x300 nodes per previous byte. */
  readonly o1: Uint16Array;
  /** Hashed order-2 and order-3 contexts: P(bit 1), 16 bits. */
  readonly o2: Uint16Array;
  readonly o3: Uint16Array;
  /** Order-0 per run mode: P(bit 1), 16 bits. */
  readonly o0: Uint16Array;
  readonly w: Int32Array;
  /** Blob model: [0] the base64 flag, [1..63] the 6-bit index tree, [65..319] the escape byte tree. */
  readonly run: Uint16Array;
  /** The encoder's probabilities of one byte's bits (index = bit position). */
  private readonly ps = new Int32Array(8);

  constructor(from?: LiteralModel) {
    this.o1 = from ? from.o1.slice() : new Uint16Array(256 * O1_BLOCK * 2).fill(P15 >>> 1);
    this.o2 = from ? from.o2.slice() : new Uint16Array(1 << HASH_BITS).fill(1 << 15);
    this.o3 = from ? from.o3.slice() : new Uint16Array(1 << HASH_BITS).fill(1 << 15);
    this.o0 = from ? from.o0.slice() : new Uint16Array(512).fill(1 << 15);
    this.run = from ? from.run.slice() : new Uint16Array(320).fill(1 << 15);
    this.w = from ? from.w.slice() : new Int32Array(SETS * INPUTS).map((_, i) => (i % INPUTS === INPUTS - 1 ? 0 : W_INIT));
  }

  /**
   * Code byte `c` after bytes p3 p2 p1 (p1 most recent); `matchByte` < 0 when not after a match;
   * `mode` 1 inside a run of base64-alphabet bytes (see {@link runMode}).
   */
  encode(rc: RangeEncoder, c: number, p1: number, p2: number, p3: number, matchByte: number, mode: number): void {
    if (mode === 1 && matchByte < 0) this.encodeBlob(rc, c);
    else this.code(rc, c, p1, p2, p3, matchByte, mode);
  }

  /**
   * {@link encode} of a byte in run mode, not after a match (blob bytes are most literals). Inside an
   * encoded blob the bytes are close to uniform: a flag "standard base64 character", then its 6-bit
   * index through an adaptive tree (hex and other subsets are learnt too), or else the byte through
   * an 8-bit tree, every estimate adapting by RUN_SHIFT. No mixing: fast, and ~6 bits per base64
   * character.
   */
  encodeBlob(rc: RangeEncoder, c: number): void {
    const idx = B64_INDEX[c];
    rc.treeP16(this.run, -1, 1, idx >= 0 ? 1 : 0, RUN_SHIFT);
    if (idx >= 0) rc.treeP16(this.run, 0, 6, idx, RUN_SHIFT);
    else rc.treeP16(this.run, 64, 8, c, RUN_SHIFT);
  }

  /** The mirror of {@link encodeBlob} (the decoder picks it under the same condition as {@link encode}): returns the byte. */
  decodeBlob(rc: RangeDecoder): number {
    const v = rc.escapeTreeP16(this.run, 6, 64, 8, RUN_SHIFT);
    return v >= 0 ? B64_CHARS[v] : -1 - v;
  }

  /** The mirror of {@link code}: the same mixing loop with each bit decoded as soon as its probability is known; returns the byte. */
  decodeMixed(rc: RangeDecoder, p1: number, p2: number, p3: number, matchByte: number, mode: number): number {
    const o1 = this.o1;
    const o2 = this.o2;
    const o3 = this.o3;
    const o0 = this.o0;
    const w = this.w;
    let base = p1 * O1_BLOCK;
    const k2 = (p2 << 8) | p1;
    const k3 = (p3 << 16) | k2;
    let c2 = (Math.imul(k2, 0x2f0b4c73) >>> (32 - HASH_BITS + 4)) << 4;
    let c3 = (Math.imul(k3, 0x5bd1e995) >>> (32 - HASH_BITS + 4)) << 4;
    const m0 = mode << 8;
    const setBase = mode * 24;
    let same = matchByte >= 0 ? 1 : 0;
    let sym = 1;
    // node within the nibble's 16-entry block (the byte's tree node is base-relative: see code())
    let t = 1;
    for (let k = 7; k >= 0; k--) {
      if (k === 3) {
        const hi = sym & 15;
        base += 16 + hi * 16;
        t = 1;
        c2 = (Math.imul(k2 ^ ((hi + 1) << 24), 0x2f0b4c73) >>> (32 - HASH_BITS + 4)) << 4;
        c3 = (Math.imul(k3 ^ ((hi + 1) << 24), 0x5bd1e995) >>> (32 - HASH_BITS + 4)) << 4;
      }
      const mb = (matchByte >>> k) & 1;
      const j1 = (base + same * (NODES + mb * NODES) + t) << 1;
      const j2 = c2 + t;
      const j3 = c3 + t;
      const j0 = m0 | sym;
      const s1 = STRETCH[4095 - ((o1[j1] + o1[j1 + 1]) >>> 4)];
      const s2 = STRETCH[o2[j2] >>> 4];
      const s3 = STRETCH[o3[j3] >>> 4];
      const s0 = STRETCH[o0[j0] >>> 4];
      const wb = (setBase + same * (1 + mb) * 8 + k) * INPUTS;
      const dot = ((w[wb] >> 4) * s1 + (w[wb + 1] >> 4) * s2 + (w[wb + 2] >> 4) * s3 + (w[wb + 3] >> 4) * s0 + (w[wb + 4] >> 4) * 256) >> 12;
      const p = SQUASH[dot > 2047 ? 4094 : dot < -2047 ? 0 : dot + 2047];
      const bit = rc.bitP(p);
      const err = (bit << 12) - p;
      let x = w[wb] + ((s1 * err) >> LEARN_SHIFT);
      w[wb] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 1] + ((s2 * err) >> LEARN_SHIFT);
      w[wb + 1] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 2] + ((s3 * err) >> LEARN_SHIFT);
      w[wb + 2] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 3] + ((s0 * err) >> LEARN_SHIFT);
      w[wb + 3] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 4] + ((256 * err) >> LEARN_SHIFT);
      w[wb + 4] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      const mask = -bit;
      let q = o1[j1];
      let dn = q >>> 4;
      o1[j1] = q + ((((P15 - q) >>> 4) + dn) & ~mask) - dn;
      q = o1[j1 + 1];
      dn = q >>> 6;
      o1[j1 + 1] = q + ((((P15 - q) >>> 6) + dn) & ~mask) - dn;
      q = o2[j2];
      dn = q >>> 4;
      o2[j2] = q + ((((65535 - q) >>> 4) + dn) & mask) - dn;
      q = o3[j3];
      dn = q >>> 4;
      o3[j3] = q + ((((65535 - q) >>> 4) + dn) & mask) - dn;
      q = o0[j0];
      dn = q >>> 5;
      o0[j0] = q + ((((65535 - q) >>> 5) + dn) & mask) - dn;
      sym = (sym << 1) | bit;
      t = (t << 1) | bit;
      same &= 1 ^ bit ^ mb;
    }
    return sym & 0xff;
  }

  /** {@link encode} of a byte through the mixing model. */
  private code(rc: RangeEncoder, c: number, p1: number, p2: number, p3: number, matchByte: number, mode: number): void {
    const o1 = this.o1;
    const o2 = this.o2;
    const o3 = this.o3;
    const o0 = this.o0;
    const w = this.w;
    const ps = this.ps;
    const base = p1 * O1_BLOCK;
    const k2 = (p2 << 8) | p1;
    const k3 = (p3 << 16) | k2;
    // 16-entry blocks: one per context for the high nibble, one per (context, high nibble) for the low.
    let c2 = (Math.imul(k2, 0x2f0b4c73) >>> (32 - HASH_BITS + 4)) << 4;
    let c3 = (Math.imul(k3, 0x5bd1e995) >>> (32 - HASH_BITS + 4)) << 4;
    const m0 = mode << 8;
    const setBase = mode * 24;
    // 1 while the bits so far equal the match byte's (matched-literal contexts), else 0.
    let same = matchByte >= 0 ? 1 : 0;
    let sym = 1;
    // node within the byte's tree: sym for the high nibble, 16 + 16·high + t for the low one
    let node = 1;
    let t = 1;
    for (let k = 7; k >= 0; k--) {
      if (k === 3) {
        const hi = sym & 15;
        node = 16 + hi * 16 + 1;
        t = 1;
        c2 = (Math.imul(k2 ^ ((hi + 1) << 24), 0x2f0b4c73) >>> (32 - HASH_BITS + 4)) << 4;
        c3 = (Math.imul(k3 ^ ((hi + 1) << 24), 0x5bd1e995) >>> (32 - HASH_BITS + 4)) << 4;
      }
      const mb = (matchByte >>> k) & 1;
      const j1 = (base + same * (NODES + mb * NODES) + node) << 1;
      const lo = k > 3 ? sym : t;
      const j2 = c2 + lo;
      const j3 = c3 + lo;
      const j0 = m0 | sym;
      // Fast+slow stay within 4..4094 after >>> 4 (the updates never reach 0 or 2^15).
      const s1 = STRETCH[4095 - ((o1[j1] + o1[j1 + 1]) >>> 4)];
      const s2 = STRETCH[o2[j2] >>> 4];
      const s3 = STRETCH[o3[j3] >>> 4];
      const s0 = STRETCH[o0[j0] >>> 4];
      const wb = (setBase + same * (1 + mb) * 8 + k) * INPUTS;
      // Weights stay within ±2^19 (clamped below), so every product and the sum fit in int32.
      const dot = ((w[wb] >> 4) * s1 + (w[wb + 1] >> 4) * s2 + (w[wb + 2] >> 4) * s3 + (w[wb + 3] >> 4) * s0 + (w[wb + 4] >> 4) * 256) >> 12;
      // squash() is 1..4094 on its whole range, so p needs no clamp.
      const p = SQUASH[dot > 2047 ? 4094 : dot < -2047 ? 0 : dot + 2047];
      const bit = (c >>> k) & 1;
      ps[k] = p;
      const err = (bit << 12) - p;
      let x = w[wb] + ((s1 * err) >> LEARN_SHIFT);
      w[wb] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 1] + ((s2 * err) >> LEARN_SHIFT);
      w[wb + 1] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 2] + ((s3 * err) >> LEARN_SHIFT);
      w[wb + 2] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 3] + ((s0 * err) >> LEARN_SHIFT);
      w[wb + 3] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      x = w[wb + 4] + ((256 * err) >> LEARN_SHIFT);
      w[wb + 4] = x > W_MAX ? W_MAX : x < -W_MAX ? -W_MAX : x;
      // Each estimate moves toward the coded bit by (target - q) >>> shift; written branch-free
      // (q + ((up + down) & mask) - down), as literal bits are hard to predict.
      const mask = -bit;
      let q = o1[j1];
      let dn = q >>> 4;
      o1[j1] = q + ((((P15 - q) >>> 4) + dn) & ~mask) - dn;
      q = o1[j1 + 1];
      dn = q >>> 6;
      o1[j1 + 1] = q + ((((P15 - q) >>> 6) + dn) & ~mask) - dn;
      q = o2[j2];
      dn = q >>> 4;
      o2[j2] = q + ((((65535 - q) >>> 4) + dn) & mask) - dn;
      q = o3[j3];
      dn = q >>> 4;
      o3[j3] = q + ((((65535 - q) >>> 4) + dn) & mask) - dn;
      q = o0[j0];
      dn = q >>> 5;
      o0[j0] = q + ((((65535 - q) >>> 5) + dn) & mask) - dn;
      sym = (sym << 1) | bit;
      if (k > 3) node = sym;
      else {
        t = (t << 1) | bit;
        node = (node & ~15) | t;
      }
      same &= 1 ^ bit ^ mb;
    }
    // The model needs only the known bits, so the coder runs once over the byte.
    rc.bitsP(ps, c, 8);
  }
}
