/**
 * Where the compiled ONNX worker lives. Worker threads run JavaScript, so the
 * worker is always the compiled `onnx-worker.js`: next to this module in `dist/`,
 * or, when this module runs from TypeScript sources (vitest), the copy that
 * `npm run build` put in `dist/inference/pool/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../model/errors.js';

/** @throws ModelError `MODEL_NOT_FOUND` when no compiled worker exists (run `npm run build`) */
export function onnxWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const sibling = join(here, 'onnx-worker.js');
  if (existsSync(sibling)) return sibling;
  const built = join(resolve(here, '..', '..'), 'dist', 'inference', 'pool', 'onnx-worker.js');
  if (existsSync(built)) return built;
  throw new ModelError('MODEL_NOT_FOUND', `inference worker is not built: run 'npm run build' (looked for ${sibling} and ${built})`);
}
