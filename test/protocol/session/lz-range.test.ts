import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RangeDecoder, RangeEncoder } from '../../../protocol/session/lz-range.js';
import { FAST_BITS, MOVE_BITS, PROB_BITS, PROB_INIT } from '../../../protocol/session/lz-model.js';

/**
 * LZMA's range encoder written the plain way (low as a 33-bit double), as the reference the int32
 * encoder must match byte for byte, carries included.
 */
class ReferenceEncoder {
  low = 0;
  range = 0xffffffff;
  cache = 0;
  cacheSize = 1;
  out: number[] = [];

  shiftLow(): void {
    if (this.low < 0xff000000 || this.low >= 2 ** 32) {
      const carry = this.low >= 2 ** 32 ? 1 : 0;
      let temp = this.cache;
      do {
        this.out.push((temp + carry) & 0xff);
        temp = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = Math.floor(this.low / 2 ** 24) & 0xff;
    }
    this.cacheSize++;
    this.low = (this.low % 2 ** 24) * 256;
  }

  norm(): void {
    while (this.range < 2 ** 24) {
      this.range *= 256;
      this.shiftLow();
    }
  }

  bitP(p1: number, bit: number): void {
    const bound = Math.floor(this.range / 4096) * (4096 - p1);
    if (bit === 0) this.range = bound;
    else {
      this.low += bound;
      this.range -= bound;
    }
    this.norm();
  }

  /** A model bit at probability-of-0 `p0` (15 bits). */
  bit(p0: number, bit: number): void {
    const bound = Math.floor(this.range / 2 ** PROB_BITS) * p0;
    if (bit === 0) this.range = bound;
    else {
      this.low += bound;
      this.range -= bound;
    }
    this.norm();
  }

  direct(value: number, bits: number): void {
    for (let k = bits - 1; k >= 0; k--) {
      this.range = Math.floor(this.range / 2);
      if (Math.floor(value / 2 ** k) % 2 === 1) this.low += this.range;
      this.norm();
    }
  }

  finish(): Uint8Array {
    const hi = this.low + this.range - 1;
    for (let k = 32; k >= 0; k--) {
      const v = Math.floor(hi / 2 ** k) * 2 ** k;
      if (v >= this.low) {
        this.low = v;
        break;
      }
    }
    for (let k = 0; k < 5; k++) this.shiftLow();
    let end = this.out.length;
    while (end > 1 && this.out[end - 1] === 0) end--;
    return Uint8Array.from(this.out.slice(1, end));
  }
}

/** LZMA's range decoder written the plain way (unsigned values as doubles): the reference for the int32 decoder on any bytes, corrupt ones included. */
class ReferenceDecoder {
  range = 0xffffffff;
  code = 0;
  pos = 0;
  constructor(readonly buf: Uint8Array) {
    for (let k = 0; k < 4; k++) this.code = this.code * 256 + this.next();
  }

  next(): number {
    return this.pos < this.buf.length ? this.buf[this.pos++] : 0;
  }

  norm(): void {
    while (this.range < 2 ** 24) {
      this.range *= 256;
      this.code = (this.code * 256 + this.next()) % 2 ** 32;
    }
  }

  /** A bit at P(1) = p1 / 4096. */
  bitP(p1: number): number {
    const bound = Math.floor(this.range / 4096) * (4096 - p1);
    let b = 0;
    if (this.code < bound) this.range = bound;
    else {
      this.code -= bound;
      this.range -= bound;
      b = 1;
    }
    this.norm();
    return b;
  }

  /** A model bit at the dual-rate pair p[2i], p[2i + 1] (P of a 0), updated. */
  bit(p: Uint16Array, i: number): number {
    const bound = Math.floor(this.range / 2 ** PROB_BITS) * Math.floor((p[2 * i] + p[2 * i + 1]) / 2);
    let b = 0;
    if (this.code < bound) {
      this.range = bound;
      p[2 * i] += Math.floor((2 ** PROB_BITS - p[2 * i]) / 2 ** FAST_BITS);
      p[2 * i + 1] += Math.floor((2 ** PROB_BITS - p[2 * i + 1]) / 2 ** MOVE_BITS);
    } else {
      this.code -= bound;
      this.range -= bound;
      p[2 * i] -= Math.floor(p[2 * i] / 2 ** FAST_BITS);
      p[2 * i + 1] -= Math.floor(p[2 * i + 1] / 2 ** MOVE_BITS);
      b = 1;
    }
    this.norm();
    return b;
  }

  direct(bits: number): number {
    let v = 0;
    for (let k = 0; k < bits; k++) {
      this.range = Math.floor(this.range / 2);
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      v = v * 2 + b;
      this.norm();
    }
    return v;
  }

