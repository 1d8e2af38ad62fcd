/**
 * Running our two graph kinds with onnxruntime-node: feeds in, a
 * {@link ModelScore} out. Shared by the pool worker and in-process ORT use.
 */
import * as ort from 'onnxruntime-node';
import type { ModelScore } from '../types.js';
import { combineWindows, type LinearModel } from '../model/linear-model.js';
import { prepareVectors } from '../model/prepare.js';
import { hydraTokenize } from '../hydra/tokenize.js';
import { LINEAR_IO } from './linear-graph.js';

/** One thread per session: parallelism comes from the worker pool. */
export function sessionOptions(): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
}

/** Score text with a linear-model session: every window in one padded batch, max over windows. */
export async function runLinearSession(session: ort.InferenceSession, settings: Pick<LinearModel, 'labels' | 'features'>, text: string): Promise<ModelScore> {
  const vecs = prepareVectors(text, settings.features);
  const batch = vecs.length;
  const nnz = Math.max(1, ...vecs.map((v) => v.indices.length));
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
  const probs = out[LINEAR_IO.probs].data as Float32Array;
  const c = settings.labels.length;
  const rows = Array.from({ length: batch }, (_, b) => probs.subarray(b * c, (b + 1) * c));
  return combineWindows(settings.labels, rows);
}

/** Score text with a Hydra session (`security` = `[SAFE, UNSAFE]`). */
export async function runHydraSession(session: ort.InferenceSession, text: string): Promise<ModelScore> {
  const ids = hydraTokenize(text);
  const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [ids.length]) });
  const p = out.security.data as Float32Array;
  return { unsafe: p[1], perLabel: { benign: p[0] } };
}
