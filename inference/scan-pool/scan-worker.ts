/**
 * Scan-pool worker: runs the whole fused scan (extraction, normalisation,
 * rules and the in-process model) for a batch of texts, so every core does
 * complete scans and the main thread only posts strings.
 */
import { threadId, workerData } from 'node:worker_threads';
import { FusedClassifier, type FusionParams } from '../fused-classifier.js';
import { loadModelScorer } from '../model/load-scorer.js';
import type { Verdict } from '../types.js';
import { ModelError } from '../model/errors.js';
import { NativeGate } from '../pool/native-gate.js';

/** What the pool passes to each worker. */
export interface ScanWorkerData {
  /** Model file, or null for rules only. */
  modelPath: string | null;
  threshold: number;
  blocking: boolean;
  fusion?: FusionParams;
  /** The pool's {@link NativeGate} buffer. */
  gate: SharedArrayBuffer;
}

export interface ScanTask {
  texts: string[];
}

const data = workerData as ScanWorkerData;
const gate = new NativeGate(data.gate);
// Loading may create an onnxruntime session (Hydra models): inside the gate, like every scan.
const model = data.modelPath && gate.enter() ? await loadModelScorer(data.modelPath).finally(() => gate.leave()) : undefined;
const classifier = new FusedClassifier({ model, threshold: data.threshold, blocking: data.blocking, fusion: data.fusion });

/** Scan a batch of texts in order. */
export default async function scan(task: ScanTask): Promise<Verdict[]> {
  if (!gate.enter()) throw new ModelError('POOL_CLOSED', 'scan pool is closed');
  try {
    const out: Verdict[] = [];
    for (const text of task.texts) out.push(await classifier.classify(text));
    return out;
  } finally {
    gate.leave();
  }
}

gate.markLoaded(threadId);