  treeP16(t: Uint16Array, base: number, bits: number, shift: number): number {
    let m = 1;
    for (let k = 0; k < bits; k++) {
      const b = this.bitP(Math.min(4095, Math.max(1, Math.floor(t[base + m] / 16))));
      if (b === 0) t[base + m] -= Math.floor(t[base + m] / 2 ** shift);
      else t[base + m] += Math.floor((65535 - t[base + m]) / 2 ** shift);
      m = 2 * m + b;
    }
    return m - 2 ** bits;
  }
}

type Op = { kind: 'p'; p: number; bit: number } | { kind: 'm'; bit: number } | { kind: 'd'; value: number; bits: number } | { kind: 't'; value: number; bits: number } | { kind: 'b'; value: number; ps: number[] } | { kind: 'e'; flag: number; value: number };

/** The reference for treeP16: each bit through bitP at the clamped estimate, then the estimate moved by 1/2^shift. */
function refTree(ref: ReferenceEncoder, t: Uint16Array, base: number, bits: number, value: number, shift: number): void {
  let m = 1;
  for (let k = bits - 1; k >= 0; k--) {
    const b = Math.floor(value / 2 ** k) % 2;
    ref.bitP(Math.min(4095, Math.max(1, Math.floor(t[base + m] / 16))), b);
    if (b === 0) t[base + m] -= Math.floor(t[base + m] / 2 ** shift);
    else t[base + m] += Math.floor((65535 - t[base + m]) / 2 ** shift);
    m = 2 * m + b;
  }
}

const op: fc.Arbitrary<Op> = fc.oneof(
  // skewed probabilities coded against the odds make long 0xff runs and carries likely
  fc.record({ kind: fc.constant('p' as const), p: fc.oneof(fc.integer({ min: 1, max: 4095 }), fc.constantFrom(1, 2, 4094, 4095)), bit: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('m' as const), bit: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('d' as const), bits: fc.integer({ min: 1, max: 26 }), value: fc.nat() }).map((d) => ({ ...d, value: d.value % 2 ** d.bits })),
  fc.record({ kind: fc.constant('t' as const), bits: fc.integer({ min: 1, max: 8 }), value: fc.nat() }).map((d) => ({ ...d, value: d.value % 2 ** d.bits })),
  // a blob byte: flag 1 and a 6-bit index, or flag 0 and a byte
  fc.record({ kind: fc.constant('e' as const), flag: fc.integer({ min: 0, max: 1 }), value: fc.nat() }).map((d) => ({ ...d, value: d.value % (d.flag === 1 ? 64 : 256) })),
  fc.record({ kind: fc.constant('b' as const), ps: fc.array(fc.integer({ min: 1, max: 4095 }), { minLength: 1, maxLength: 8 }), value: fc.nat() }).map((d) => ({ ...d, value: d.value % 2 ** d.ps.length })),
);

describe('m2m-lz-1 range coder', () => {
  it('the int32 encoder writes exactly the bytes of the reference encoder, and they decode back', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const enc = new RangeEncoder();
        enc.reset();
        const ref = new ReferenceEncoder();
        const probs = new Uint16Array(2).fill(PROB_INIT);
        // trees start skewed so the clamps at 1 and 4095 are reached
        const tree = new Uint16Array(256).map((_, i) => [3, 40000, 65530, 1 << 15][i % 4]);
        const refTreeProbs = tree.slice();
        const esc = new Uint16Array(320).map((_, i) => [3, 40000, 65530, 1 << 15][i % 4]);
        const refEsc = esc.slice();
        for (const o of ops) {
          if (o.kind === 'p') {
            enc.bitP(o.p, o.bit);
            ref.bitP(o.p, o.bit);
          } else if (o.kind === 'm') {
            ref.bit((probs[0] + probs[1]) >>> 1, o.bit);
            enc.bit(probs, 0, o.bit);
          } else if (o.kind === 'b') {
            // bitsP codes bit k at ps[k], from the top bit down
            enc.bitsP(Int32Array.from(o.ps), o.value, o.ps.length);
            for (let k = o.ps.length - 1; k >= 0; k--) ref.bitP(o.ps[k], Math.floor(o.value / 2 ** k) % 2);
          } else if (o.kind === 'e') {
            // as the literal model's encodeBlob: the flag at node 0, then the index or byte tree
            enc.treeP16(esc, -1, 1, o.flag, 7);
            enc.treeP16(esc, o.flag === 1 ? 0 : 64, o.flag === 1 ? 6 : 8, o.value, 7);
            refTree(ref, refEsc, -1, 1, o.flag, 7);
            refTree(ref, refEsc, o.flag === 1 ? 0 : 64, o.flag === 1 ? 6 : 8, o.value, 7);
          } else if (o.kind === 't') {
            enc.treeP16(tree, 0, o.bits, o.value, 3);
            refTree(ref, refTreeProbs, 0, o.bits, o.value, 3);
          } else {
            enc.direct(o.value, o.bits);
            ref.direct(o.value, o.bits);
          }
        }
        expect([...tree]).toEqual([...refTreeProbs]);
        expect([...esc]).toEqual([...refEsc]);
        const bytes = enc.finish();
        expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(ref.finish()).toString('hex'));
        const dec = new RangeDecoder();
        dec.init(bytes, 0);
        const back = new Uint16Array(2).fill(PROB_INIT);
        const backTree = new Uint16Array(256).map((_, i) => [3, 40000, 65530, 1 << 15][i % 4]);
        const backEsc = new Uint16Array(320).map((_, i) => [3, 40000, 65530, 1 << 15][i % 4]);
        for (const o of ops) {
          if (o.kind === 't') {
            // the decoder's side of a tree: bitP at the same estimates, moved the same way
            let m = 1;
            let v = 0;
            for (let k = 0; k < o.bits; k++) {
              const b = dec.bitP(Math.min(4095, Math.max(1, backTree[m] >>> 4)));
              backTree[m] = b === 0 ? backTree[m] - (backTree[m] >>> 3) : backTree[m] + ((65535 - backTree[m]) >>> 3);
              m = (m << 1) | b;
              v = v * 2 + b;
            }
            expect(v).toBe(o.value);
            continue;
          }
          if (o.kind === 'e') {
            expect(dec.escapeTreeP16(backEsc, 6, 64, 8, 7)).toBe(o.flag === 1 ? o.value : -1 - o.value);
            continue;
          }
          if (o.kind === 'b') {
            let v = 0;
            for (let k = o.ps.length - 1; k >= 0; k--) v = v * 2 + dec.bitP(o.ps[k]);
            expect(v).toBe(o.value);
          } else if (o.kind === 'p') expect(dec.bitP(o.p)).toBe(o.bit);
          else if (o.kind === 'm') expect(dec.bit(back, 0)).toBe(o.bit);
          else if (o.kind === 'd') expect(dec.direct(o.bits)).toBe(o.value);
        }
        // the decoder's trees adapted exactly as the encoder's
        expect([...backTree]).toEqual([...tree]);
        expect([...backEsc]).toEqual([...esc]);
      }),
      { numRuns: 400 },
    );
  });

  it('the int32 decoder reads any bytes exactly as the reference decoder (bits, model updates, blob trees)', () => {
    const dop = fc.oneof(
      fc.record({ kind: fc.constant('p' as const), p: fc.oneof(fc.integer({ min: 1, max: 4095 }), fc.constantFrom(1, 2, 4094, 4095)) }),
      fc.record({ kind: fc.constant('m' as const), i: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('d' as const), bits: fc.integer({ min: 1, max: 26 }) }),
      fc.record({ kind: fc.constant('e' as const), layout: fc.integer({ min: 0, max: 1 }), shift: fc.integer({ min: 1, max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), fc.array(dop, { maxLength: 300 }), (bytes, ops) => {
        const dec = new RangeDecoder();
        dec.init(bytes, 0);
        const ref = new ReferenceDecoder(bytes);
        // probabilities start skewed so decoding runs against the odds too
        const probs = Uint16Array.of(PROB_INIT, PROB_INIT, 100, 300, 32000, 32700, 9000, 20000);
        const refProbs = probs.slice();
        const trees = new Uint16Array(512).map((_, i) => [3, 40000, 65530, 1 << 15, 12345][i % 5]);
        const refTrees = trees.slice();
        for (const o of ops) {
          if (o.kind === 'p') expect(dec.bitP(o.p)).toBe(ref.bitP(o.p));
          else if (o.kind === 'm') expect(dec.bit(probs, o.i)).toBe(ref.bit(refProbs, o.i));
          else if (o.kind === 'd') expect(dec.direct(o.bits)).toBe(ref.direct(o.bits));
          else {
            // the blob layout (6-bit trees at 0, 8-bit at 64) and a smaller one (3-bit at 0, 4-bit at 8)
            const [bitsA, baseB, bitsB] = o.layout === 0 ? [6, 64, 8] : [3, 8, 4];
            const want = ref.treeP16(refTrees, -1, 1, o.shift) === 1 ? ref.treeP16(refTrees, 0, bitsA, o.shift) : -1 - ref.treeP16(refTrees, baseB, bitsB, o.shift);
            expect(dec.escapeTreeP16(trees, bitsA, baseB, bitsB, o.shift)).toBe(want);
          }
        }
        expect([...probs]).toEqual([...refProbs]);
        expect([...trees]).toEqual([...refTrees]);
      }),
      { numRuns: 400 },
    );
  });

  it('propagates a carry through a run of 0xff bytes', () => {
    // bits coded against near-certain odds push low up to the top of the interval again and again
    const enc = new RangeEncoder();
    enc.reset();
    const ref = new ReferenceEncoder();
    for (let i = 0; i < 3000; i++) {
      const bit = i % 97 === 0 ? 0 : 1;
      enc.bitP(1, bit);
      ref.bitP(1, bit);
    }
    const bytes = enc.finish();
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(ref.finish()).toString('hex'));
    expect(bytes.length).toBeGreaterThan(100);
  });
});
