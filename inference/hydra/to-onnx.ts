/**
 * Convert Hydra weights to an ONNX graph (opset 13) computing exactly
 * {@link hydraForward}. Input `input_ids` int64 `[seq]` (see `hydraTokenize`);
 * outputs `security` `[1, 2]` and `compression` `[1, 4]` probabilities.
 * All four experts are evaluated and mixed with a weight vector that is zero
 * outside the top-2, which equals running only the chosen two.
 */
import { KIND_KEY } from '../onnx/linear-graph.js';
import { DType, encodeModel, floatTensor, int64Tensor, node, valueInfo, type ModelParts } from '../onnx/proto.js';
import { HYDRA_LAYER_NORM_EPS } from './forward.js';
import { readSafetensors } from './safetensors.js';
import { HYDRA_EXPERTS, HYDRA_TOP_K, hydraWeights, type HydraWeights, type Linear } from './weights.js';

export const HYDRA_KIND = 'hydra-v1';
export const HYDRA_IO = Object.freeze({ ids: 'input_ids', security: 'security', compression: 'compression' });

/** Build the ONNX bytes for Hydra weights. */
export function hydraToOnnx(w: HydraWeights, version = 'hydra-import'): Uint8Array {
  const nodes: ModelParts['nodes'] = [];
  const inits: ModelParts['initializers'] = [
    floatTensor('embed', [w.vocab, w.hidden], w.embed),
    tensorInt64Scalar('id_min', 0),
    tensorInt64Scalar('id_max', w.vocab - 1),
    int64Tensor('axis_last', [1], [-1]),
    int64Tensor('k', [1], [HYDRA_TOP_K]),
    floatTensor('zeros_gate', [1, HYDRA_EXPERTS], new Array(HYDRA_EXPERTS).fill(0)),
    floatTensor('eps', [], [HYDRA_LAYER_NORM_EPS]),
    floatTensor('norm_w', [w.hidden], w.norm.weight),
    floatTensor('norm_b', [w.hidden], w.norm.bias),
  ];
  const gemm = (name: string, lin: Linear, input: string, output: string): void => {
    inits.push(floatTensor(`${name}.W`, [lin.out, lin.in], lin.weight));
    const inputs = [input, `${name}.W`];
    if (lin.bias) {
      inits.push(floatTensor(`${name}.b`, [lin.out], lin.bias));
      inputs.push(`${name}.b`);
    }
    nodes.push(node('Gemm', inputs, [output], { transB: 1 }));
  };

  nodes.push(node('Clip', [HYDRA_IO.ids, 'id_min', 'id_max'], ['ids']));
  nodes.push(node('Gather', ['embed', 'ids'], ['emb'], { axis: 0 }));
  nodes.push(node('ReduceMean', ['emb'], ['x0'], { axes: [0], keepdims: 1 }));
  let x = 'x0';
  w.layers.forEach((layer, l) => {
    const p = `l${l}`;
    gemm(`${p}.gate`, layer.gate, x, `${p}.gl`);
    nodes.push(node('Softmax', [`${p}.gl`], [`${p}.gp`], { axis: -1 }));
    nodes.push(node('TopK', [`${p}.gp`, 'k'], [`${p}.tv`, `${p}.ti`], { axis: -1, largest: 1, sorted: 1 }));
    nodes.push(node('ReduceSum', [`${p}.tv`, 'axis_last'], [`${p}.ts`], { keepdims: 1 }));
    nodes.push(node('Div', [`${p}.tv`, `${p}.ts`], [`${p}.tn`]));
    nodes.push(node('ScatterElements', ['zeros_gate', `${p}.ti`, `${p}.tn`], [`${p}.mix`], { axis: 1 }));
    const outs: string[] = [];
    layer.experts.forEach((stack, e) => {
      let h = x;
      stack.forEach((lin, i) => {
        const name = `${p}.e${e}.${i}`;
        gemm(name, lin, h, `${name}.y`);
        h = `${name}.y`;
        if (i < stack.length - 1) {
          nodes.push(node('Sigmoid', [h], [`${name}.sig`]));
          nodes.push(node('Mul', [h, `${name}.sig`], [`${name}.silu`]));
          h = `${name}.silu`;
        }
      });
      outs.push(h);
    });
    nodes.push(node('Concat', outs, [`${p}.stack`], { axis: 0 }));
    nodes.push(node('MatMul', [`${p}.mix`, `${p}.stack`], [`${p}.moe`]));
    nodes.push(node('Add', [`${p}.moe`, x], [`${p}.out`]));
    x = `${p}.out`;
  });
  nodes.push(node('ReduceMean', [x], ['ln.mean'], { axes: [-1], keepdims: 1 }));
  nodes.push(node('Sub', [x, 'ln.mean'], ['ln.d']));
  nodes.push(node('Mul', ['ln.d', 'ln.d'], ['ln.d2']));
  nodes.push(node('ReduceMean', ['ln.d2'], ['ln.var'], { axes: [-1], keepdims: 1 }));
  nodes.push(node('Add', ['ln.var', 'eps'], ['ln.ve']));
  nodes.push(node('Sqrt', ['ln.ve'], ['ln.std']));
  nodes.push(node('Div', ['ln.d', 'ln.std'], ['ln.n']));
  nodes.push(node('Mul', ['ln.n', 'norm_w'], ['ln.s']));
  nodes.push(node('Add', ['ln.s', 'norm_b'], ['ln.y']));
  gemm('semantic', w.semanticHead, 'ln.y', 'sem');
  gemm('security', w.securityHead, 'sem', 'sec.logits');
  gemm('compression', w.compressionHead, 'sem', 'comp.logits');
  nodes.push(node('Softmax', ['sec.logits'], [HYDRA_IO.security], { axis: -1 }));
  nodes.push(node('Softmax', ['comp.logits'], [HYDRA_IO.compression], { axis: -1 }));

  return encodeModel({
    name: 'hydra',
    docString: 'Hydra (infernet-org/m2m-protocol) converted by m2m: byte embeddings, 4 MoE layers x 4 experts top-2, LayerNorm, semantic/security/compression heads.',
    nodes,
    initializers: inits,
    inputs: [valueInfo(HYDRA_IO.ids, DType.INT64, ['seq'])],
    outputs: [valueInfo(HYDRA_IO.security, DType.FLOAT, [1, 2]), valueInfo(HYDRA_IO.compression, DType.FLOAT, [1, 4])],
    metadata: { [KIND_KEY]: HYDRA_KIND, 'm2m.version': version, 'm2m.vocab': String(w.vocab), 'm2m.hidden': String(w.hidden) },
  });
}

function tensorInt64Scalar(name: string, v: number): ReturnType<typeof int64Tensor> {
  return int64Tensor(name, [], [v]);
}

/**
 * Convert a Hydra safetensors checkpoint to ONNX bytes.
 * @throws ModelError `MODEL_INVALID` for a malformed file or missing/mis-shaped tensors
 */
export function convertHydraSafetensors(bytes: Uint8Array, version?: string): Uint8Array {
  return hydraToOnnx(hydraWeights(readSafetensors(bytes)), version);
}
