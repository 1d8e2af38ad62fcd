/**
 * Scan-pool worker: runs the whole fused scan (extraction, normalisation,
 * rules and the in-process model) for a batch of texts, so every core does
 * complete scans and the main thread only posts strings.
 */
import { workerData } from 'node:worker_threads';
import { FusedClassifier, type FusionParams } from '../fused-classifier.js';
import { loadModelScorer } from '../model/load-scorer.js';
import type { Verdict } from '../types.js';

/** What the pool passes to each worker. */
export interface ScanWorkerData {
  /** Model file, or null for rules only. */
  modelPath: string | null;
  threshold: number;
  blocking: boolean;
  fusion?: FusionParams;
}

export interface ScanTask {
  texts: string[];
}

const data = workerData as ScanWorkerData;
const model = data.modelPath ? await loadModelScorer(data.modelPath) : undefined;
const classifier = new FusedClassifier({ model, threshold: data.threshold, blocking: data.blocking, fusion: data.fusion });

/** Scan a batch of texts in order. */
export default async function scan(task: ScanTask): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const text of task.texts) out.push(await classifier.classify(text));
  return out;
}
