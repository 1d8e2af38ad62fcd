/**
 * Pool worker: owns one onnxruntime session and scores texts. Feature
 * extraction (linear model) or byte tokenisation (Hydra) happens here too, so
 * the main thread only posts strings.
 */
import { workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { ModelScore } from '../types.js';
import type { ModelKind } from '../onnx/detect.js';
import { runHydraSession, runLinearSession, sessionOptions } from '../onnx/session.js';
import { decodeModel } from '../onnx/proto.js';
import { linearSettings } from '../onnx/linear-graph.js';

/** What the pool passes to each worker. */
export interface OnnxWorkerData {
  kind: ModelKind;
  /** ONNX model bytes. */
  model: Uint8Array;
}

/** A batch of scan requests (the pool scorer groups texts that arrive together). */
export interface OnnxTask {
  texts: string[];
}

const data = workerData as OnnxWorkerData;
const session = await ort.InferenceSession.create(data.model, sessionOptions());
const linear = data.kind === 'linear' ? linearSettings(decodeModel(data.model)) : null;

/** Score a batch of texts. */
export default async function score(task: OnnxTask): Promise<ModelScore[]> {
  if (linear) return runLinearSession(session, linear, task.texts);
  return runHydraSession(session, task.texts);
}
