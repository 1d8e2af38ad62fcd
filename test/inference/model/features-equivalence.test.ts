// The optimised featurize must give exactly the vectors of the straightforward reference implementation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_FEATURE_CONFIG, featurize, type FeatureConfig, type SparseVector } from '../../../inference/model/features.js';
import { prepareText } from '../../../inference/model/prepare.js';
import { referenceFeaturize } from './reference-features.js';

// Letters, digits, spaces (ASCII and not), punctuation, astral letters and emoji, lone surrogates, case-changing letters.
const PIECES = fc.constantFrom('a', 'B', '_', '7', ' ', '\n', '\t', '!', '--', 'é', 'ß', 'İ', 'Σ', '\u00a0', '\u3000', '\u2028', '😀', '𝐀', '𠀀', '\ud83d', '\ude00', '٣', 'ا');
const DEV = '/work/shared/data/security.dev.jsonl';

function same(a: SparseVector, b: SparseVector): void {
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.values)).toEqual(Array.from(b.values));
}

describe('featurize equals the reference implementation', () => {
  it('on arbitrary (also non-ASCII) strings and small configs', () => {
    const small: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, bucketsLog2: 6, maxWordChars: 5 };
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: PIECES, maxLength: 120 })), fc.boolean(), (text, tiny) => {
        const cfg = tiny ? small : DEFAULT_FEATURE_CONFIG;
        same(featurize(text, ['leet'], cfg), referenceFeaturize(text, ['leet'], cfg));
      }),
      { numRuns: 300 },
    );
  });

  it('on long texts (table growth), cancelling buckets and punctuation runs', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)} ${'!?'.repeat(i % 7)}`).join(' ');
    same(featurize(long, [], DEFAULT_FEATURE_CONFIG), referenceFeaturize(long, [], DEFAULT_FEATURE_CONFIG));
    const tiny: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, bucketsLog2: 2 };
    same(featurize('ab cd ef gh ij kl mn op', [], tiny), referenceFeaturize('ab cd ef gh ij kl mn op', [], tiny));
  });

  it('with the word cache evicting words that still have pending counts (more distinct words than slots)', () => {
    const words = Array.from({ length: 9000 }, (_, i) => `k${(i * 7919).toString(36)}`);
    const text = [...words, ...words.slice(0, 5000), 'tail'].join(' ');
    same(featurize(text, [], DEFAULT_FEATURE_CONFIG), referenceFeaturize(text, [], DEFAULT_FEATURE_CONFIG));
    // Cached words score the same in a later text (no counts left over from the previous one).
    same(featurize('k0 k0 tail', [], DEFAULT_FEATURE_CONFIG), referenceFeaturize('k0 k0 tail', [], DEFAULT_FEATURE_CONFIG));
  });

  it.skipIf(!existsSync(DEV))('on 400 rows of security.dev.jsonl (normalised, as the model sees them)', () => {
    const rows = readFileSync(DEV, 'utf8').split('\n').filter(Boolean).slice(0, 400);
    for (const row of rows) {
      const p = prepareText((JSON.parse(row) as { text: string }).text);
      for (const t of [p.text, ...p.decoded]) same(featurize(t, p.flags, DEFAULT_FEATURE_CONFIG), referenceFeaturize(t, p.flags, DEFAULT_FEATURE_CONFIG));
    }
  });
});
