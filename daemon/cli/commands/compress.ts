/** `m2m compress`: encode text with one algorithm or the smallest (`auto`). */
import { writeFileSync } from 'node:fs';
import { ALGORITHM_DISPLAY, compress, compressAuto, parseAlgorithm, type CompressResult } from '../../../protocol/codec-engine.js';
import { M2MError } from '../../../protocol/errors.js';
import { parseEncoding } from '../../../protocol/tokenizers.js';
import { EXIT_OK, UsageError, err, out, parseCommandArgs, readInput } from '../command.js';

export const help = `Usage: m2m compress [-a ALGO] [--encoding ENC] [--stats] [-f FILE] [-o FILE] [INPUT|-]

Compress text (usually LLM API JSON) into an M2M wire string.

  -a, --algorithm ALGO  auto (default: smallest output, never larger than the input),
                        token-native|tn, token|t1, brotli|br, m2m|m, none|n
  -e, --encoding ENC    tokenizer for token-native: cl100k (default), o200k, llama3
  -s, --stats           print sizes and ratio to stderr
  -f, --file FILE       read input from FILE (else INPUT, or stdin for - or no INPUT)
  -o, --output FILE     write the wire string to FILE instead of stdout

Exit codes: 0 ok, 1 bad input (e.g. invalid JSON for t1/m2m), 2 usage error.`;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Command input as text: `--file`, else the positional (`-` = stdin), else stdin; must be UTF-8. */
export function readText(file: unknown, positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected at most one INPUT, got ${positionals.length}`);
  if (file !== undefined && typeof file !== 'string') throw new UsageError('--file needs a path');
  const bytes = readInput(file, positionals[0]);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new M2MError('INVALID_UTF8', 'input is not valid UTF-8');
  }
}

/** Write to `--output` exactly, or to stdout with a trailing newline. */
export function writeOutput(output: unknown, text: string): void {
  if (typeof output === 'string') writeFileSync(output, text);
  else out(text);
}

/** Option value as a string (or undefined), rejecting repeats. */
export function str(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
  return v;
}

export function statsText(r: CompressResult): string {
  const saved = r.originalBytes - r.compressedBytes;
  const pct = r.originalBytes === 0 ? 0 : (saved / r.originalBytes) * 100;
  return [
    `Algorithm:  ${ALGORITHM_DISPLAY[r.algorithm]}`,
    `Original:   ${r.originalBytes} bytes`,
    `Compressed: ${r.compressedBytes} bytes`,
    `Ratio:      ${r.ratio.toFixed(3)} of original (${(r.compressedBytes === 0 ? 0 : r.originalBytes / r.compressedBytes).toFixed(2)}x)`,
    `Saved:      ${saved} bytes (${pct.toFixed(1)}%)`,
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    algorithm: { type: 'string', short: 'a' },
    encoding: { type: 'string', short: 'e' },
    stats: { type: 'boolean', short: 's' },
    file: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
  });
  let algorithm: ReturnType<typeof parseAlgorithm>;
  let encoding: ReturnType<typeof parseEncoding>;
  try {
    algorithm = parseAlgorithm(str(values.algorithm, 'algorithm') ?? 'auto');
    encoding = parseEncoding(str(values.encoding, 'encoding') ?? 'cl100k');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const text = readText(values.file, positionals);
  const r = algorithm === 'auto' ? compressAuto(text, { encoding }) : compress(text, algorithm, { encoding });
  writeOutput(values.output, r.data);
  if (values.stats) err(statsText(r));
  return EXIT_OK;
}
