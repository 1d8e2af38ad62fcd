/**
 * Tell model files apart: our linear ONNX, a Hydra ONNX (converted by us, or
 * any graph with an `input_ids` input and a `security` output), or a raw Hydra
 * safetensors checkpoint (converted on load).
 */
import { ModelError } from '../model/errors.js';
import { looksLikeSafetensors } from '../hydra/safetensors.js';
import { convertHydraSafetensors, HYDRA_IO, HYDRA_KIND } from '../hydra/to-onnx.js';
import { KIND_KEY, LINEAR_KIND } from './linear-graph.js';
import { decodeModel, metadataOf } from './proto.js';

export type ModelKind = 'linear' | 'hydra';

export interface DetectedModel {
  kind: ModelKind;
  /** ONNX bytes (a safetensors checkpoint is converted). */
  onnx: Uint8Array;
  version: string;
}

/**
 * Identify model bytes.
 * @throws ModelError `MODEL_INVALID` when they are none of the supported kinds
 */
export function detectModel(bytes: Uint8Array): DetectedModel {
  if (bytes.byteLength === 0) throw new ModelError('MODEL_INVALID', 'model file is empty');
  if (looksLikeSafetensors(bytes)) {
    const onnx = convertHydraSafetensors(bytes);
    return { kind: 'hydra', onnx, version: 'hydra-safetensors' };
  }
  const proto = decodeModel(bytes);
  const meta = metadataOf(proto);
  const version = meta['m2m.version'] ?? 'unknown';
  if (meta[KIND_KEY] === LINEAR_KIND) return { kind: 'linear', onnx: bytes, version };
  const inputs = proto.graph?.input?.map((i) => i.name) ?? [];
  const outputs = proto.graph?.output?.map((o) => o.name) ?? [];
  if (meta[KIND_KEY] === HYDRA_KIND || (inputs.includes(HYDRA_IO.ids) && outputs.includes(HYDRA_IO.security))) {
    return { kind: 'hydra', onnx: bytes, version: meta[KIND_KEY] === HYDRA_KIND ? version : 'hydra-onnx' };
  }
  throw new ModelError('MODEL_INVALID', `unsupported model: kind '${meta[KIND_KEY] ?? 'none'}', inputs [${inputs.join(', ')}]`);
}
