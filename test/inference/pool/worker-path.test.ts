import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { onnxWorkerPath } from '../../../inference/pool/worker-path.js';

describe('onnxWorkerPath', () => {
  it('finds the compiled worker (tests run from sources and use the build in dist/)', () => {
    const p = onnxWorkerPath();
    expect(p).toMatch(/dist[\\/]inference[\\/]pool[\\/]onnx-worker\.js$/);
    expect(existsSync(p)).toBe(true);
  });
});
