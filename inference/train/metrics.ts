/**
 * Binary detection metrics over attack scores: ROC AUC, the threshold for a
 * target false-positive rate, and recall / FPR / precision at a threshold.
 */

export interface Scored {
  /** Attack score in 0..1. */
  score: number;
  /** True for attacks, false for benign rows. */
  attack: boolean;
}

/** ROC AUC by the rank-sum formula (ties count half). */
export function rocAuc(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].attack) rankSum += avgRank;
    i = j;
  }
  for (const r of rows) {
    if (r.attack) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Smallest threshold whose benign false-positive rate (score ≥ threshold) is at most `fpr`.
 * Returns a value just above the k-th highest benign score.
 */
export function thresholdAtFpr(benignScores: readonly number[], fpr: number): number {
  const s = [...benignScores].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * s.length);
  if (allowed >= s.length) return 0;
  const above = s[allowed];
  return Math.min(1, above + 1e-9);
}

export interface AtThreshold {
  threshold: number;
  recall: number;
  fpr: number;
  precision: number;
  f1: number;
  attacks: number;
  benign: number;
}

/** Recall, FPR, precision and F1 at a threshold. */
export function atThreshold(rows: readonly Scored[], threshold: number): AtThreshold {
  let tp = 0;
  let fp = 0;
  let attacks = 0;
  let benign = 0;
  for (const r of rows) {
    const hit = r.score >= threshold;
    if (r.attack) {
      attacks++;
      if (hit) tp++;
    } else {
      benign++;
      if (hit) fp++;
    }
  }
  const recall = attacks ? tp / attacks : NaN;
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  return { threshold, recall, fpr: benign ? fp / benign : NaN, precision, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, attacks, benign };
}
