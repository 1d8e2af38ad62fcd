/**
 * `make model`: train the shipped security model, measure it across sources
 * and write `inference/models/security.onnx` plus its metrics and a fixed
 * sample of expected scores. Deterministic (seeded), no downloads, no Python.
 *
 *   node dist/inference/train/train.js [--dev FILE] [--extra FILE] [--out DIR] [--seed N] [--epochs N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SHIPPED_FEATURE_CONFIG } from '../model/features.js';
import { MODEL_LABELS, type LinearModel } from '../model/linear-model.js';
import { DEFAULT_FUSION, fuseScores, FUSED_THRESHOLD } from '../fused-classifier.js';
import { scanHeuristics } from '../heuristic-classifier.js';
import { linearModelToOnnx, quantizeWeights } from '../onnx/linear-graph.js';
import { familyOf, isShippable, loadRows, type Row } from './data.js';
import { crossSource, fitModel, scoreRows, SHIPPED_FIT, summarize, type Summary } from './pipeline.js';
import { pickSample } from './sample.js';
import { say } from './say.js';

const DEFAULTS = {
  dev: '../shared/data/security.dev.jsonl',
  extra: '../shared/data/security.train-extra.jsonl',
  out: 'inference/models',
  seed: String(SHIPPED_FIT.seed),
  epochs: String(SHIPPED_FIT.epochs),
  fpr: '0.01',
};

function main(): void {
  const { values } = parseArgs({
    options: {
      dev: { type: 'string', default: DEFAULTS.dev },
      extra: { type: 'string', default: DEFAULTS.extra },
      out: { type: 'string', default: DEFAULTS.out },
      seed: { type: 'string', default: DEFAULTS.seed },
      epochs: { type: 'string', default: DEFAULTS.epochs },
      fpr: { type: 'string', default: DEFAULTS.fpr },
    },
  });
  const started = Date.now();
  const seed = Number(values.seed);
  const epochs = Number(values.epochs);
  const targetFpr = Number(values.fpr);
  const rows: Row[] = [...loadRows(values.dev!), ...loadRows(values.extra!)].filter((r) => (MODEL_LABELS as readonly string[]).includes(r.label));
  const ship = rows.filter(isShippable);
  // Rows we may not ship are scored by the final model; only families it never saw count as cross-source.
  const trainedFamilies = new Set(ship.map((r) => familyOf(r.source)));
  const evalOnly = rows.filter((r) => !isShippable(r) && !trainedFamilies.has(familyOf(r.source)));
  say(`rows: ${rows.length} (train-eligible ${ship.length}, evaluation-only from unseen families ${evalOnly.length})`);

  const config = { ...SHIPPED_FEATURE_CONFIG };
  const cv = crossSource(ship, config, { ...SHIPPED_FIT, epochs, seed }, (fam, n) => say(`  fold ${fam}: ${n} rows held out (${secs(started)} s)`));
  const modelOnly = summarize(cv, targetFpr);
  const threshold = modelOnly.at.threshold;
  say(`cross-source (leave-one-family-out, ${cv.families.length} families): AUC ${modelOnly.auc.toFixed(4)}; threshold ${threshold.toFixed(4)} (${secs(started)} s)`);

  const trained = fitModel(ship, config, { ...SHIPPED_FIT, epochs, seed });
  const model: LinearModel = quantizeWeights({
    version: `m2m-linear-${new Date().toISOString().slice(0, 10)}`,
    labels: MODEL_LABELS,
    features: config,
    weights: trained.weights,
    bias: trained.bias,
    threshold,
  });
  say(`final model trained on ${ship.length} rows (${secs(started)} s)`);

  // Fused with the rule layer exactly as the shipped classifier fuses them (fused-classifier.ts).
  const rulesFor = (rows: readonly Row[]): number[] => rows.map((r) => scanHeuristics(r.text).score);
  const fuse = (rules: number[], raw: number[]): number[] => raw.map((u, i) => fuseScores(rules[i], u, DEFAULT_FUSION));
  const cvRules = rulesFor(cv.rows);
  const fusedCv = { ...cv, scores: fuse(cvRules, cv.scores) };
  const evalRaw = scoreRows(model, evalOnly);
  const evalRules = rulesFor(evalOnly);
  const evalSet = (scores: number[]) => ({ rows: evalOnly, scores, families: [] });
  const report = {
    version: model.version,
    fit: { ...SHIPPED_FIT, epochs, seed },
    features: config,
    targetFpr,
    threshold,
    fusedThreshold: FUSED_THRESHOLD,
    trainRows: ship.length,
    trainSources: countBy(ship, (r) => r.source),
    crossSource: {
      split: 'leave-one-family-out over train-eligible sources: each family is scored by a model trained on all other families',
      families: cv.families,
      modelOnly,
      rulesOnly: summarize({ ...cv, scores: cvRules }, targetFpr, FUSED_THRESHOLD),
      fused: summarize(fusedCv, targetFpr, FUSED_THRESHOLD),
    },
    evaluationOnly: {
      split: 'rows that may not be shipped (GPL / no licence) from families the final model never saw, scored by the final model',
      sources: countBy(evalOnly, (r) => r.source),
      modelOnly: summarize(evalSet(evalRaw), targetFpr, threshold),
      rulesOnly: summarize(evalSet(evalRules), targetFpr, FUSED_THRESHOLD),
      fused: summarize(evalSet(fuse(evalRules, evalRaw)), targetFpr, FUSED_THRESHOLD),
    },
    modelBytes: 0,
  };

  mkdirSync(values.out!, { recursive: true });
  const onnxPath = join(values.out!, 'security.onnx');
  const bytes = linearModelToOnnx(model);
  report.modelBytes = bytes.byteLength;
  writeFileSync(onnxPath, bytes);
  writeFileSync(join(values.out!, 'security.metrics.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(values.out!, 'security.sample.json'), `${JSON.stringify(pickSample(model, ship), null, 2)}\n`);
  say(
    JSON.stringify(
      {
        crossSource: { modelOnly: brief(report.crossSource.modelOnly), rulesOnly: brief(report.crossSource.rulesOnly), fused: brief(report.crossSource.fused) },
        evaluationOnly: { modelOnly: brief(report.evaluationOnly.modelOnly), fused: brief(report.evaluationOnly.fused) },
      },
      null,
      2,
    ),
  );
  say(`wrote ${onnxPath} (${bytes.byteLength} bytes) in ${secs(started)} s`);
}

function secs(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

function brief(s: Summary): Record<string, unknown> {
  return {
    auc: round(s.auc),
    threshold: round(s.at.threshold),
    recall: round(s.at.recall),
    fpr: round(s.at.fpr),
    recallAt1pctFpr: round(s.recallAt1pctFpr),
    recallAt2pctFpr: round(s.recallAt2pctFpr),
    perLabel: Object.fromEntries(Object.entries(s.perLabel).map(([k, v]) => [k, round(v)])),
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

main();
