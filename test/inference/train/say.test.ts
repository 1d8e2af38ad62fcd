import { afterEach, describe, expect, it, vi } from 'vitest';
import { complain, say } from '../../../inference/train/say.js';

describe('training scripts output', () => {
  afterEach(() => vi.restoreAllMocks());

  it('say writes one line to stdout and nothing to stderr', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    say('rows: 3');
    expect(out.mock.calls).toEqual([['rows: 3\n']]);
    expect(err).not.toHaveBeenCalled();
  });

  it('complain writes one line to stderr and nothing to stdout', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    complain('usage: convert-hydra <model.safetensors> <out.onnx>');
    expect(err.mock.calls).toEqual([['usage: convert-hydra <model.safetensors> <out.onnx>\n']]);
    expect(out).not.toHaveBeenCalled();
  });
});
