/**
 * The Hydra checkpoint layout (Rust reference `src/inference/bitnet.rs`):
 * `embed.weight [V,H]`; per layer l < 4 a gate `layers.l.gate.weight [4,H]`
 * (+ optional bias) and 4 experts, each a stack of bias-free linears
 * `layers.l.experts.e.net.k.weight [out,in]` with SiLU between them;
 * `norm.weight/bias [H]`; heads `semantic_head [H,H]`, `security_head [2,H]`,
 * `compression_head [4,H]`.
 */
import { ModelError } from '../model/errors.js';
import type { F32Tensor } from './safetensors.js';

export const HYDRA_LAYERS = 4;
export const HYDRA_EXPERTS = 4;
export const HYDRA_TOP_K = 2;
/** Highest `k` probed in `experts.e.net.k.weight`. */
const MAX_EXPERT_LINEARS = 10;

/** A linear map stored PyTorch-style as `[out, in]`. */
export interface Linear {
  out: number;
  in: number;
  weight: Float32Array;
  bias?: Float32Array;
}

export interface HydraWeights {
  vocab: number;
  hidden: number;
  embed: Float32Array;
  layers: Array<{ gate: Linear; experts: Linear[][] }>;
  norm: { weight: Float32Array; bias: Float32Array };
  semanticHead: Linear;
  securityHead: Linear;
  compressionHead: Linear;
}

function bad(msg: string): ModelError {
  return new ModelError('MODEL_INVALID', `not a Hydra checkpoint: ${msg}`);
}

function get(t: Map<string, F32Tensor>, name: string, rank: number): F32Tensor {
  const x = t.get(name);
  if (!x) throw bad(`missing tensor '${name}'`);
  if (x.shape.length !== rank) throw bad(`'${name}' has rank ${x.shape.length}, expected ${rank}`);
  return x;
}

function linear(t: Map<string, F32Tensor>, prefix: string, inDim: number, outDim?: number): Linear {
  const w = get(t, `${prefix}.weight`, 2);
  const [o, i] = w.shape;
  if (i !== inDim || (outDim !== undefined && o !== outDim)) throw bad(`'${prefix}.weight' has shape [${o}, ${i}], expected [${outDim ?? 'any'}, ${inDim}]`);
  const b = t.get(`${prefix}.bias`);
  if (b && (b.shape.length !== 1 || b.shape[0] !== o)) throw bad(`'${prefix}.bias' has a bad shape`);
  return { out: o, in: i, weight: w.data, bias: b?.data };
}

/**
 * Validate shapes and collect the weights.
 * @throws ModelError `MODEL_INVALID` naming the first missing or mis-shaped tensor
 */
export function hydraWeights(t: Map<string, F32Tensor>): HydraWeights {
  const embed = get(t, 'embed.weight', 2);
  const [vocab, hidden] = embed.shape;
  if (vocab < 1 || hidden < 1) throw bad('empty embedding');
  const layers = [];
  for (let l = 0; l < HYDRA_LAYERS; l++) {
    const gate = linear(t, `layers.${l}.gate`, hidden, HYDRA_EXPERTS);
    const experts: Linear[][] = [];
    for (let e = 0; e < HYDRA_EXPERTS; e++) {
      const stack: Linear[] = [];
      let dim = hidden;
      for (let k = 0; k < MAX_EXPERT_LINEARS; k++) {
        if (!t.has(`layers.${l}.experts.${e}.net.${k}.weight`)) continue;
        const lin = linear(t, `layers.${l}.experts.${e}.net.${k}`, dim);
        if (lin.bias) throw bad(`expert linears have no bias ('layers.${l}.experts.${e}.net.${k}.bias')`);
        stack.push(lin);
        dim = lin.out;
      }
      if (!stack.length) throw bad(`expert ${l}.${e} has no weights`);
      if (dim !== hidden) throw bad(`expert ${l}.${e} ends at width ${dim}, expected ${hidden}`);
      experts.push(stack);
    }
    layers.push({ gate, experts });
  }
  const nw = get(t, 'norm.weight', 1);
  const nb = get(t, 'norm.bias', 1);
  if (nw.shape[0] !== hidden || nb.shape[0] !== hidden) throw bad('norm has the wrong width');
  return {
    vocab,
    hidden,
    embed: embed.data,
    layers,
    norm: { weight: nw.data, bias: nb.data },
    semanticHead: linear(t, 'semantic_head', hidden, hidden),
    securityHead: linear(t, 'security_head', hidden, 2),
    compressionHead: linear(t, 'compression_head', hidden, 4),
  };
}
