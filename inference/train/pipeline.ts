/**
 * Training pipeline pieces: featurise rows, fit the linear model, score rows
 * the way the shipped scorer does (windows, max), cross-source folds and summaries.
 */
import type { Label } from '../types.js';
import type { FeatureConfig, SparseVector } from '../model/features.js';
import { classProbabilities, combineWindows, MODEL_LABELS, type LinearModel } from '../model/linear-model.js';
import { prepareVectors, prepareWholeVector } from '../model/prepare.js';
import { familyOf, type Row } from './data.js';
import { trainLogReg, type Trained } from './logreg.js';
import { atThreshold, rocAuc, thresholdAtFpr, type AtThreshold, type Scored } from './metrics.js';

export interface FitOptions {
  epochs: number;
  seed: number;
  /** @default 3e-4 (chosen by cross-source recall; see MODEL_CARD.md) */
  l2?: number;
  /** @default 0.3 */
  learningRate?: number;
  /**
   * `class`: each label carries equal total weight; `class-family`: also each
   * source family equal weight within its label, so big sources do not set the style.
   * @default 'class-family'
   */
  balance?: 'class' | 'class-family';
  /**
   * Also train on each window of long benign rows (as benign), so benign
   * windows of long documents are not flagged at inference. Measured no gain cross-source. @default false
   */
  benignWindows?: boolean;
  /**
   * Train only on features that occur in at least this many source families;
   * features seen in one family are mostly its topic or template, not attack
   * wording, and keep weight 0. @default 1 (all features)
   */
  minFamilies?: number;
}

/** The settings the shipped model is trained with (`make model`); cross-source evaluations should use the same. */
export const SHIPPED_FIT: Readonly<FitOptions> = Object.freeze({ epochs: 4, seed: 1, l2: 3e-4, benignWindows: false, balance: 'class-family' });

// Feature vectors depend only on the row and the feature settings: cache them across folds.
const caches = new Map<string, { whole: WeakMap<Row, SparseVector>; windows: WeakMap<Row, SparseVector[]> }>();

function cacheFor(config: FeatureConfig): { whole: WeakMap<Row, SparseVector>; windows: WeakMap<Row, SparseVector[]> } {
  const key = JSON.stringify(config);
  let c = caches.get(key);
  if (!c) caches.set(key, (c = { whole: new WeakMap(), windows: new WeakMap() }));
  return c;
}

function whole(row: Row, config: FeatureConfig): SparseVector {
  const cache = cacheFor(config).whole;
  let v = cache.get(row);
  if (!v) cache.set(row, (v = prepareWholeVector(row.text, config)));
  return v;
}

function windowed(row: Row, config: FeatureConfig): SparseVector[] {
  const cache = cacheFor(config).windows;
  let v = cache.get(row);
  if (!v) cache.set(row, (v = prepareVectors(row.text, config)));
  return v;
}

/** Fit on `rows` with class-balanced loss weights. */
export function fitModel(allRows: readonly Row[], config: FeatureConfig, opts: FitOptions): Trained {
  const c = MODEL_LABELS.length;
  const extra: Array<{ row: Row; vec: SparseVector }> = [];
  if (opts.benignWindows ?? false) {
    for (const r of allRows) {
      if (r.label !== 'benign' || r.text.length <= config.windowChars) continue;
      for (const vec of windowed(r, config)) extra.push({ row: r, vec });
    }
  }
  const rows = [...allRows, ...extra.map((e) => e.row)];
  let vectors = [...allRows.map((r) => whole(r, config)), ...extra.map((e) => e.vec)];
  if ((opts.minFamilies ?? 1) > 1) vectors = keepSharedFeatures(rows, vectors, config, opts.minFamilies!);
  const y = rows.map((r) => MODEL_LABELS.indexOf(r.label));
  const perClass = new Map<number, number>();
  const perGroup = new Map<string, number>();
  const familyBalance = (opts.balance ?? 'class-family') === 'class-family';
  const groupOf = (r: Row, k: number): string => (familyBalance ? `${k}|${familyOf(r.source)}` : `${k}`);
  rows.forEach((r, i) => {
    perClass.set(y[i], (perClass.get(y[i]) ?? 0) + 1);
    perGroup.set(groupOf(r, y[i]), (perGroup.get(groupOf(r, y[i])) ?? 0) + 1);
  });
  const groupsInClass = new Map<number, number>();
  for (const key of perGroup.keys()) {
    const k = Number(key.split('|')[0]);
    groupsInClass.set(k, (groupsInClass.get(k) ?? 0) + 1);
  }
  // Every present class gets total weight n / classes; within a class each group gets an equal share.
  const classTotal = rows.length / perClass.size;
  const weights = rows.map((r, i) => classTotal / (groupsInClass.get(y[i])! * perGroup.get(groupOf(r, y[i]))!));
  return trainLogReg(
    vectors,
    y,
    weights,
    { buckets: 1 << config.bucketsLog2, classes: c, epochs: opts.epochs, seed: opts.seed, l2: opts.l2 ?? 3e-4, learningRate: opts.learningRate },
  );
}

