/**
 * What the model reads: the normalised text, cut into windows, plus decoded
 * payloads as windows of their own, each featurised with the normaliser's flags.
 * Training and every scorer go through {@link prepareVectors} so they agree.
 */
import { featurize, windows, type FeatureConfig, type SparseVector } from './features.js';
import { normalize } from '../normalize.js';

/** Normalised view of one text: main text, decoded payloads, obfuscation flags. */
export interface PreparedText {
  text: string;
  decoded: string[];
  flags: string[];
}

/** Normalise `raw` for the model. */
export function prepareText(raw: string): PreparedText {
  const n = normalize(raw);
  return { text: n.text, decoded: n.decoded, flags: n.flags };
}

/** Feature vectors for every window of `raw` (at least one). */
export function prepareVectors(raw: string, config: FeatureConfig): SparseVector[] {
  const p = prepareText(raw);
  const out: SparseVector[] = [];
  for (const w of windows(p.text, config)) out.push(featurize(w, p.flags, config));
  for (const d of p.decoded) {
    for (const w of windows(d, config)) out.push(featurize(w, p.flags, config));
  }
  return out;
}

/** One feature vector for the whole text (training rows: no windowing, so labels stay attached to the whole text). */
export function prepareWholeVector(raw: string, config: FeatureConfig): SparseVector {
  const p = prepareText(raw);
  const joined = p.decoded.length ? `${p.text}\n${p.decoded.join('\n')}` : p.text;
  return featurize(joined, p.flags, config);
}
