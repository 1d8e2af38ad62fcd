/**
 * Pool worker: owns one onnxruntime session and scores texts. Feature
 * extraction (linear model) or byte tokenisation (Hydra) happens here too, so
 * the main thread only posts strings.
 */
import { threadId, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { ModelScore } from '../types.js';
import type { ModelKind } from '../onnx/detect.js';
import { runHydraSession, runLinearSession, sessionOptions } from '../onnx/session.js';
import { decodeModel } from '../onnx/proto.js';
import { linearSettings } from '../onnx/linear-graph.js';
import { ModelError } from '../model/errors.js';
import { NativeGate } from './native-gate.js';

/** What the pool passes to each worker. */
export interface OnnxWorkerData {
  kind: ModelKind;
  /** ONNX model bytes. */
  model: Uint8Array;
  /** The pool's {@link NativeGate} buffer: every onnxruntime call runs inside it. */
  gate: SharedArrayBuffer;
}

/** A batch of scan requests (the pool scorer groups texts that arrive together). */
export interface OnnxTask {
  texts: string[];
}

const data = workerData as OnnxWorkerData;
const gate = new NativeGate(data.gate);

/** Run one onnxruntime call inside the gate, so the pool never terminates this worker in the middle of it. */
async function gated<T>(call: () => Promise<T>): Promise<T> {
  if (!gate.enter()) throw new ModelError('POOL_CLOSED', 'inference pool is closed');
  try {
    return await call();
  } finally {
    gate.leave();
  }
}

// A worker started while the pool closes (a replacement after a crash) never creates its session.
const session = await gated(() => ort.InferenceSession.create(data.model, sessionOptions())).catch((e: unknown) => {
  if ((e as ModelError).code === 'POOL_CLOSED') return null;
  throw e;
});
const linear = data.kind === 'linear' ? linearSettings(decodeModel(data.model)) : null;

/** Score a batch of texts. */
export default async function score(task: OnnxTask): Promise<ModelScore[]> {
  const s = session;
  if (!s) throw new ModelError('POOL_CLOSED', 'inference pool is closed');
  if (linear) return gated(() => runLinearSession(s, linear, task.texts));
  return gated(() => runHydraSession(s, task.texts));
}

gate.markLoaded(threadId);
