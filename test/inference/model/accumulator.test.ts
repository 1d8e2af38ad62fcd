// The accumulator's sort gives buckets in increasing order with their summed counts, also when crafted
// hashes crowd one top-bits bin (the insertion sort gives up and the radix sort finishes).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Accumulator } from '../../../inference/model/accumulator.js';

/** The vector by the definition: counts per bucket, sorted, 1 + ln|c| with the sign, L2-normalised in bucket order. */
function reference(hashes: readonly number[], bits: number, times: readonly number[]): { indices: number[]; values: number[] } {
  const counts = new Map<number, number>();
  hashes.forEach((h, i) => {
    const b = h & ((1 << bits) - 1);
    counts.set(b, (counts.get(b) ?? 0) + (h & 0x80000000 ? -times[i] : times[i]));
  });
  const indices = [...counts.keys()].filter((b) => counts.get(b) !== 0).sort((a, b) => a - b);
  const raw = indices.map((b) => {
    const c = counts.get(b) as number;
    const a = 1 + Math.log(Math.abs(c));
    return c < 0 ? -a : a;
  });
  let norm = 0;
  for (const v of raw) norm += v * v;
  const f32 = Float32Array.from(raw);
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < f32.length; k++) f32[k] *= inv;
  }
  return { indices, values: Array.from(f32) };
}

function finish(acc: Accumulator): { indices: number[]; values: number[] } {
  const v = acc.finish();
  return { indices: Array.from(v.indices), values: Array.from(v.values) };
}

describe('Accumulator', () => {
  it('matches the definition for arbitrary hashes, repeats and counts (addTimes)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 300 })), { maxLength: 3000 }), fc.integer({ min: 4, max: 20 }), (pairs, bits) => {
        const acc = new Accumulator(bits);
        for (const [h, t] of pairs) acc.addTimes(h, t);
        expect(finish(acc)).toEqual(reference(pairs.map((p) => p[0]), bits, pairs.map((p) => p[1])));
      }),
      { numRuns: 60 },
    );
  });

  it('sorts buckets crowded into few top-bits bins (crafted collisions), also past the insertion budget (radix fallback)', () => {
    const bits = 18;
    // 5000 distinct buckets below 2^13 share few top-bits bins; in either insertion order (one of them makes
    // every insertion shift the whole bin, which exhausts the budget).
    for (const hashes of [Array.from({ length: 5000 }, (_, i) => 5000 - i), Array.from({ length: 5000 }, (_, i) => i + 1)]) {
      const acc = new Accumulator(bits);
      for (const h of hashes) acc.add(h);
      expect(finish(acc)).toEqual(reference(hashes, bits, hashes.map(() => 1)));
    }
    const acc = new Accumulator(bits);
    // The scratch is reset: the next vector does not see the previous one.
    acc.add(7);
    expect(finish(acc).indices).toEqual([7]);
  });

  it('finishScratch gives the entries of finish (values scaled by its scale)', () => {
    const a = new Accumulator(12);
    const b = new Accumulator(12);
    for (let i = 0; i < 2000; i++) {
      const h = Math.imul(i, 0x9e3779b1);
      a.add(h);
      b.add(h);
    }
    const s = a.finishScratch();
    const f = b.finish();
    expect(Array.from(s.indices.subarray(0, s.length))).toEqual(Array.from(f.indices));
    expect(Array.from(s.values.subarray(0, s.length), (x) => Math.fround(x * s.scale))).toEqual(Array.from(f.values));
  });
});
