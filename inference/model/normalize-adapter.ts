/**
 * Bridge to the shared normaliser (`inference/normalize.ts`).
 * TEMPORARY: a minimal NFKC + invisible-character pass until that module lands.
 */
import type { PreparedText } from './prepare.js';

const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Normalise text the way the model was trained. */
export function normalizeForModel(raw: string): PreparedText {
  const flags: string[] = [];
  let text = raw.normalize('NFKC');
  const stripped = text.replace(INVISIBLE, '');
  if (stripped.length !== text.length) flags.push('invisible');
  text = stripped;
  return { text, decoded: [], flags };
}
