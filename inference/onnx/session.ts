/**
 * Running our two graph kinds with onnxruntime-node: feeds in, a
 * {@link ModelScore} out. Shared by the pool worker and in-process ORT use.
 */
import * as ort from 'onnxruntime-node';
import type { ModelScore } from '../types.js';
import { combineWindows, type LinearModel } from '../model/linear-model.js';
import { prepareVectors } from '../model/prepare.js';
import type { SparseVector } from '../model/features.js';
import { hydraTokenize } from '../hydra/tokenize.js';
import { LINEAR_IO } from './linear-graph.js';

/** One thread per session: parallelism comes from the worker pool. */
export function sessionOptions(): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
}

/** Most windows sent to onnxruntime in one run (bounds the padded batch for very long texts). */
export const MAX_WINDOWS_PER_RUN = 64;

/** Score texts with a linear-model session: windows of all texts in padded batches, max over each text's windows. */
export async function runLinearSession(session: ort.InferenceSession, settings: Pick<LinearModel, 'labels' | 'features'>, texts: readonly string[]): Promise<ModelScore[]> {
  const perText = texts.map((t) => prepareVectors(t, settings.features));
  const vecs = perText.flat();
  const c = settings.labels.length;
  const probs = new Float32Array(vecs.length * c);
  for (let start = 0; start < vecs.length; start += MAX_WINDOWS_PER_RUN) {
    const chunk = vecs.slice(start, start + MAX_WINDOWS_PER_RUN);
    probs.set(await runBatch(session, chunk), start * c);
  }
  let row = 0;
  return perText.map((windows) => {
    const rows = windows.map(() => probs.subarray(row * c, ++row * c));
    return combineWindows(settings.labels, rows);
  });
}

async function runBatch(session: ort.InferenceSession, vecs: readonly SparseVector[]): Promise<Float32Array> {
  const batch = vecs.length;
  let nnz = 1;
  for (const v of vecs) if (v.indices.length > nnz) nnz = v.indices.length;
  const idx = new BigInt64Array(batch * nnz);
  const val = new Float32Array(batch * nnz);
  vecs.forEach((v, b) => {
    const off = b * nnz;
    for (let n = 0; n < v.indices.length; n++) {
      idx[off + n] = BigInt(v.indices[n]);
      val[off + n] = v.values[n];
    }
  });
  const out = await session.run({
    [LINEAR_IO.indices]: new ort.Tensor('int64', idx, [batch, nnz]),
    [LINEAR_IO.values]: new ort.Tensor('float32', val, [batch, nnz]),
  });
  return out[LINEAR_IO.probs].data as Float32Array;
}

/** Score texts with a Hydra session (`security` = `[SAFE, UNSAFE]`), one sequence per run. */
export async function runHydraSession(session: ort.InferenceSession, texts: readonly string[]): Promise<ModelScore[]> {
  const out: ModelScore[] = [];
  for (const text of texts) {
    const ids = hydraTokenize(text);
    const r = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [ids.length]) });
    const p = r.security.data as Float32Array;
    out.push({ unsafe: p[1], perLabel: { benign: p[0] } });
  }
  return out;
}
