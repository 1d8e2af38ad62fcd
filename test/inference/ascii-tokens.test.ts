// The profile pass cuts the model's tokens of ASCII text on the way; they must be exactly the tokens the type
// scorer cuts itself (same boundaries, kinds, hashes and packed codes), so scores do not depend on who cut them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { textProfile } from '../../inference/normalize-profile.js';
import { TOKEN_FIELDS, tokenCount, tokenData } from '../../inference/ascii-tokens.js';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../../inference/model/features.js';
import { MODEL_LABELS, type LinearModel } from '../../inference/model/linear-model.js';
import { TypeScorer } from '../../inference/model/type-scorer.js';

const CONFIG: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, bucketsLog2: 12, typeFeatures: true };

function model(seed = 3): LinearModel {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 4;
  return { version: 't', labels: MODEL_LABELS, features: CONFIG, weights: Float32Array.from({ length: (1 << CONFIG.bucketsLog2) * 4 }, rnd), bias: Float32Array.from([0.3, -0.1, 0.2, -0.4]), threshold: 0.5 };
}

function stream(text: string): number[] {
  const n = tokenCount(text);
  expect(n).toBeGreaterThanOrEqual(0);
  return Array.from(tokenData().subarray(0, n * TOKEN_FIELDS));
}

// Letters of both cases, digits, underscore, punctuation runs longer than 8, every kind of ASCII space, controls and DEL.
const UNIT = fc.constantFrom('a', 'Z', 'q', '7', '_', ' ', '  ', '\t', '\n', '\r', '\x0b', '\x0c', '!', '.', '-', '"', '\\', '%', '@', '$', '|', '\x00', '\x01', '\x7f', 'ab', 'Hello', 'x1_y', '!!!!!!!!!!!', 'quarterly');

describe('model tokens cut by the profile pass', () => {
  it('equal the type scorer\'s own tokens on any ASCII text', () => {
    const scorer = new TypeScorer(model());
    fc.assert(
      fc.property(fc.string({ unit: UNIT, maxLength: 60 }), (text) => {
        textProfile(text);
        const byProfile = stream(text);
        textProfile(`${text}#`); // another text: the scorer finds no stream for this one and cuts its own
        expect(tokenCount(text)).toBe(-1);
        scorer.probabilities(text, []);
        expect(stream(text)).toEqual(byProfile);
      }),
      { numRuns: 1500 },
    );
  });

  it('give the same bits whether the profile pass or the scorer cut them', () => {
    const m = model(11);
    fc.assert(
      fc.property(fc.string({ unit: UNIT, maxLength: 80 }), (text) => {
        textProfile(text);
        const withStream = Array.from(new TypeScorer(m).probabilities(text, []));
        textProfile(`${text}#`);
        const without = Array.from(new TypeScorer(m).probabilities(text, []));
        expect(withStream).toEqual(without);
      }),
      { numRuns: 300 },
    );
  });

  it('are not kept for non-ASCII text (the scorer reads it by the general path)', () => {
    textProfile('plain ascii');
    expect(tokenCount('plain ascii')).toBeGreaterThan(0);
    textProfile('café au lait');
    expect(tokenCount('café au lait')).toBe(-1);
    // The ASCII text's stream is still its own.
    expect(tokenCount('plain ascii')).toBeGreaterThan(0);
  });
});
