/**
 * The shipped security model: multinomial logistic regression over hashed
 * n-gram features. This module holds its in-memory form and the exact scoring
 * rule (shared by training-time evaluation and the in-process scorer; the ONNX
 * graph computes the same thing).
 */
import type { Label, ModelScore } from '../types.js';
import type { FeatureConfig, SparseVector } from './features.js';

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
   * Raw attack probability (1 − p(benign)) at the calibrated operating point
   * (benign false-positive target, cross-source). Scorers report
   * `unsafe = calibrate(raw, threshold)`, so 0.5 is that operating point.
   */
  threshold: number;
}

/** Class probabilities for one feature vector (softmax of the linear logits). */
export function classProbabilities(model: LinearModel, v: SparseVector): Float64Array {
  const c = model.labels.length;
  const z = new Float64Array(c);
  for (let k = 0; k < c; k++) z[k] = model.bias[k];
  const w = model.weights;
  const { indices, values } = v;
  for (let n = 0; n < indices.length; n++) {
    const base = indices[n] * c;
    const x = values[n];
    for (let k = 0; k < c; k++) z[k] += w[base + k] * x;
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
 * Shift a raw attack probability on the logit scale so that `threshold` maps to 0.5.
 * Monotone, so ranking metrics (AUC) are unchanged.
 */
export function calibrate(raw: number, threshold: number): number {
  const eps = 1e-7;
  const logit = (p: number): number => {
    const q = Math.min(1 - eps, Math.max(eps, p));
    return Math.log(q / (1 - q));
  };
  return 1 / (1 + Math.exp(-(logit(raw) - logit(threshold))));
}

/**
 * Combine per-window class probabilities into one score: the window with the
 * highest attack probability (1 − p(benign)) decides, so an attack buried in a
 * long benign text is not diluted.
 */
export function combineWindows(labels: readonly Label[], perWindow: ArrayLike<number>[], threshold?: number): ModelScore {
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
  const raw = Math.min(1, Math.max(0, bestUnsafe));
  return { unsafe: threshold === undefined ? raw : calibrate(raw, threshold), perLabel };
}
