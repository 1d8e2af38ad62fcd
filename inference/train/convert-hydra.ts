/**
 * Convert a Hydra safetensors checkpoint (Rust reference, `infernet/hydra`)
 * to ONNX, so `--model` can load it without converting on every start:
 *
 *   node dist/inference/train/convert-hydra.js model.safetensors hydra.onnx
 *
 * Prints the vocabulary and width it found; exits 1 with the reason for a
 * malformed checkpoint.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readSafetensors } from '../hydra/safetensors.js';
import { hydraToOnnx } from '../hydra/to-onnx.js';
import { hydraWeights } from '../hydra/weights.js';
import { complain, say } from './say.js';

function main(argv: string[]): number {
  const [input, output] = argv;
  if (!input || !output) {
    complain('usage: convert-hydra <model.safetensors> <out.onnx>');
    return 2;
  }
  try {
    const w = hydraWeights(readSafetensors(new Uint8Array(readFileSync(input))));
    const bytes = hydraToOnnx(w);
    writeFileSync(output, bytes);
    const depths = w.layers.map((l) => l.experts.map((e) => e.length).join('/')).join(' ');
    say(`converted ${input}: vocab ${w.vocab}, hidden ${w.hidden}, expert depths ${depths} → ${output} (${bytes.byteLength} bytes)`);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    complain(`${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
