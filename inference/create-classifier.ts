/**
 * The factory the daemon and CLI call. It loads the shipped (or a given)
 * model and fuses it with the rules; when the model is missing or broken it
 * logs a warning and returns the rules-only classifier, so scanning never
 * silently stops.
 */
import { FUSED_THRESHOLD, FusedClassifier, type FusionParams } from './fused-classifier.js';
import { HEURISTIC_THRESHOLD } from './heuristic-classifier.js';
import type { ClassifierOptions, ModelScorer } from './types.js';

/** The subset of a pino logger the factory uses. */
export interface WarnLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface CreateClassifierOptions extends ClassifierOptions {
  /**
   * `auto`: the model shipped in `inference/models/`; `none`: rules only;
   * anything else: a model file path (our ONNX model, a Hydra ONNX model or a
   * Hydra safetensors checkpoint). @default 'auto'
   */
  model?: 'auto' | 'none' | string;
  /** Run the model on a worker-thread pool (`true` = default pool settings). @default false */
  pool?: boolean | { threads?: number; maxQueue?: number };
  /** Receives the fallback warning. */
  logger?: WarnLogger;
  fusion?: FusionParams;
  /** Replaces the model loader (tests). */
  loadModel?: (path: string | undefined, pool: CreateClassifierOptions['pool']) => Promise<ModelScorer>;
}

async function defaultLoader(path: string | undefined, pool: CreateClassifierOptions['pool']): Promise<ModelScorer> {
  const { loadModelScorer } = await import('./model/load-scorer.js');
  return loadModelScorer(path, { pool: pool ?? false });
}

/**
 * Build the classifier. Never rejects because of the model: a model that
 * cannot load degrades to rules with a warning naming the reason.
 */
export async function createClassifier(options: CreateClassifierOptions = {}): Promise<FusedClassifier> {
  const which = options.model ?? 'auto';
  const blocking = options.blocking ?? false;
  if (which === 'none') return new FusedClassifier({ threshold: options.threshold ?? HEURISTIC_THRESHOLD, blocking });
  const load = options.loadModel ?? defaultLoader;
  try {
    const model = await load(which === 'auto' ? undefined : which, options.pool);
    return new FusedClassifier({ model, threshold: options.threshold ?? FUSED_THRESHOLD, blocking, fusion: options.fusion });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    options.logger?.warn(
      { code: e.code ?? 'MODEL_INVALID', model: which, error: e.message ?? String(err) },
      'security model could not be loaded; scanning with rules only',
    );
    return new FusedClassifier({ threshold: options.threshold ?? HEURISTIC_THRESHOLD, blocking });
  }
}
