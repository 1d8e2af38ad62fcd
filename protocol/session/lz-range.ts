/**
 * Binary range coder of `m2m-lz-1` (LZMA's carry-propagating coder). Each frame is its own coded
 * stream: the encoder starts fresh, and `finish` writes only the bytes needed to pin the final
 * interval (usually 1–2), dropping LZMA's always-zero first byte and any trailing zero bytes,
 * which the decoder reads back as zeros past the end of the frame.
 */
import { FAST_BITS, MOVE_BITS, PROB_BITS } from './lz-model.js';
import { messageSlab } from './byte-slab.js';

const TOP = 1 << 24;
const PROB_ONE = 1 << PROB_BITS;

/**
 * The state is int32 throughout so V8 keeps it in small-integer fields and registers: `range` and
 * `low` are the bit patterns of LZMA's unsigned 32-bit range and the low 32 bits of its 33-bit low,
 * `carry` is bit 32 of low (at most one carry between two byte shifts: low + range < 2^33). Encoding
 * is branch-free per bit except for renormalisation.
 */
export class RangeEncoder {
  private low = 0;
  private carry = 0;
  private range = -1;
  private cache = 0;
  private cacheSize = 1;
  private buf = new Uint8Array(4096);
  private n = 0;

  /** Start a new stream (the output of the previous one must have been taken). */
  reset(): void {
    this.low = 0;
    this.carry = 0;
    this.range = -1;
    this.cache = 0;
    this.cacheSize = 1;
    this.n = 0;
  }

