/**
 * Cross-source evaluation of the fused classifier: every corpus row is
 * scored by rules plus a linear model that never saw its source family.
 *
 * - `train-file`: one model trained on the training file(s) only (e.g.
 *   train on `security.train-extra.jsonl`, evaluate on `security.dev.jsonl`).
 * - `loso` (leave-one-source-out): for each source family of the corpus, a
 *   model trained on the training file(s) plus the corpus rows of all other
 *   families, scoring that family.
 *
 * Training rows are filtered by licence exactly like the shipped model
 * (`isShippable`) and fitted with the shipped model's settings
 * (`SHIPPED_FIT`); rows that may not be shipped are only ever evaluated.
 * Obfuscated copies are scored by the same fold's model.
 */
import { FusedClassifier } from '../fused-classifier.js';
import { SHIPPED_FEATURE_CONFIG, type FeatureConfig } from '../model/features.js';
import { MODEL_LABELS, type LinearModel } from '../model/linear-model.js';
import { LinearModelScorer } from '../model/linear-scorer.js';
import { familyOf, isShippable, type Row } from '../train/data.js';
import { fitModel, SHIPPED_FIT } from '../train/pipeline.js';
import type { CorpusRow } from './corpus.js';
import { collectScores, type Collected } from './run.js';

export type CrossSourceMode = 'train-file' | 'loso';

export interface CrossSourceOptions {
  mode: CrossSourceMode;
  /** @default the shipped model's setting (`SHIPPED_FIT.epochs`) */
  epochs?: number;
  /** @default the shipped model's seed */
  seed?: number;
  obfuscate?: boolean;
  /** Feature settings of the fold models. @default the shipped model's (`SHIPPED_FEATURE_CONFIG`) */
  features?: FeatureConfig;
  /** Progress lines (fold names and sizes). */
  onFold?: (name: string, trainRows: number, testRows: number) => void;
}

function toRow(r: CorpusRow): Row {
  return { text: r.text, label: r.label, source: r.source ?? 'unknown', license: r.license ?? '', origin: '' };
}

function train(rows: readonly Row[], epochs: number, seed: number, name: string, features: FeatureConfig): LinearModel {
  const config = { ...features };
  const t = fitModel(rows.filter((r) => (MODEL_LABELS as readonly string[]).includes(r.label)), config, { ...SHIPPED_FIT, epochs, seed });
  return { version: `cross-source-${name}`, labels: MODEL_LABELS, features: config, weights: t.weights, bias: t.bias, threshold: 0.5 };
}

/**
 * Fused scores for every corpus row (and obfuscated attack copies) from
 * models that did not train on the row's source family.
 */
export async function crossSourceScores(corpus: readonly CorpusRow[], training: readonly CorpusRow[], options: CrossSourceOptions): Promise<Collected> {
  const epochs = options.epochs ?? SHIPPED_FIT.epochs;
  const seed = options.seed ?? SHIPPED_FIT.seed;
  const trainRows = training.map(toRow).filter(isShippable);
  const folds: { name: string; test: number[]; train: Row[] }[] = [];
  if (options.mode === 'train-file') {
    folds.push({ name: 'train-file', test: corpus.map((_, i) => i), train: trainRows });
  } else {
    const families = [...new Set(corpus.map((r) => familyOf(r.source ?? 'unknown')))].sort();
    for (const fam of families) {
      const test: number[] = [];
      const extra: Row[] = [];
      corpus.forEach((r, i) => {
        if (familyOf(r.source ?? 'unknown') === fam) test.push(i);
        else extra.push(toRow(r));
      });
      // Training-file rows of the same family are held out too.
      const pool = [...trainRows.filter((r) => familyOf(r.source) !== fam), ...extra.filter(isShippable)];
      folds.push({ name: fam, test, train: pool });
    }
  }
  const out: Collected = { scores: new Array<number>(corpus.length).fill(Number.NaN), obfuscated: {}, latencies: [], wall: [] };
  const attackIndex = new Map<number, number>();
  const benignIndex = new Map<number, number>();
  corpus.forEach((r, i) => {
    if (r.label !== 'benign') attackIndex.set(i, attackIndex.size);
    else benignIndex.set(i, benignIndex.size);
  });
  for (const fold of folds) {
    options.onFold?.(fold.name, fold.train.length, fold.test.length);
    const model = train(fold.train, epochs, seed, fold.name, options.features ?? SHIPPED_FEATURE_CONFIG);
    const classifier = new FusedClassifier({ model: new LinearModelScorer(model) });
    const rows = fold.test.map((i) => corpus[i]);
    const c = await collectScores(classifier, rows, options.obfuscate !== false);
    fold.test.forEach((i, k) => (out.scores[i] = c.scores[k]));
    const foldAttacks = fold.test.filter((i) => corpus[i].label !== 'benign');
    for (const [name, scores] of Object.entries(c.obfuscated)) {
      const dst = (out.obfuscated[name as keyof Collected['obfuscated']] ??= new Array<number>(attackIndex.size).fill(Number.NaN));
      foldAttacks.forEach((i, k) => (dst[attackIndex.get(i) as number] = scores[k]));
    }
    const foldBenign = fold.test.filter((i) => corpus[i].label === 'benign');
    for (const [name, scores] of Object.entries(c.obfuscatedBenign ?? {})) {
      const dst = ((out.obfuscatedBenign ??= {})[name as keyof Collected['obfuscated']] ??= new Array<number>(benignIndex.size).fill(Number.NaN));
      foldBenign.forEach((i, k) => (dst[benignIndex.get(i) as number] = scores[k]));
    }
  }
  return out;
}