/** Drop features that occur in fewer than `min` source families of the training rows. */
function keepSharedFeatures(rows: readonly Row[], vectors: SparseVector[], config: FeatureConfig, min: number): SparseVector[] {
  const families = new Map<string, number>();
  const seen = new Uint8Array(1 << config.bucketsLog2);
  const lastFamily = new Int32Array(1 << config.bucketsLog2).fill(-1);
  // Rows grouped by family so each bucket counts a family once.
  const order = rows.map((r, i) => i).sort((a, b) => familyOf(rows[a].source).localeCompare(familyOf(rows[b].source)));
  for (const i of order) {
    const fam = familyOf(rows[i].source);
    if (!families.has(fam)) families.set(fam, families.size);
    const f = families.get(fam)!;
    for (const b of vectors[i].indices) {
      if (lastFamily[b] !== f) {
        lastFamily[b] = f;
        if (seen[b] < 255) seen[b]++;
      }
    }
  }
  return vectors.map((v) => {
    const keep: number[] = [];
    for (let n = 0; n < v.indices.length; n++) if (seen[v.indices[n]] >= min) keep.push(n);
    return { indices: Int32Array.from(keep, (n) => v.indices[n]), values: Float32Array.from(keep, (n) => v.values[n]) };
  });
}

/** Attack score (1 − p(benign), max over windows) per row, as the shipped scorer computes it. */
export function scoreRows(model: LinearModel, rows: readonly Row[]): number[] {
  return rows.map((r) => combineWindows(model.labels, windowed(r, model.features).map((v) => classProbabilities(model, v))).unsafe);
}

export interface CrossSourceResult {
  rows: Row[];
  /** Out-of-fold score per row (same order as rows). */
  scores: number[];
  families: string[];
}

/** Leave-one-family-out: each family is scored by a model trained on all the others. */
export function crossSource(rows: readonly Row[], config: FeatureConfig, opts: FitOptions, onFold?: (family: string, heldOut: number) => void): CrossSourceResult {
  const families = [...new Set(rows.map((r) => familyOf(r.source)))].sort();
  const scores = new Array<number>(rows.length).fill(NaN);
  for (const fam of families) {
    const test: number[] = [];
    const train: Row[] = [];
    rows.forEach((r, i) => (familyOf(r.source) === fam ? test.push(i) : train.push(r)));
    onFold?.(fam, test.length);
    const t = fitModel(train, config, opts);
    const model: LinearModel = { version: `fold-${fam}`, labels: MODEL_LABELS, features: config, weights: t.weights, bias: t.bias, threshold: 0.5 };
    const s = scoreRows(model, test.map((i) => rows[i]));
    test.forEach((i, k) => (scores[i] = s[k]));
  }
  return { rows: [...rows], scores, families };
}

export interface FamilyStats {
  rows: number;
  attacks: number;
  recall: number | null;
  benign: number;
  fpr: number | null;
}

export interface Summary {
  auc: number;
  at: AtThreshold;
  recallAt1pctFpr: number;
  recallAt2pctFpr: number;
  /** Recall per attack label, FPR for benign, at `at.threshold`. */
  perLabel: Partial<Record<Label, number>>;
  perFamily: Record<string, FamilyStats>;
}

/**
 * Metrics over scored rows. The threshold is `fixedThreshold` when given,
 * otherwise the one giving `targetFpr` on these rows' benign scores.
 */
export function summarize(cv: CrossSourceResult, targetFpr: number, fixedThreshold?: number): Summary {
  const scored: Scored[] = cv.rows.map((r, i) => ({ score: cv.scores[i], attack: r.label !== 'benign' }));
  const benign = scored.filter((s) => !s.attack).map((s) => s.score);
  const recallAt = (f: number): number => (benign.length ? atThreshold(scored, thresholdAtFpr(benign, f)).recall : NaN);
  const threshold = fixedThreshold ?? thresholdAtFpr(benign, targetFpr);
  const at = atThreshold(scored, threshold);
  const perLabel: Partial<Record<Label, number>> = {};
  for (const label of MODEL_LABELS) {
    const idx = cv.rows.flatMap((r, i) => (r.label === label ? [i] : []));
    if (!idx.length) continue;
    const hits = idx.filter((i) => cv.scores[i] >= threshold).length;
    perLabel[label] = hits / idx.length;
  }
  const perFamily: Record<string, FamilyStats> = {};
  cv.rows.forEach((r, i) => {
    const fam = familyOf(r.source);
    const f = (perFamily[fam] ??= { rows: 0, attacks: 0, recall: 0, benign: 0, fpr: 0 });
    f.rows++;
    const hit = cv.scores[i] >= threshold ? 1 : 0;
    if (r.label === 'benign') {
      f.benign++;
      f.fpr = (f.fpr ?? 0) + hit;
    } else {
      f.attacks++;
      f.recall = (f.recall ?? 0) + hit;
    }
  });
  for (const f of Object.values(perFamily)) {
    f.recall = f.attacks ? (f.recall ?? 0) / f.attacks : null;
    f.fpr = f.benign ? (f.fpr ?? 0) / f.benign : null;
  }
  return { auc: rocAuc(scored), at, recallAt1pctFpr: recallAt(0.01), recallAt2pctFpr: recallAt(0.02), perLabel, perFamily };
}
