/**
 * The shipped security model: multinomial logistic regression over hashed
 * n-gram features. This module holds its in-memory form and the exact scoring
 * rule (shared by training-time evaluation and the in-process scorer; the ONNX
 * graph computes the same thing).
 */
import type { Label, ModelScore } from '../types.js';
import type { FeatureConfig, SparseVector } from './features.js';
import { halfTable } from './fp16.js';

/** Class order of the model's outputs. */
export const MODEL_LABELS: readonly Label[] = Object.freeze(['benign', 'injection', 'jailbreak', 'exfiltration']);

export interface LinearModel {
  /** e.g. `m2m-linear-2026.11.21` */
  version: string;
  labels: readonly Label[];
  features: FeatureConfig;
  /** Row-major `[buckets, labels.length]`. */
  weights: Float32Array;
  /** `[labels.length]` */
  bias: Float32Array;
  /**
   * Model-only operating point: the attack score (1 − p(benign)) at which the
   * model alone reaches the benign false-positive target on cross-source
   * (out-of-fold) scores. Informational: the fused classifier has its own
   * calibrated threshold over rules + model.
   */
  threshold: number;
}

/** Class probabilities for one feature vector (softmax of the linear logits). */
export function classProbabilities(model: LinearModel, v: SparseVector): Float64Array {
  return classProbabilitiesOf(model, v.indices, v.values, v.indices.length);
}

/**
 * {@link classProbabilities} of the first `length` entries of `indices`/`values` (scratch vectors), each
 * value taken as `Math.fround(values[n] * scale)` (the float32 the normalised vector would hold).
 */
export function classProbabilitiesOf(model: LinearModel, indices: Int32Array, values: Float32Array, length: number, scale = 1): Float64Array {
  const c = model.labels.length;
  const z = new Float64Array(c);
  for (let k = 0; k < c; k++) z[k] = model.bias[k];
  const w = model.weights;
  if (c === 4) {
    // The shipped model's four classes in locals: the same additions in the same order, without a store per term.
    let z0 = z[0];
    let z1 = z[1];
    let z2 = z[2];
    let z3 = z[3];
    for (let n = 0; n < length; n++) {
      const base = indices[n] * 4;
      const x = Math.fround(values[n] * scale);
      z0 += w[base] * x;
      z1 += w[base + 1] * x;
      z2 += w[base + 2] * x;
      z3 += w[base + 3] * x;
    }
    z[0] = z0;
    z[1] = z1;
    z[2] = z2;
    z[3] = z3;
    return softmaxInPlace(z);
  }
  for (let n = 0; n < length; n++) {
    const base = indices[n] * c;
    const x = Math.fround(values[n] * scale);
    for (let k = 0; k < c; k++) z[k] += w[base + k] * x;
  }
  return softmaxInPlace(z);
}

/**
 * The linear model with its weights kept as float16 bit patterns (as stored in
 * the ONNX file): half the memory of {@link LinearModel.weights}, and the same
 * numbers, since every float16 value is exactly a float32.
 */
export interface HalfLinearModel extends Omit<LinearModel, 'weights'> {
  /** Row-major `[buckets, labels.length]` float16 bit patterns. */
  halfWeights: Uint16Array;
}

/** {@link classProbabilitiesOf} for a {@link HalfLinearModel}: each weight is looked up in the float16 table. */
export function halfClassProbabilitiesOf(model: HalfLinearModel, indices: Int32Array, values: Float32Array, length: number, scale = 1): Float64Array {
  const c = model.labels.length;
  const z = new Float64Array(c);
  for (let k = 0; k < c; k++) z[k] = model.bias[k];
  const w = model.halfWeights;
  const t = halfTable();
  if (c === 4) {
    let z0 = z[0];
    let z1 = z[1];
    let z2 = z[2];
    let z3 = z[3];
    for (let n = 0; n < length; n++) {
      const base = indices[n] * 4;
      const x = Math.fround(values[n] * scale);
      z0 += t[w[base]] * x;
      z1 += t[w[base + 1]] * x;
      z2 += t[w[base + 2]] * x;
      z3 += t[w[base + 3]] * x;
    }
    z[0] = z0;
    z[1] = z1;
    z[2] = z2;
    z[3] = z3;
    return softmaxInPlace(z);
  }
  for (let n = 0; n < length; n++) {
    const base = indices[n] * c;
    const x = Math.fround(values[n] * scale);
    for (let k = 0; k < c; k++) z[k] += t[w[base + k]] * x;
  }
  return softmaxInPlace(z);
}

/** Numerically stable softmax, in place. */
export function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k] > max) max = z[k];
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k] - max);
    sum += z[k];
  }
  for (let k = 0; k < z.length; k++) z[k] /= sum;
  return z;
}

/**
 * Combine per-window class probabilities into one score: the window with the
 * highest attack probability (1 − p(benign)) decides, so an attack buried in a
 * long benign text is not diluted.
 */
export function combineWindows(labels: readonly Label[], perWindow: ArrayLike<number>[]): ModelScore {
  const benign = labels.indexOf('benign');
  let best = perWindow[0];
  let bestUnsafe = -1;
  for (const p of perWindow) {
    const unsafe = 1 - p[benign];
    if (unsafe > bestUnsafe) {
      bestUnsafe = unsafe;
      best = p;
    }
  }
  const perLabel: Partial<Record<Label, number>> = {};
  labels.forEach((l, k) => {
    perLabel[l] = best[k];
  });
  return { unsafe: Math.min(1, Math.max(0, bestUnsafe)), perLabel };
}
