/**
 * Small helpers over `onnx-proto` for writing and reading ONNX models by hand:
 * tensors (always `raw_data`, little-endian), nodes, graph inputs/outputs and
 * metadata. Only what our two graphs (the linear model, Hydra) need.
 */
import onnxPkg from 'onnx-proto';
import { ModelError } from '../model/errors.js';

export const onnx = onnxPkg.onnx;
export type ModelProto = InstanceType<typeof onnxPkg.onnx.ModelProto>;

/** ONNX `TensorProto.DataType` values we use. */
export const DType = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10 } as const;

/** Opset all our graphs target (Unsqueeze/ReduceSum take axes as inputs from 13 on). */
export const OPSET = 13;
/** IR version written by the bundled `onnx-proto` (ONNX 1.10). */
export const IR_VERSION = 8;

type Numeric = Float32Array | Uint16Array | BigInt64Array | Int32Array;

function rawBytes(data: Numeric): Uint8Array {
  // Copy so the proto owns aligned bytes (little-endian on every platform Node ships for).
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** A named initialiser tensor. */
export function tensor(name: string, dataType: number, dims: number[], data: Numeric): InstanceType<typeof onnx.TensorProto> {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: rawBytes(data) });
}

/** A float tensor from plain numbers. */
export function floatTensor(name: string, dims: number[], data: ArrayLike<number>): InstanceType<typeof onnx.TensorProto> {
  return tensor(name, DType.FLOAT, dims, Float32Array.from(data));
}

/** An int64 tensor (e.g. axes constants). */
export function int64Tensor(name: string, dims: number[], data: number[]): InstanceType<typeof onnx.TensorProto> {
  return tensor(name, DType.INT64, dims, BigInt64Array.from(data.map((x) => BigInt(x))));
}

type AttrValue = number | number[] | string;

/** A graph node; integer attributes are written as INT, fractional ones as FLOAT. */
export function node(opType: string, input: string[], output: string[], attrs: Record<string, AttrValue> = {}, name?: string): InstanceType<typeof onnx.NodeProto> {
  const attribute = Object.entries(attrs).map(([key, v]) => {
    if (typeof v === 'string') return { name: key, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: key, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
    if (Number.isInteger(v) && !(key === 'epsilon' || key === 'alpha' || key === 'beta')) return { name: key, type: onnx.AttributeProto.AttributeType.INT, i: v };
    return { name: key, type: onnx.AttributeProto.AttributeType.FLOAT, f: v };
  });
  return onnx.NodeProto.create({ opType, input, output, attribute, name: name ?? `${opType}_${output[0]}` });
}

/** A graph input or output; string dims are symbolic (e.g. `batch`). */
export function valueInfo(name: string, elemType: number, dims: Array<number | string>): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

export interface ModelParts {
  name: string;
  nodes: InstanceType<typeof onnx.NodeProto>[];
  initializers: InstanceType<typeof onnx.TensorProto>[];
  inputs: InstanceType<typeof onnx.ValueInfoProto>[];
  outputs: InstanceType<typeof onnx.ValueInfoProto>[];
  metadata: Record<string, string>;
  docString?: string;
}

/** Serialise a complete model. */
export function encodeModel(parts: ModelParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'm2m',
    producerVersion: '1',
    docString: parts.docString ?? '',
    graph: {
      name: parts.name,
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
    },
    metadataProps: Object.entries(parts.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Parse model bytes.
 * @throws ModelError `MODEL_INVALID` when the bytes are not an ONNX model with a graph
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError('MODEL_INVALID', `not an ONNX model: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (!model.graph || !model.graph.node || model.graph.node.length === 0) throw new ModelError('MODEL_INVALID', 'not an ONNX model: no graph');
  return model;
}

/** Model metadata (`metadata_props`) as a plain record. */
export function metadataOf(model: ModelProto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) out[p.key] = p.value ?? '';
  return out;
}

/** A tensor as read back from a decoded model. */
export type TensorLike = onnxPkg.onnx.ITensorProto;

function toNumber(x: number | { toNumber(): number }): number {
  return typeof x === 'number' ? x : x.toNumber();
}

/** Dims of an initialiser as numbers. */
export function dimsOf(t: TensorLike): number[] {
  return (t.dims ?? []).map((d) => toNumber(d as number | { toNumber(): number }));
}

/** Find an initialiser by name. @throws ModelError `MODEL_INVALID` when missing */
export function initializer(model: ModelProto, name: string): TensorLike {
  const t = model.graph?.initializer?.find((x) => x.name === name);
  if (!t) throw new ModelError('MODEL_INVALID', `model has no initializer '${name}'`);
  return t;
}

/** Copy an initialiser's raw bytes out as the given typed array. @throws ModelError when sizes disagree */
export function rawAs<T extends Float32Array | Uint16Array>(t: TensorLike, Ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const raw = t.rawData;
  const count = dimsOf(t).reduce((a, b) => a * b, 1);
  if (!raw || raw.byteLength !== count * Ctor.BYTES_PER_ELEMENT) {
    throw new ModelError('MODEL_INVALID', `initializer '${t.name}' has ${raw?.byteLength ?? 0} bytes, expected ${count * Ctor.BYTES_PER_ELEMENT}`);
  }
  return new Ctor(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
}
