/**
 * Reading the linear model's weight rows for the type scorer: float16 bit patterns decoded by computation
 * (no 256 KB table), a row adder for any class count, and the weights as float32.
 */
import type { HalfLinearModel, LinearModel } from './linear-model.js';

/** Row `b` of the weights, times `mult`, added into `z`. */
export type AddRow = (b: number, mult: number, z: Float64Array) => void;

/** `2^(e − 25)` for a float16 exponent field `e` (1..30); entry 0 is `2^-24` (subnormals). */
const HALF_SCALE = new Float64Array(32);
for (let e = 1; e < 31; e++) HALF_SCALE[e] = 2 ** (e - 25);
HALF_SCALE[0] = 2 ** -24;

/**
 * A float16 bit pattern's value, computed rather than looked up: the 256 KB decoding table
 * (`halfTable`) costs a cache miss per weight in a busy daemon. Exact (the same number as `fromHalf`)
 * for every finite value; infinities and NaN (never written by training) decode as 0.
 */
export function half(h: number): number {
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = (e === 0 ? m : 1024 + m) * HALF_SCALE[e];
  return h & 0x8000 ? -v : v;
}

export function rowAdder(model: LinearModel | HalfLinearModel): AddRow {
  const c = model.labels.length;
  if ('halfWeights' in model && model.halfWeights !== undefined) {
    const w = model.halfWeights;
    if (c === 4) {
      return (b, mult, z) => {
        const base = b * 4;
        z[0] += half(w[base]) * mult;
        z[1] += half(w[base + 1]) * mult;
        z[2] += half(w[base + 2]) * mult;
        z[3] += half(w[base + 3]) * mult;
      };
    }
    return (b, mult, z) => {
      const base = b * c;
      for (let k = 0; k < c; k++) z[k] += half(w[base + k]) * mult;
    };
  }
  const w = (model as LinearModel).weights;
  return (b, mult, z) => {
    const base = b * c;
    for (let k = 0; k < c; k++) z[k] += w[base + k] * mult;
  };
}

/** The model's weights as float32: the float16 ones decoded by {@link half} (the same numbers), float32 ones as they are. */
export function float32Weights(model: LinearModel | HalfLinearModel): Float32Array {
  if (!('halfWeights' in model) || model.halfWeights === undefined) return (model as LinearModel).weights;
  const h = model.halfWeights;
  const out = new Float32Array(h.length);
  for (let k = 0; k < h.length; k++) out[k] = half(h[k]);
  return out;
}
