/**
 * The linear model as an ONNX graph. Feature extraction stays in JavaScript;
 * the graph takes a batch of sparse vectors padded to one length
 * (`indices` int64 `[batch, nnz]`, `values` float `[batch, nnz]`, padding = index 0
 * with value 0) and returns class probabilities `[batch, labels]`:
 * `softmax(Σ_n cast(Gather(W, indices))[.., n, :] · values[.., n] + b)`.
 * Weights are stored as float16 to keep the file small; settings live in metadata.
 */
import type { Label } from '../types.js';
import { ModelError } from '../model/errors.js';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../model/features.js';
import { decodeHalf, encodeHalf } from '../model/fp16.js';
import type { LinearModel } from '../model/linear-model.js';
import { DType, decodeModel, dimsOf, encodeModel, floatTensor, initializer, int64Tensor, metadataOf, node, rawAs, tensor, valueInfo, type ModelProto } from './proto.js';

/** Metadata key that marks our models; its value is the graph kind. */
export const KIND_KEY = 'm2m.kind';
export const LINEAR_KIND = 'linear-hashed-v1';

/** Input and output names of the linear graph. */
export const LINEAR_IO = Object.freeze({ indices: 'indices', values: 'values', probs: 'probs' });

/** Round the weights to float16 in place (what the file will hold), so JS and ONNX scores agree. */
export function quantizeWeights(model: LinearModel): LinearModel {
  return { ...model, weights: decodeHalf(encodeHalf(model.weights)) };
}

/** Serialise a linear model to ONNX bytes. */
export function linearModelToOnnx(model: LinearModel): Uint8Array {
  const c = model.labels.length;
  const buckets = 1 << model.features.bucketsLog2;
  if (model.weights.length !== buckets * c) throw new ModelError('MODEL_INVALID', `weights have ${model.weights.length} values, expected ${buckets * c}`);
  return encodeModel({
    name: 'm2m_security_linear',
    docString: 'm2m security classifier: hashed n-gram features (computed in JS) -> multinomial logistic regression. See inference/models/MODEL_CARD.md.',
    initializers: [
      tensor('W', DType.FLOAT16, [buckets, c], encodeHalf(model.weights)),
      floatTensor('b', [c], model.bias),
      int64Tensor('axis_last', [1], [-1]),
      int64Tensor('axis_nnz', [1], [1]),
    ],
    nodes: [
      node('Gather', ['W', LINEAR_IO.indices], ['g16'], { axis: 0 }),
      node('Cast', ['g16'], ['g'], { to: DType.FLOAT }),
      node('Unsqueeze', [LINEAR_IO.values, 'axis_last'], ['v3']),
      node('Mul', ['g', 'v3'], ['gv']),
      node('ReduceSum', ['gv', 'axis_nnz'], ['s'], { keepdims: 0 }),
      node('Add', ['s', 'b'], ['logits']),
      node('Softmax', ['logits'], [LINEAR_IO.probs], { axis: -1 }),
    ],
    inputs: [valueInfo(LINEAR_IO.indices, DType.INT64, ['batch', 'nnz']), valueInfo(LINEAR_IO.values, DType.FLOAT, ['batch', 'nnz'])],
    outputs: [valueInfo(LINEAR_IO.probs, DType.FLOAT, ['batch', c])],
    metadata: {
      [KIND_KEY]: LINEAR_KIND,
      'm2m.version': model.version,
      'm2m.labels': JSON.stringify(model.labels),
      'm2m.features': JSON.stringify(model.features),
      'm2m.threshold': String(model.threshold),
    },
  });
}

function parseJson<T>(meta: Record<string, string>, key: string): T {
  try {
    return JSON.parse(meta[key] ?? '') as T;
  } catch {
    throw new ModelError('MODEL_INVALID', `model metadata '${key}' is missing or not JSON`);
  }
}

/** Settings of a linear model read from its metadata (without the weights). */
export function linearSettings(model: ModelProto): Omit<LinearModel, 'weights' | 'bias'> {
  const meta = metadataOf(model);
  if (meta[KIND_KEY] !== LINEAR_KIND) throw new ModelError('MODEL_INVALID', `not an m2m linear model (kind '${meta[KIND_KEY] ?? 'none'}')`);
  const labels = parseJson<Label[]>(meta, 'm2m.labels');
  const features = { ...DEFAULT_FEATURE_CONFIG, ...parseJson<Partial<FeatureConfig>>(meta, 'm2m.features') };
  const threshold = Number(meta['m2m.threshold']);
  if (!Array.isArray(labels) || !labels.includes('benign')) throw new ModelError('MODEL_INVALID', "model labels must include 'benign'");
  if (!Number.isInteger(features.bucketsLog2) || features.bucketsLog2 < 4 || features.bucketsLog2 > 24) throw new ModelError('MODEL_INVALID', 'bad bucketsLog2 in model metadata');
  if (!(threshold > 0 && threshold < 1)) throw new ModelError('MODEL_INVALID', 'model threshold must be in (0, 1)');
  return { version: meta['m2m.version'] ?? 'unknown', labels, features, threshold };
}

/**
 * Read a linear model (weights included) back from ONNX bytes.
 * @throws ModelError `MODEL_INVALID` for anything that is not our linear graph
 */
export function linearModelFromOnnx(bytes: Uint8Array): LinearModel {
  const proto = decodeModel(bytes);
  const settings = linearSettings(proto);
  const c = settings.labels.length;
  const w = initializer(proto, 'W');
  const dims = dimsOf(w);
  if (dims.length !== 2 || dims[0] !== 1 << settings.features.bucketsLog2 || dims[1] !== c) {
    throw new ModelError('MODEL_INVALID', `W has shape [${dims.join(', ')}], expected [${1 << settings.features.bucketsLog2}, ${c}]`);
  }
  const weights = w.dataType === DType.FLOAT16 ? decodeHalf(rawAs(w, Uint16Array)) : rawAs(w, Float32Array);
  const bias = rawAs(initializer(proto, 'b'), Float32Array);
  if (bias.length !== c) throw new ModelError('MODEL_INVALID', `b has ${bias.length} values, expected ${c}`);
  return { ...settings, weights, bias };
}
