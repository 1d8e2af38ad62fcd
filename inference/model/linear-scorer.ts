/**
 * In-process scorer for the linear model: feature extraction plus a sparse
 * dot product in JavaScript, no onnxruntime. Tens of microseconds per message;
 * the same numbers as the ONNX graph (weights are read from the ONNX file).
 */
import type { ClassifyOptions, ModelScore, ModelScorer } from '../types.js';
import { abortError } from './errors.js';
import { featurizeScratch, windows } from './features.js';
import { TypeScorer } from './type-scorer.js';
import { classProbabilitiesOf, combineWindows, halfClassProbabilitiesOf, type HalfLinearModel, type LinearModel } from './linear-model.js';
import { prepareText } from './prepare.js';

function isHalf(model: LinearModel | HalfLinearModel): model is HalfLinearModel {
  return (model as HalfLinearModel).halfWeights !== undefined;
}

export class LinearModelScorer implements ModelScorer {
  readonly version: string;
  /** The model-only operating point from training (see {@link LinearModel.threshold}). */
  readonly threshold: number;
  private readonly probabilities: (text: string, flags: readonly string[]) => Float64Array;

  /** @param model float32 weights (training) or float16 weights as shipped (half the memory, same scores) */
  constructor(private readonly model: LinearModel | HalfLinearModel) {
    this.version = model.version;
    this.threshold = model.threshold;
    const config = model.features;
    // The vector stays in the featuriser's scratch arrays: no allocation between features and logits.
    if (config.typeFeatures) {
      // Per-type features: each token's contribution is cached (type-scorer.ts).
      const types = new TypeScorer(model);
      this.probabilities = (text, flags) => types.probabilities(text, flags);
      return;
    }
    this.probabilities = isHalf(model)
      ? (text, flags) => {
          const v = featurizeScratch(text, flags, config);
          return halfClassProbabilitiesOf(model, v.indices, v.values, v.length, v.scale);
        }
      : (text, flags) => {
          const v = featurizeScratch(text, flags, config);
          return classProbabilitiesOf(model, v.indices, v.values, v.length, v.scale);
        };
  }

  /**
   * Synchronous scoring (used by benchmarks and the async method): every window
   * of the normalised text and of each decoded payload, as `prepareVectors` cuts them.
   */
  scoreSync(text: string): ModelScore {
    const p = prepareText(text);
    const config = this.model.features;
    const perWindow: Float64Array[] = [];
    for (const w of windows(p.text, config)) perWindow.push(this.probabilities(w, p.flags));
    for (const d of p.decoded) {
      for (const w of windows(d, config)) perWindow.push(this.probabilities(w, p.flags));
    }
    return combineWindows(this.model.labels, perWindow);
  }

  /** @throws ModelError `ABORTED` when `signal` has already fired */
  async score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    if (options.signal?.aborted) throw abortError(options.signal);
    return this.scoreSync(text);
  }

  async close(): Promise<void> {}
}
