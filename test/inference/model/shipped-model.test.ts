// The committed model must load and reproduce the scores training-time evaluation gave a fixed sample.
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { defaultModelPath, loadModelScorer } from '../../../inference/model/load-scorer.js';
import { LinearModelScorer } from '../../../inference/model/linear-scorer.js';
import { detectModel } from '../../../inference/onnx/detect.js';
import { OrtModelScorer } from '../../../inference/onnx/ort-scorer.js';
import type { SampleFile } from '../../../inference/train/sample.js';

const modelPath = defaultModelPath();
const sample = JSON.parse(readFileSync(new URL('../../../inference/models/security.sample.json', import.meta.url), 'utf8')) as SampleFile;

describe('shipped model (inference/models/security.onnx)', () => {
  it('is at most 4 MB and is our linear model', () => {
    expect(statSync(modelPath).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    const m = detectModel(new Uint8Array(readFileSync(modelPath)));
    expect(m.kind).toBe('linear');
    expect(m.version).toBe(sample.version);
  });

  it('the in-process scorer reproduces the committed sample scores', async () => {
    const scorer = await loadModelScorer(modelPath);
    expect(scorer).toBeInstanceOf(LinearModelScorer);
    for (const item of sample.items) {
      const s = await scorer.score(item.text);
      expect(s.unsafe, item.text.slice(0, 60)).toBeCloseTo(item.unsafe, 6);
      for (const [label, p] of Object.entries(item.perLabel)) expect(s.perLabel?.[label as 'benign']).toBeCloseTo(p, 6);
    }
  });

  it('onnxruntime running the ONNX graph gives the same scores', async () => {
    const scorer = await OrtModelScorer.create(detectModel(new Uint8Array(readFileSync(modelPath))));
    for (const item of sample.items) {
      const s = await scorer.score(item.text);
      expect(s.unsafe, item.text.slice(0, 60)).toBeCloseTo(item.unsafe, 4);
    }
    await scorer.close();
  });

  it('separates the sample: attacks above benign rows on average', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const attacks = sample.items.filter((i) => i.label !== 'benign').map((i) => i.unsafe);
    const benign = sample.items.filter((i) => i.label === 'benign').map((i) => i.unsafe);
    expect(mean(attacks)).toBeGreaterThan(mean(benign));
  });
});
