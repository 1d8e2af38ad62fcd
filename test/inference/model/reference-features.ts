// The straightforward feature extraction the optimised `featurize` replaced, kept to prove they give identical vectors.
import { fmix32, hashString } from '../../../inference/model/hash.js';
import type { FeatureConfig, SparseVector } from '../../../inference/model/features.js';

const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x9e3779b1;
const SEED_CHAR = 0x85ebca77;
const SEED_FLAG = 0xc2b2ae3d;
const MAX_PUNCT_RUN = 8;
const TOKEN_RE = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+/gu;
const WORDCHAR_RE = /^[\p{L}\p{N}_]/u;

export function referenceFeaturize(text: string, flags: readonly string[], config: FeatureConfig): SparseVector {
  const counts = new Map<number, number>();
  const mask = (1 << config.bucketsLog2) - 1;
  const add = (h: number): void => {
    const i = h & mask;
    counts.set(i, (counts.get(i) ?? 0) + (h & 0x80000000 ? -1 : 1));
  };
  const lower = text.toLowerCase();
  let prev: string | null = null;
  for (const m of lower.matchAll(TOKEN_RE)) {
    let tok = m[0];
    const isWord = WORDCHAR_RE.test(tok);
    if (!isWord && tok.length > MAX_PUNCT_RUN) tok = tok.slice(0, MAX_PUNCT_RUN);
    add(hashString(tok, SEED_WORD));
    if (config.wordNgrams >= 2 && prev !== null) add(hashString(tok, hashString(prev, SEED_BIGRAM)));
    prev = tok;
    if (!isWord) continue;
    for (let start = 0; start < tok.length; start += config.maxWordChars) {
      const w = ` ${tok.slice(start, start + config.maxWordChars)} `;
      for (let n = config.charMin; n <= config.charMax && n <= w.length; n++) {
        for (let i = 0; i + n <= w.length; i++) {
          let h = SEED_CHAR ^ n;
          for (let j = i; j < i + n; j++) h = Math.imul(h ^ w.charCodeAt(j), 0x01000193);
          add(fmix32(h));
        }
      }
    }
  }
  for (const f of flags) add(hashString(f, SEED_FLAG));
  const idx = [...counts.keys()].filter((i) => counts.get(i) !== 0).sort((a, b) => a - b);
  const values = new Float32Array(idx.length);
  let norm = 0;
  idx.forEach((i, k) => {
    const c = counts.get(i) as number;
    const a = 1 + Math.log(Math.abs(c));
    const v = c < 0 ? -a : a;
    values[k] = v;
    norm += v * v;
  });
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < values.length; k++) values[k] *= inv;
  }
  return { indices: Int32Array.from(idx), values };
}