  private put(b: number): void {
    if (this.n === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = b;
  }

  /** Shift the top byte of low out (LZMA's ShiftLow: bytes 0xff wait in cacheSize for a carry). */
  private shiftLow(): void {
    const low = this.low;
    if (this.carry !== 0 || low >>> 0 < 0xff000000) {
      const carry = this.carry;
      let temp = this.cache;
      do {
        this.put((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = low >>> 24;
      this.carry = 0;
    }
    this.cacheSize++;
    this.low = (low & 0xffffff) << 8;
  }

  /** low += x (x an unsigned 32-bit pattern), carrying into `carry`. */
  private add(x: number): void {
    const a = this.low;
    const sum = (a + x) | 0;
    this.carry |= ((a & x) | ((a | x) & ~sum)) >>> 31;
    this.low = sum;
  }

  private normalize(): void {
    while (this.range >>> 0 < TOP) {
      this.range <<= 8;
      this.shiftLow();
    }
  }

  bit(p: Uint16Array, i: number, bit: number): void {
    const j = i << 1;
    const fast = p[j];
    const slow = p[j + 1];
    const bound = Math.imul(this.range >>> PROB_BITS, (fast + slow) >>> 1);
    const mask = -bit;
    this.add(bound & mask);
    this.range = (bound & ~mask) | ((this.range - bound) & mask);
    // P(0) moves up by (ONE - q) >>> s after a 0 and down by q >>> s after a 1, without a branch.
    const df = fast >>> FAST_BITS;
    const ds = slow >>> MOVE_BITS;
    p[j] = fast + ((((PROB_ONE - fast) >>> FAST_BITS) + df) & ~mask) - df;
    p[j + 1] = slow + ((((PROB_ONE - slow) >>> MOVE_BITS) + ds) & ~mask) - ds;
    if (this.range >>> 0 < TOP) this.normalize();
  }

  /** One bit at a given probability of a 1 (12 bits, 1..4095), no model update. */
  bitP(p1: number, bit: number): void {
    const bound = Math.imul(this.range >>> 12, 4096 - p1);
    const mask = -bit;
    this.add(bound & mask);
    this.range = (bound & ~mask) | ((this.range - bound) & mask);
    if (this.range >>> 0 < TOP) this.normalize();
  }

  /** Bits `bits - 1` down to 0 of `value`, bit k coded as {@link bitP} at `ps[k]`, with the coder state in locals. */
  bitsP(ps: Int32Array, value: number, bits: number): void {
    let low = this.low;
    let range = this.range;
    let carry = this.carry;
    for (let k = bits - 1; k >= 0; k--) {
      const bound = Math.imul(range >>> 12, 4096 - ps[k]);
      const mask = -((value >>> k) & 1);
      const x = bound & mask;
      const sum = (low + x) | 0;
      carry |= ((low & x) | ((low | x) & ~sum)) >>> 31;
      low = sum;
      range = (bound & ~mask) | ((range - bound) & mask);
      if (range >>> 0 < TOP) {
        this.low = low;
        this.range = range;
        this.carry = carry;
        this.normalize();
        low = this.low;
        range = this.range;
        carry = this.carry;
      }
    }
    this.low = low;
    this.range = range;
    this.carry = carry;
  }

  /**
   * `bits` bits of `value` (most significant first) through a bit tree of 16-bit P(1) estimates at
   * `t[base + node]` (node 1 at the root), each bit coded as {@link bitP} at `t >>> 4` (clamped to
   * 1..4095) and adapted by `shift`: the literal model's blob trees, with the coder state in locals.
   */
  treeP16(t: Uint16Array, base: number, bits: number, value: number, shift: number): void {
    let low = this.low;
    let range = this.range;
    let carry = this.carry;
    let m = 1;
    for (let k = bits - 1; k >= 0; k--) {
      const j = base + m;
      const b = (value >>> k) & 1;
      const q = t[j];
      const p = q < 16 ? 1 : q >= 4095 << 4 ? 4095 : q >>> 4;
      const bound = Math.imul(range >>> 12, 4096 - p);
      const mask = -b;
      const x = bound & mask;
      const sum = (low + x) | 0;
      carry |= ((low & x) | ((low | x) & ~sum)) >>> 31;
      low = sum;
      range = (bound & ~mask) | ((range - bound) & mask);
      // Branch-free on the coded bit (blob bits are near random: a branch would mispredict half the time).
      const dn = q >>> shift;
      t[j] = q + ((((65535 - q) >>> shift) + dn) & mask) - dn;
      if (range >>> 0 < TOP) {
        this.low = low;
        this.range = range;
        this.carry = carry;
        this.normalize();
        low = this.low;
        range = this.range;
        carry = this.carry;
      }
      m = (m << 1) | b;
    }
    this.low = low;
    this.range = range;
    this.carry = carry;
  }

  /** `bits` bits of `value`, most significant first, at probability 1/2. */
  direct(value: number, bits: number): void {
    for (let k = bits - 1; k >= 0; k--) {
      this.range >>>= 1;
      if ((value >>> k) & 1) this.add(this.range);
      if (this.range >>> 0 < TOP) this.normalize();
    }
  }

  /** A `bits`-bit symbol through the bit tree at `base` (most significant bit first). */
  tree(p: Uint16Array, base: number, bits: number, value: number): void {
    let m = 1;
    for (let k = bits - 1; k >= 0; k--) {
      const b = (value >>> k) & 1;
      this.bit(p, base + m, b);
      m = (m << 1) | b;
    }
  }

  /** A `bits`-bit symbol through the reverse bit tree at `base` (least significant bit first). */
  reverseTree(p: Uint16Array, base: number, bits: number, value: number): void {
    let m = 1;
    for (let k = 0; k < bits; k++) {
      const b = (value >>> k) & 1;
      this.bit(p, base + m, b);
      m = (m << 1) | b;
    }
  }

  /** End the stream: the shortest byte string whose zero-extension lies in the final interval. */
  finish(): Uint8Array {
    const low = this.carry * 2 ** 32 + (this.low >>> 0);
    const hi = low + (this.range >>> 0) - 1;
    for (let k = 32; k >= 0; k--) {
      const m = 2 ** k;
      const v = Math.floor(hi / m) * m;
      if (v >= low) {
        this.carry = v >= 2 ** 32 ? 1 : 0;
        this.low = v % 2 ** 32 | 0;
        break;
      }
    }
    for (let k = 0; k < 5; k++) this.shiftLow();
    let end = this.n;
    while (end > 1 && this.buf[end - 1] === 0) end--;
    // buf[0] is LZMA's leading cache byte, always 0: the decoder assumes it.
    return messageSlab.copy(this.buf.subarray(1, end));
  }
}

export { RangeDecoder } from './lz-range-decoder.js';
