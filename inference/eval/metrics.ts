/**
 * Detection metrics: confusion counts at a threshold, ROC AUC (rank-based,
 * ties averaged), recall at a fixed false-positive rate, percentiles.
 * Positives are attacks (any label but `benign`).
 */

export interface ScoredRow {
  score: number;
  /** True for an attack. */
  positive: boolean;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts at `threshold` (score ≥ threshold is flagged). */
export function confusion(rows: readonly ScoredRow[], threshold: number): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const r of rows) {
    const flagged = r.score >= threshold;
    if (r.positive && flagged) c.tp++;
    else if (r.positive) c.fn++;
    else if (flagged) c.fp++;
    else c.tn++;
  }
  return c;
}

/** tp / (tp + fn); 0 when there are no positives. */
export function recall(c: Confusion): number {
  return c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
}

/** fp / (fp + tn); 0 when there are no negatives. */
export function fpr(c: Confusion): number {
  return c.fp + c.tn === 0 ? 0 : c.fp / (c.fp + c.tn);
}

/** tp / (tp + fp); 1 when nothing was flagged (no false alarms). */
export function precision(c: Confusion): number {
  return c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
}

export function f1(c: Confusion): number {
  const p = precision(c);
  const r = recall(c);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * ROC AUC by the Mann–Whitney statistic: the probability that a random
 * attack scores above a random benign text, ties counting one half.
 * NaN when either class is empty.
 */
export function rocAuc(rows: readonly ScoredRow[]): number {
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let pos = 0;
  let neg = 0;
  let rankSumPos = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k].positive) {
        pos++;
        rankSumPos += avgRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * The lowest threshold whose benign false-positive rate is at most `maxFpr`
 * (a score must be strictly above every benign score it lets through).
 */
export function thresholdAtFpr(rows: readonly ScoredRow[], maxFpr: number): number {
  const benign = rows.filter((r) => !r.positive).map((r) => r.score).sort((a, b) => b - a);
  if (benign.length === 0) return 0;
  const allowed = Math.floor(maxFpr * benign.length);
  // Flagging needs score ≥ t; pick t just above the (allowed)-th highest benign score.
  const bound = benign[allowed] ?? -Infinity;
  return bound === -Infinity ? 0 : nextUp(bound);
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON, Math.abs(x) * Number.EPSILON);
}

/** Recall when the threshold is set so that benign FPR ≤ `maxFpr`. */
export function recallAtFpr(rows: readonly ScoredRow[], maxFpr: number): number {
  return recall(confusion(rows, thresholdAtFpr(rows, maxFpr)));
}

/** Nearest-rank percentile (p in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
