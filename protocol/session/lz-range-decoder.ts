/**
 * Decoder of the `m2m-lz-1` range coder (the mirror of {@link RangeEncoder} in lz-range.ts). Past the
 * end of the frame the stream reads as zeros (the encoder trimmed them).
 */
import { FAST_BITS, MOVE_BITS, PROB_BITS } from './lz-model.js';

const TOP = 1 << 24;
const PROB_ONE = 1 << PROB_BITS;

/** -1 when a >= b as unsigned 32-bit patterns, else 0, without a branch (the borrow of a - b). */
function geMask(a: number, b: number): number {
  return ((~a & b) | (~(a ^ b) & (a - b))) >> 31 ^ -1;
}

/**
 * `range` and `code` are int32 bit patterns of LZMA's unsigned 32-bit values (V8 keeps int32 in
 * small-integer fields; unsigned values above 2^31 would live in boxed doubles), compared unsigned
 * through `>>> 0`. Every method gives the same bits, model updates and end state as LZMA's decoder on
 * any input, corrupt frames included.
 */
export class RangeDecoder {
  private range = -1;
  private code = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;

  /** Start decoding one frame's stream. */
  init(buf: Uint8Array, offset: number): void {
    this.buf = buf;
    this.pos = offset;
    this.range = -1;
    this.code = 0;
    for (let k = 0; k < 4; k++) this.code = (this.code << 8) | this.next();
  }

  private next(): number {
    return this.pos < this.buf.length ? this.buf[this.pos++] : 0;
  }

  /** Shift bytes in while range < 2^24 (at most three times: range never drops below 2^8 between calls). */
  private normalize(): void {
    let range = this.range;
    let code = this.code;
    do {
      range <<= 8;
      code = (code << 8) | this.next();
    } while (range >>> 0 < TOP);
    this.range = range;
    this.code = code;
  }

  /** A bit at the dual-rate probability pair (fast, slow) of a 0 at `p[2i], p[2i + 1]`, updated; branch-free like the encoder's. */
  bit(p: Uint16Array, i: number): number {
    const j = i << 1;
    const fast = p[j];
    const slow = p[j + 1];
    const range = this.range;
    const code = this.code;
    const bound = Math.imul(range >>> PROB_BITS, (fast + slow) >>> 1);
    const mask = geMask(code, bound);
    this.code = (code - (bound & mask)) | 0;
    this.range = (bound & ~mask) | ((range - bound) & mask);
    const df = fast >>> FAST_BITS;
    const ds = slow >>> MOVE_BITS;
    p[j] = fast + ((((PROB_ONE - fast) >>> FAST_BITS) + df) & ~mask) - df;
    p[j + 1] = slow + ((((PROB_ONE - slow) >>> MOVE_BITS) + ds) & ~mask) - ds;
    if (this.range >>> 0 < TOP) this.normalize();
    return mask & 1;
  }

  /** A bit at a given probability of a 1 (12 bits, 1..4095), no model update; branch-free (literal bits are hard to predict). */
  bitP(p1: number): number {
    const range = this.range;
    const code = this.code;
    const bound = Math.imul(range >>> 12, 4096 - p1);
    const mask = geMask(code, bound);
    const b = mask & 1;
    this.code = (code - (bound & mask)) | 0;
    this.range = (bound & ~mask) | ((range - bound) & mask);
    if (this.range >>> 0 < TOP) this.normalize();
    return b;
  }

  /** `bits` bits at probability 1/2, most significant first (bits ≤ 26). */
  direct(bits: number): number {
    let v = 0;
    for (let k = 0; k < bits; k++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >>> 0 >= this.range) {
        this.code = (this.code - this.range) | 0;
        b = 1;
      }
      v = v * 2 + b;
      if (this.range < TOP) this.normalize();
    }
    return v;
  }

  /** A `bits`-bit symbol through the bit tree at `base` (most significant bit first). */
  tree(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) m = (m << 1) | this.bit(p, base + m);
    return m - (1 << bits);
  }

  /** A `bits`-bit symbol through the reverse bit tree at `base` (least significant bit first). */
  reverseTree(p: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let v = 0;
    for (let k = 0; k < bits; k++) {
      const b = this.bit(p, base + m);
      m = (m << 1) | b;
      v |= b << k;
    }
    return v;
  }

  /**
   * A flag bit at `t[0]`, then a `bitsA`-bit symbol through the tree at `t[node]` when it is 1, else a
   * `bitsB`-bit symbol through the tree at `t[baseB + node]`: the mirror of the literal model's
   * blob bytes ({@link RangeEncoder.treeP16} for the flag, then for one of the trees). Each bit at
   * the estimate `t >>> 4` clamped to 1..4095, which then moves toward the bit by 1/2^shift. One
   * loop with the coder state in locals (measured: ~8% less decoder time than a call per tree).
   * Returns the A symbol, or -1 - the B symbol.
   */
  escapeTreeP16(t: Uint16Array, bitsA: number, baseB: number, bitsB: number, shift: number): number {
    let range = this.range;
    let code = this.code;
    let base = -1;
    let bits = 1;
    let m = 1;
    let flag = 0;
    for (let phase = 0; phase < 2; phase++) {
      for (let k = 0; k < bits; k++) {
        const j = base + m;
        const q = t[j];
        const p = q < 16 ? 1 : q >= 4095 << 4 ? 4095 : q >>> 4;
        const bound = Math.imul(range >>> 12, 4096 - p);
        const mask = geMask(code, bound);
        code = (code - (bound & mask)) | 0;
        range = (bound & ~mask) | ((range - bound) & mask);
        const dn = q >>> shift;
        t[j] = q + ((((65535 - q) >>> shift) + dn) & mask) - dn;
        if (range >>> 0 < TOP) {
          this.range = range;
          this.code = code;
          this.normalize();
          range = this.range;
          code = this.code;
        }
        m = (m << 1) | (mask & 1);
      }
      if (phase === 0) {
        flag = m & 1;
        base = flag === 1 ? 0 : baseB;
        bits = flag === 1 ? bitsA : bitsB;
        m = 1;
      }
    }
    this.range = range;
    this.code = code;
    return flag === 1 ? m - (1 << bitsA) : -1 - (m - (1 << bitsB));
  }

}
