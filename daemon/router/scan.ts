/** Scanning message bodies with the injected classifier and the live security policy. */
import type { Classifier, Verdict } from '../../inference/types.js';
import type { VerdictSummary } from '../agent-api/messages.js';

export interface SecurityPolicy {
  /** Scan at all. */
  enabled: boolean;
  /** Refuse messages scoring at or above the threshold. */
  blocking: boolean;
  /** 0..1 */
  threshold: number;
}

/** The text a model would read: a string body as is, anything else as compact JSON. */
export function scanText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body) ?? 'null';
}

/** Reduce a classifier verdict to what agents and peers see, applying the policy's threshold and mode. */
export function summarize(v: Verdict, policy: SecurityPolicy): VerdictSummary {
  const unsafe = v.score >= policy.threshold;
  return {
    safe: !unsafe,
    blocked: policy.blocking && unsafe,
    score: Math.round(v.score * 1e4) / 1e4,
    threat: unsafe ? (v.threat ?? 'injection') : null,
    // Only an unsafe verdict names what fired; a safe one has nothing to report.
    threats: unsafe ? v.reasons.filter((r) => r.severity > 0).map((r) => r.id) : [],
  };
}

/**
 * Scan a text; resolves to null when scanning is disabled.
 * @param parsed `JSON.parse(text)` when the caller has it (the classifier then does not parse again)
 */
export async function scanBody(classifier: Classifier, policy: SecurityPolicy, text: string, parsed?: unknown): Promise<{ summary: VerdictSummary; verdict: Verdict } | null> {
  if (!policy.enabled) return null;
  const verdict = await classifier.classify(text, parsed === undefined ? undefined : { parsed });
  return { summary: summarize(verdict, policy), verdict };
}

/**
 * {@link scanBody} without a promise: its result when the classifier can answer now (see
 * `Classifier.classifyNow`), null when scanning is disabled, undefined when the caller must await
 * {@link scanBody} instead.
 */
export function scanBodyNow(classifier: Classifier, policy: SecurityPolicy, text: string, parsed?: unknown): { summary: VerdictSummary; verdict: Verdict } | null | undefined {
  if (!policy.enabled) return null;
  const verdict = classifier.classifyNow?.(text, parsed === undefined ? undefined : { parsed });
  return verdict === undefined ? undefined : { summary: summarize(verdict, policy), verdict };
}

/** The model version a classifier reports, if it reports one (rules-only classifiers and stand-ins do not). */
export function modelVersionOf(classifier: Classifier | undefined): string | null {
  const v = (classifier as { modelVersion?: unknown } | undefined)?.modelVersion;
  return typeof v === 'string' ? v : null;
}

/** A classifier that finds everything safe: the stand-in when no real classifier is configured. */
export function createAlwaysSafeClassifier(): Classifier {
  return {
    async classify() {
      return { safe: true, threat: null, score: 0, confidence: 1, blocked: false, reasons: [], latencyMs: 0 };
    },
    async close() {},
  };
}
