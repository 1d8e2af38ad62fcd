// A small linear model with random weights, for loader and pool tests.
import { DEFAULT_FEATURE_CONFIG } from '../../../inference/model/features.js';
import { MODEL_LABELS, type LinearModel } from '../../../inference/model/linear-model.js';
import { quantizeWeights } from '../../../inference/onnx/linear-graph.js';

export function randomModel(bucketsLog2 = 10): LinearModel {
  let s = 42;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 6;
  const features = { ...DEFAULT_FEATURE_CONFIG, bucketsLog2 };
  return quantizeWeights({ version: 'rand-1', labels: MODEL_LABELS, features, weights: Float32Array.from({ length: (1 << bucketsLog2) * 4 }, rnd), bias: new Float32Array(4), threshold: 0.5 });
}
