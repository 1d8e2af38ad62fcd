/**
 * The factory the daemon and CLI call. It loads the shipped (or a given)
 * model and fuses it with the rules; when the model is missing or broken it
 * logs a warning and returns the rules-only classifier, so scanning never
 * silently stops.
 */
import { FUSED_THRESHOLD, FusedClassifier, type FusionParams } from './fused-classifier.js';
import { HEURISTIC_THRESHOLD } from './heuristic-classifier.js';
import type { Classifier, ClassifierOptions, ModelScorer } from './types.js';

/** A classifier that reports its threshold and model (what the factory returns). */
export interface ScanningClassifier extends Classifier {
  readonly threshold: number;
  /** Model version, or null when scanning with rules only. */
  readonly modelVersion: string | null;
}

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
  /** Run only the model on a worker-thread pool (onnxruntime; rules stay on the calling thread). @default false */
  pool?: boolean | { threads?: number; maxQueue?: number };
  /**
   * Run whole scans (rules + in-process model) on a worker-thread pool, batched.
   * Needs the compiled worker (`npm run build`). @default false
   */
  scanPool?: boolean | { threads?: number; maxQueue?: number };
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
export async function createClassifier(options: CreateClassifierOptions = {}): Promise<ScanningClassifier> {
  const which = options.model ?? 'auto';
  const blocking = options.blocking ?? false;
  if (options.scanPool) return createPooled(options);
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

/** The scan pool: the model is loaded once here to validate it (and fall back), then by every worker. */
async function createPooled(options: CreateClassifierOptions): Promise<ScanningClassifier> {
  const { PooledClassifier } = await import('./scan-pool/pooled-classifier.js');
  const which = options.model ?? 'auto';
  const sizes = options.scanPool === true ? {} : options.scanPool || {};
  let modelPath: string | null = null;
  let modelVersion: string | null = null;
  if (which !== 'none') {
    const { defaultModelPath } = await import('./model/load-scorer.js');
    const path = which === 'auto' ? defaultModelPath() : which;
    try {
      const probe = await (options.loadModel ?? defaultLoader)(path, false);
      modelVersion = probe.version;
      await probe.close();
      modelPath = path;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      options.logger?.warn({ code: e.code ?? 'MODEL_INVALID', model: which, error: e.message ?? String(err) }, 'security model could not be loaded; scanning with rules only');
    }
  }
  return new PooledClassifier({
    modelPath,
    modelVersion,
    threshold: options.threshold ?? (modelPath ? FUSED_THRESHOLD : HEURISTIC_THRESHOLD),
    blocking: options.blocking ?? false,
    fusion: options.fusion,
    threads: sizes.threads,
    maxQueue: sizes.maxQueue,
  });
}
