/**
 * In-process scorer for the linear model: feature extraction plus a sparse
 * dot product in JavaScript, no onnxruntime. Tens of microseconds per message;
 * the same numbers as the ONNX graph (weights are read from the ONNX file).
 */
import type { ClassifyOptions, Label, ModelScore, ModelScorer } from '../types.js';
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
  /** The per-type scorer (type-feature models), scored into scratch arrays; null for other models. */
  private readonly types: TypeScorer | null = null;
  private current: Float64Array;
  private best: Float64Array;
  /** State of the current {@link scoreTypes} call: the best window's attack probability, and whether none was scored yet. */
  private bestUnsafe = -1;
  private first = true;
  /** Index of the benign class. */
  private readonly benign: number;

  private readonly model: LinearModel | HalfLinearModel;

  /** @param model float32 weights (training) or float16 weights as shipped (half the memory, same scores) */
  constructor(model: LinearModel | HalfLinearModel) {
    this.model = model;
    this.version = model.version;
    this.threshold = model.threshold;
    const config = model.features;
    this.current = new Float64Array(model.labels.length);
    this.best = new Float64Array(model.labels.length);
    this.benign = model.labels.indexOf('benign');
    // The vector stays in the featuriser's scratch arrays: no allocation between features and logits.
    if (config.typeFeatures) {
      // Per-type features: each token's contribution is cached (type-scorer.ts).
      const types = new TypeScorer(model);
      this.types = types;
      // The type scorer holds the weights it needs (float16 ones decoded to float32): drop the float16 array,
      // a view that would keep the whole model file (1 MB) alive beside them.
      if (isHalf(model)) this.model = { ...model, halfWeights: new Uint16Array(0) };
      // Bound, not an arrow: an arrow here would share this constructor's closure context with the arrows
      // below and keep `model` (and its float16 weights) alive.
      this.probabilities = types.probabilities.bind(types);
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
    if (this.types !== null) return this.scoreTypes(p.text, p.decoded, p.flags);
    const perWindow: Float64Array[] = [];
    for (const w of windows(p.text, config)) perWindow.push(this.probabilities(w, p.flags));
    for (const d of p.decoded) {
      for (const w of windows(d, config)) perWindow.push(this.probabilities(w, p.flags));
    }
    return combineWindows(this.model.labels, perWindow);
  }

  /**
   * {@link scoreSync} with the per-type scorer: each window scored into a scratch array, the best one kept
   * (the window {@link combineWindows} would pick: the first with the highest attack probability).
   */
  private scoreTypes(text: string, decoded: readonly string[], flags: readonly string[]): ModelScore {
    const config = this.model.features;
    const labels = this.model.labels;
    this.bestUnsafe = -1;
    this.first = true;
    if (text.length <= config.windowChars) this.consider(text, flags);
    else for (const w of windows(text, config)) this.consider(w, flags);
    for (const d of decoded) {
      if (d.length <= config.windowChars) this.consider(d, flags);
      else for (const w of windows(d, config)) this.consider(w, flags);
    }
    const perLabel: Partial<Record<Label, number>> = {};
    for (let k = 0; k < labels.length; k++) perLabel[labels[k]] = this.best[k];
    return { unsafe: Math.min(1, Math.max(0, this.bestUnsafe)), perLabel };
  }

  /** One window of {@link scoreTypes}: kept in {@link best} when it is the first or more unsafe than the best so far. */
  private consider(w: string, flags: readonly string[]): void {
    const cur = (this.types as TypeScorer).probabilitiesInto(w, flags, this.current);
    const unsafe = 1 - cur[this.benign];
    if (unsafe > this.bestUnsafe || this.first) {
      if (unsafe > this.bestUnsafe) this.bestUnsafe = unsafe;
      this.current = this.best;
      this.best = cur;
    }
    this.first = false;
  }

  /** @throws ModelError `ABORTED` when `signal` has already fired */
  async score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    if (options.signal?.aborted) throw abortError(options.signal);
    return this.scoreSync(text);
  }

  async close(): Promise<void> {}
}
