/**
 * TypeScript reference forward pass of Hydra, step for step as the Rust
 * reference computes it: mean of byte embeddings → 4 MoE layers (softmax gate,
 * top-2 renormalised, SiLU MLP experts, residual) → LayerNorm (eps 1e-5) →
 * semantic head → security / compression heads → softmax. Used to check the
 * ONNX conversion and as an in-process scorer.
 */
import { HYDRA_TOP_K, type HydraWeights, type Linear } from './weights.js';

export const HYDRA_LAYER_NORM_EPS = 1e-5;

export interface HydraOutput {
  /** `[SAFE, UNSAFE]` probabilities. */
  security: Float64Array;
  /** `[NONE, BPE, BROTLI, ZLIB]` probabilities. */
  compression: Float64Array;
}

function apply(l: Linear, x: Float64Array): Float64Array {
  const y = new Float64Array(l.out);
  for (let o = 0; o < l.out; o++) {
    let s = l.bias ? l.bias[o] : 0;
    const row = o * l.in;
    for (let i = 0; i < l.in; i++) s += l.weight[row + i] * x[i];
    y[o] = s;
  }
  return y;
}

function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const out = z.map((v) => Math.exp(v - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

function expert(stack: Linear[], x: Float64Array): Float64Array {
  let h = x;
  stack.forEach((lin, i) => {
    h = apply(lin, h);
    if (i < stack.length - 1) h = h.map((v) => v / (1 + Math.exp(-v)));
  });
  return h;
}

/** Hidden vector after embeddings, MoE layers, LayerNorm and the semantic head. */
export function hydraEncode(w: HydraWeights, ids: ArrayLike<number>): Float64Array {
  const x = new Float64Array(w.hidden);
  for (let t = 0; t < ids.length; t++) {
    const row = Math.min(Math.max(0, ids[t]), w.vocab - 1) * w.hidden;
    for (let i = 0; i < w.hidden; i++) x[i] += w.embed[row + i];
  }
  const n = Math.max(1, ids.length);
  let h: Float64Array = x.map((v) => v / n);
  for (const layer of w.layers) {
    const p = softmax(apply(layer.gate, h));
    // Stable sort by probability, highest first: ties keep the lower expert index.
    const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a] || a - b).slice(0, HYDRA_TOP_K);
    const total = order.reduce((s, e) => s + p[e], 0);
    const out = new Float64Array(w.hidden);
    for (const e of order) {
      const y = expert(layer.experts[e], h);
      const g = p[e] / total;
      for (let i = 0; i < w.hidden; i++) out[i] += g * y[i];
    }
    for (let i = 0; i < w.hidden; i++) out[i] += h[i];
    h = out;
  }
  const mean = h.reduce((a, b) => a + b, 0) / h.length;
  const variance = h.reduce((a, b) => a + (b - mean) * (b - mean), 0) / h.length;
  const std = Math.sqrt(variance + HYDRA_LAYER_NORM_EPS);
  const normed = h.map((v, i) => ((v - mean) / std) * w.norm.weight[i] + w.norm.bias[i]);
  return apply(w.semanticHead, normed);
}

/** Both heads' probabilities for a token sequence. */
export function hydraForward(w: HydraWeights, ids: ArrayLike<number>): HydraOutput {
  const h = hydraEncode(w, ids);
  return { security: softmax(apply(w.securityHead, h)), compression: softmax(apply(w.compressionHead, h)) };
}
