/**
 * `--model PATH`: load our linear model or a Hydra model (ONNX, or a
 * safetensors checkpoint converted on load) as a {@link ModelScorer}.
 */
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelScorer } from '../types.js';
import type { PoolScorerOptions } from '../pool/pool-scorer.js';
import { ModelError } from './errors.js';
import { LinearModelScorer } from './linear-scorer.js';
import { readLinearOnnx } from './onnx-linear-reader.js';

export interface LoadModelOptions {
  /**
   * Run onnxruntime on a worker pool (`true` or pool settings). Without a pool the
   * linear model runs as plain JavaScript and Hydra on onnxruntime in this thread.
   * @default false
   */
  pool?: boolean | PoolScorerOptions;
}

/** Path of the model shipped with the package (`inference/models/security.onnx`). */
export function defaultModelPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Sources: <root>/inference/model; build: <root>/dist/inference/model. The model file stays in <root>/inference/models.
  const root = /[\\/]dist[\\/]inference[\\/]model$/.test(here) ? join(here, '..', '..', '..') : join(here, '..', '..');
  return join(root, 'inference', 'models', 'security.onnx');
}

/**
 * The file's bytes in a buffer one byte longer (room to align the weights in place; see
 * `readLinearOnnx`), read straight into it: one allocation, nothing left for the GC.
 */
async function readPadded(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const buf = new Uint8Array(size + 1);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await file.read(buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await file.close();
  }
}

/**
 * Load a model file and return a scorer for it.
 * @throws ModelError `MODEL_NOT_FOUND` when the file cannot be read, `MODEL_INVALID`
 * when it is not a supported model (callers fall back to rules)
 */
export async function loadModelScorer(path: string = defaultModelPath(), options: LoadModelOptions = {}): Promise<ModelScorer> {
  let bytes: Uint8Array;
  try {
    bytes = await readPadded(path);
  } catch (err) {
    throw new ModelError('MODEL_NOT_FOUND', `cannot read model file ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  // Our linear model in process: read lean (float16 weights viewing the file bytes), no ONNX schema.
  if (!options.pool) {
    const linear = readLinearOnnx(bytes, { shiftInPlace: true });
    if (linear) return new LinearModelScorer(linear);
  }
  const [{ detectModel }, { linearModelFromOnnx }] = await Promise.all([import('../onnx/detect.js'), import('../onnx/linear-graph.js')]);
  const model = detectModel(bytes);
  // onnxruntime (~30 MB of RSS) loads only when a pool or a Hydra graph needs it; the shipped linear model runs in plain JS.
  if (options.pool) {
    const [{ OrtModelScorer }, { PoolModelScorer }] = await Promise.all([import('../onnx/ort-scorer.js'), import('../pool/pool-scorer.js')]);
    // Validate here so a bad file fails fast with MODEL_INVALID rather than in every worker.
    const check = await OrtModelScorer.create(model);
    await check.close();
    return new PoolModelScorer(model, options.pool === true ? {} : options.pool);
  }
  if (model.kind === 'linear') return new LinearModelScorer(linearModelFromOnnx(model.onnx));
  const { OrtModelScorer } = await import('../onnx/ort-scorer.js');
  return OrtModelScorer.create(model);
}
