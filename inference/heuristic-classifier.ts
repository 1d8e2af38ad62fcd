/**
 * Layer 1 on its own: extraction, malformed-payload checks, normalisation,
 * rules and obfuscation evidence, fused by noisy-OR into one score. This is
 * the classifier the daemon falls back to when no model can load, and the
 * rule half of the fused classifier.
 */
import { extractText, windows, WINDOW_CHARS } from './extract.js';
import { abortError } from './model/errors.js';
import { normalize, type NormalizeFlag } from './normalize.js';
import { matchRules, RULES, type Rule } from './rules/index.js';
import type { Classifier, ClassifierOptions, ClassifyOptions, Reason, ThreatType, Verdict } from './types.js';

/**
 * How much each obfuscation counts as evidence on its own. Tag characters and
 * selector smuggling never occur in ordinary text; folded leetspeak or a
 * base64 blob often do, so they count little unless rules fire too.
 */
export const OBFUSCATION_SEVERITY: Readonly<Record<NormalizeFlag, number>> = Object.freeze({
  'tag-chars': 0.7,
  'variation-selectors': 0.7,
  bidi: 0.35,
  'zero-width': 0.35,
  homoglyphs: 0.4,
  'compat-letters': 0.15,
  diacritics: 0.15,
  'spaced-letters': 0.25,
  leet: 0.2,
  base64: 0.15,
  hex: 0.15,
  'url-encoding': 0.1,
  'ascii-codes': 0.35,
  rot13: 0.4,
});

/** Severity added to a rule that fired only inside a decoded (hidden) payload. */
export const HIDDEN_PAYLOAD_BONUS = 0.05;

/** Result of the rule layer before any model. */
export interface HeuristicScan {
  /** Noisy-OR of every piece of evidence, 0..1. */
  score: number;
  threat: ThreatType | null;
  reasons: Reason[];
  /** The extracted text (what a model should score). */
  text: string;
  /** True when the input was read as JSON (see {@link Verdict.json}). */
  json: boolean;
}

function noisyOr(severities: Iterable<number>): number {
  let keep = 1;
  for (const s of severities) keep *= 1 - Math.min(1, Math.max(0, s));
  return 1 - keep;
}

/** The most likely threat type: the category with the highest noisy-OR of its evidence. */
export function topThreat(reasons: readonly Reason[]): ThreatType | null {
  const per = new Map<ThreatType, number[]>();
  for (const r of reasons) {
    const c = r.category ?? (r.kind === 'obfuscation' ? 'injection' : undefined);
    if (!c) continue;
    const list = per.get(c) ?? [];
    list.push(r.severity);
    per.set(c, list);
  }
  let best: ThreatType | null = null;
  let bestScore = 0;
  for (const [c, list] of per) {
    const s = noisyOr(list);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/** Rule ids already reported by the current scan: one set reused by every scan (a scan is synchronous). */
const SEEN = new Set<string>();

/** Run the rule layer over `raw`. Synchronous and linear in the input length. */
export function scanHeuristics(raw: string, rules: readonly Rule[] = RULES, parsed?: unknown): HeuristicScan {
  const ex = extractText(raw, undefined, parsed);
  const reasons: Reason[] = ex.findings.length === 0 ? [] : ex.findings.map((f) => ({
    kind: f.rule.id === 'malformed.too-large' ? 'limit' : 'rule',
    id: f.rule.id,
    category: f.rule.category,
    severity: f.rule.severity,
    detail: f.detail,
  }));
  if (!ex.scannable) return { score: 1, threat: 'malformed', reasons, text: '', json: false };
  const n = normalize(ex.text);
  const seen = SEEN;
  seen.clear();
  scanViews(n.text, false, rules, seen, reasons);
  for (const d of n.decoded) scanViews(d, true, rules, seen, reasons);
  for (const flag of n.flags) reasons.push({ kind: 'obfuscation', id: `obfuscation.${flag}`, severity: OBFUSCATION_SEVERITY[flag] ?? 0.1 });
  let keep = 1;
  for (const r of reasons) keep *= 1 - Math.min(1, Math.max(0, r.severity));
  const score = 1 - keep;
  return { score, threat: score > 0 ? topThreat(reasons) : null, reasons, text: ex.text, json: ex.json };
}

/** Rule hits in each window of `text` (a decoded payload when `hidden`), each rule once (`seen`), added to `reasons`. */
function scanViews(text: string, hidden: boolean, rules: readonly Rule[], seen: Set<string>, reasons: Reason[]): void {
  const views = text.length <= WINDOW_CHARS ? null : windows(text);
  for (let k = 0; k < (views === null ? 1 : views.length); k++) {
    for (const hit of matchRules(views === null ? text : views[k], rules)) {
      if (seen.has(hit.rule.id)) continue;
      seen.add(hit.rule.id);
      reasons.push({
        kind: 'rule',
        id: hit.rule.id,
        category: hit.rule.category,
        severity: Math.min(1, hit.rule.severity + (hidden ? HIDDEN_PAYLOAD_BONUS : 0)),
        detail: hidden ? `in decoded payload: ${hit.match}` : hit.match,
      });
    }
  }
}

/**
 * Default decision threshold of the rules-only classifier: one rule of
 * severity ≥ 0.4 flags. Benign FPR 0.2% on `security.train-extra.jsonl`
 * (docs/SECURITY.md). @default 0.4
 */
export const HEURISTIC_THRESHOLD = 0.4;

function bySeverity(a: Reason, b: Reason): number {
  return b.severity - a.severity;
}

/** Build a {@link Verdict} from a score; `blocked` only in blocking mode. */
export function makeVerdict(
  score: number,
  threat: ThreatType | null,
  reasons: Reason[],
  started: number,
  options: Required<ClassifierOptions>,
  modelScore?: number,
  json = false,
): Verdict {
  const unsafe = score >= options.threshold;
  const verdict: Verdict = {
    safe: !unsafe,
    threat: unsafe ? (threat ?? 'injection') : null,
    score,
    confidence: unsafe ? score : 1 - score,
    blocked: options.blocking && unsafe,
    reasons: reasons.length < 2 ? reasons.slice() : [...reasons].sort(bySeverity),
    latencyMs: performance.now() - started,
  };
  if (modelScore !== undefined) verdict.modelScore = modelScore;
  if (json) verdict.json = true;
  return verdict;
}

/** Rules, normalisation and structural checks only; no model. */
export class HeuristicClassifier implements Classifier {
  private readonly options: Required<ClassifierOptions>;

  constructor(options: ClassifierOptions = {}) {
    this.options = { threshold: options.threshold ?? HEURISTIC_THRESHOLD, blocking: options.blocking ?? false };
  }

  /** @throws ModelError `ABORTED` when `signal` has already fired */
  async classify(text: string, options: ClassifyOptions = {}): Promise<Verdict> {
    return this.classifyNow(text, options);
  }

  /** {@link classify}'s verdict, computed now (rules never wait). */
  classifyNow(text: string, options: ClassifyOptions = {}): Verdict {
    if (options.signal?.aborted) throw abortError(options.signal);
    const started = performance.now();
    const scan = scanHeuristics(text, undefined, options.parsed);
    return makeVerdict(scan.score, scan.threat, scan.reasons, started, this.options, undefined, scan.json);
  }

  async close(): Promise<void> {}
}
