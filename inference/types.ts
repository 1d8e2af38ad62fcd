/**
 * The one door into security scanning. The daemon and CLI see only these types:
 * a {@link Classifier} turns the text a model would read into a {@link Verdict}.
 */

/** What kind of attack a text carries. */
export type ThreatType = 'injection' | 'jailbreak' | 'exfiltration' | 'malformed';

/** Labels in training and evaluation data. */
export type Label = 'benign' | ThreatType;

/** One piece of evidence behind a verdict. */
export interface Reason {
  /** Where it came from: a rule, the model, or the normaliser noticing obfuscation. */
  kind: 'rule' | 'model' | 'obfuscation' | 'limit';
  /** Stable id, e.g. a rule id (`injection.ignore-previous`) or `model:<version>`. */
  id: string;
  category?: ThreatType;
  /** 0..1 */
  severity: number;
  detail?: string;
}

export interface Verdict {
  /** True when the fused score is below the threshold. */
  safe: boolean;
  /** The most likely threat type when unsafe (null when safe). */
  threat: ThreatType | null;
  /** Fused attack score in 0..1 (probability-like; compared with the threshold). */
  score: number;
  /** Confidence in the verdict itself: `score` when unsafe, `1 - score` when safe. */
  confidence: number;
  /** True only in blocking mode when the score reaches the block threshold. */
  blocked: boolean;
  reasons: Reason[];
  /** Model score alone, when a model ran. */
  modelScore?: number;
  /**
   * True when the input was read as JSON (the scan read its string values), which proves it is valid
   * JSON; absent when it was scanned as plain text or the classifier does not say.
   */
  json?: boolean;
  /** Wall time of the scan in milliseconds. */
  latencyMs: number;
}

export interface ClassifyOptions {
  signal?: AbortSignal;
  /**
   * `JSON.parse(text)`, when the caller has already parsed the text (the daemon has every body
   * parsed): used instead of parsing it again. It must be exactly that value; it is ignored when
   * `text` is not a JSON object or array or breaks a structural limit, as a parse would be.
   */
  parsed?: unknown;
}

export interface Classifier {
  /** @throws AbortError when `signal` aborts first */
  classify(text: string, options?: ClassifyOptions): Promise<Verdict>;
  /**
   * The same verdict as {@link Classifier.classify}, computed now, when this classifier can answer
   * without waiting (rules and an in-process model); undefined when it cannot (a model on a worker
   * pool), and the caller awaits `classify` instead. Optional: callers must handle its absence.
   */
  classifyNow?(text: string, options?: ClassifyOptions): Verdict | undefined;
  /** Releases workers and models; pending scans finish first. */
  close(): Promise<void>;
}

/** Scores from a learned model, before fusion with rules. */
export interface ModelScore {
  /** Probability that the text is an attack of any kind. */
  unsafe: number;
  perLabel?: Partial<Record<Label, number>>;
}

/** A learned model (ONNX on a worker pool, or in-process), used by the fused classifier. */
export interface ModelScorer {
  readonly version: string;
  score(text: string, options?: ClassifyOptions): Promise<ModelScore>;
  close(): Promise<void>;
}

/** Settings shared by every classifier. */
export interface ClassifierOptions {
  /** Score at or above which a text is unsafe (and blocked in blocking mode). @default calibrated, see MODEL_CARD.md */
  threshold?: number;
  /** Refuse (blocked=true) unsafe texts; otherwise the verdict only rides along. @default false */
  blocking?: boolean;
}
