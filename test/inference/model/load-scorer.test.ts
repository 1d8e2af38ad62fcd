import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelScorer } from '../../../inference/model/load-scorer.js';
import { LinearModelScorer } from '../../../inference/model/linear-scorer.js';
import { linearModelToOnnx } from '../../../inference/onnx/linear-graph.js';
import { MODEL_LABELS } from '../../../inference/model/linear-model.js';
import { randomModel } from './random-model.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message?: string };
  }
  throw new Error('expected a rejection');
}

describe('loadModelScorer', () => {
  const good = join(dir, 'good.onnx');
  const bytes = linearModelToOnnx(randomModel());
  writeFileSync(good, bytes);

  it('loads our linear model as the in-process JS scorer', async () => {
    const scorer = await loadModelScorer(good);
    expect(scorer).toBeInstanceOf(LinearModelScorer);
    expect(scorer.version).toBe('rand-1');
    const s = await scorer.score('hello there');
    expect(s.unsafe).toBeGreaterThanOrEqual(0);
    expect(s.unsafe).toBeLessThanOrEqual(1);
    expect(Object.keys(s.perLabel ?? {})).toEqual([...MODEL_LABELS]);
    await scorer.close();
  });

  it('gives MODEL_NOT_FOUND for a missing file', async () => {
    expect((await errorOf(loadModelScorer(join(dir, 'nope.onnx')))).code).toBe('MODEL_NOT_FOUND');
  });

  it('gives MODEL_INVALID with a clear message for broken files', async () => {
    const cases: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      text: new TextEncoder().encode('this is not a model'),
      truncated: bytes.subarray(0, Math.floor(bytes.length / 2)),
      random: Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24),
    };
    for (const [name, data] of Object.entries(cases)) {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, data);
      const err = await errorOf(loadModelScorer(path));
      expect(err.code, name).toBe('MODEL_INVALID');
      expect(err.message, name).toMatch(/model|ONNX|safetensors/i);
    }
  });

  it('rejects a scan whose signal already fired with ABORTED', async () => {
    const scorer = await loadModelScorer(good);
    expect((await errorOf(scorer.score('x', { signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });
});
