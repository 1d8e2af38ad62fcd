/**
 * In-process scorer for the linear model: feature extraction plus a sparse
 * dot product in JavaScript, no onnxruntime. Tens of microseconds per message;
 * the same numbers as the ONNX graph (weights are read from the ONNX file).
 */
import type { ClassifyOptions, ModelScore, ModelScorer } from '../types.js';
import { abortError } from './errors.js';
import { classProbabilities, combineWindows, type LinearModel } from './linear-model.js';
import { prepareVectors } from './prepare.js';

export class LinearModelScorer implements ModelScorer {
  readonly version: string;
  /** The model-only operating point from training (see {@link LinearModel.threshold}). */
  readonly threshold: number;

  constructor(private readonly model: LinearModel) {
    this.version = model.version;
    this.threshold = model.threshold;
  }

  /** Synchronous scoring (used by benchmarks and the async method). */
  scoreSync(text: string): ModelScore {
    const vecs = prepareVectors(text, this.model.features);
    return combineWindows(this.model.labels, vecs.map((v) => classProbabilities(this.model, v)));
  }

  /** @throws ModelError `ABORTED` when `signal` has already fired */
  async score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    if (options.signal?.aborted) throw abortError(options.signal);
    return this.scoreSync(text);
  }

  async close(): Promise<void> {}
}
