// classProbabilities has an unrolled path for four classes; it must add in the same order as the generic loop.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classProbabilities, softmaxInPlace, type LinearModel } from '../../../inference/model/linear-model.js';
import { featurize } from '../../../inference/model/features.js';
import { randomModel } from './random-model.js';

function reference(model: LinearModel, indices: Int32Array, values: Float32Array): Float64Array {
  const c = model.labels.length;
  const z = new Float64Array(c);
  for (let k = 0; k < c; k++) z[k] = model.bias[k];
  for (let n = 0; n < indices.length; n++) for (let k = 0; k < c; k++) z[k] += model.weights[indices[n] * c + k] * values[n];
  return softmaxInPlace(z);
}

describe('classProbabilities', () => {
  const model = { ...randomModel(10), bias: Float32Array.from([0.25, -0.5, 0.125, 1]) };
  it('equals the generic loop bit for bit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const v = featurize(text, [], model.features);
        expect(Array.from(classProbabilities(model, v))).toEqual(Array.from(reference(model, v.indices, v.values)));
      }),
      { numRuns: 300 },
    );
  });
});
