// Synthetic Hydra checkpoints for tests: random weights with the reference layout.
import type { F32Tensor } from '../../../inference/hydra/safetensors.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/**
 * Tensors for a Hydra with vocab `vocab`, width `hidden`: heterogeneous experts
 * (1–3 linears at Sequential indices 0, 2, 4), gate biases on even layers only.
 */
export function syntheticHydra(vocab: number, hidden: number, seed = 1): Map<string, F32Tensor> {
  const r = rng(seed);
  const t = new Map<string, F32Tensor>();
  const put = (name: string, shape: number[], scale = 1): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    t.set(name, { shape, data: Float32Array.from({ length: n }, () => r() * scale) });
  };
  put('embed.weight', [vocab, hidden], 2);
  for (let l = 0; l < 4; l++) {
    put(`layers.${l}.gate.weight`, [4, hidden], 3);
    if (l % 2 === 0) put(`layers.${l}.gate.bias`, [4]);
    for (let e = 0; e < 4; e++) {
      const depth = 1 + ((l + e) % 3);
      let dim = hidden;
      for (let k = 0; k < depth; k++) {
        const out = k === depth - 1 ? hidden : 8 + 4 * e;
        put(`layers.${l}.experts.${e}.net.${2 * k}.weight`, [out, dim], 1);
        dim = out;
      }
    }
  }
  put('norm.weight', [hidden], 2);
  put('norm.bias', [hidden], 1);
  put('semantic_head.weight', [hidden, hidden], 1);
  put('compression_head.weight', [4, hidden], 1);
  put('security_head.weight', [2, hidden], 1);
  return t;
}
