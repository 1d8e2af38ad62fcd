/**
 * onnxruntime on the calling thread, for either model kind. Used for Hydra
 * without a pool and for checking the ONNX graphs against the JS scorers.
 */
import * as ort from 'onnxruntime-node';
import type { ClassifyOptions, ModelScore, ModelScorer } from '../types.js';
import { abortError, ModelError } from '../model/errors.js';
import type { DetectedModel } from './detect.js';
import { linearSettings } from './linear-graph.js';
import { decodeModel } from './proto.js';
import { runHydraSession, runLinearSession, sessionOptions } from './session.js';

export class OrtModelScorer implements ModelScorer {
  private closed = false;

  private constructor(
    readonly version: string,
    private readonly session: ort.InferenceSession,
    private readonly run: (text: string) => Promise<ModelScore>,
  ) {}

  /** @throws ModelError `MODEL_INVALID` when onnxruntime rejects the graph */
  static async create(model: DetectedModel): Promise<OrtModelScorer> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model.onnx, sessionOptions());
    } catch (err) {
      throw new ModelError('MODEL_INVALID', `onnxruntime could not load the model: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (model.kind === 'linear') {
      const settings = linearSettings(decodeModel(model.onnx));
      return new OrtModelScorer(model.version, session, async (t) => (await runLinearSession(session, settings, [t]))[0]);
    }
    return new OrtModelScorer(model.version, session, async (t) => (await runHydraSession(session, [t]))[0]);
  }

  /** @throws ModelError `ABORTED` when `signal` has fired, `POOL_CLOSED` after close() */
  async score(text: string, options: ClassifyOptions = {}): Promise<ModelScore> {
    if (this.closed) throw new ModelError('POOL_CLOSED', 'model scorer is closed');
    if (options.signal?.aborted) throw abortError(options.signal);
    return this.run(text);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.release();
  }
}
