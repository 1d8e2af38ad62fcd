/** `m2m decompress`: decode any M2M wire string by its prefix. */
import { decompress, detectAlgorithm } from '../../../protocol/codec-engine.js';
import { EXIT_OK, err, parseCommandArgs } from '../command.js';
import { readText, writeOutput } from './compress.js';

export const help = `Usage: m2m decompress [--pretty] [-f FILE] [-o FILE] [INPUT|-]

Decode a wire string (#M2M|1|…, #TK|…, #M2M[v3.0]|DATA:…, #T1|…). Text without a
known prefix passes through unchanged (with a warning on stderr).

  -p, --pretty          pretty-print the result when it is JSON
  -f, --file FILE       read input from FILE (else INPUT, or stdin for - or no INPUT)
  -o, --output FILE     write the decoded text to FILE (exact bytes) instead of stdout

Exit codes: 0 ok, 1 corrupt payload behind a known prefix (code on stderr), 2 usage error.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    pretty: { type: 'boolean', short: 'p' },
    file: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
  });
  let wire = readText(values.file, positionals);
  // Wire strings never end in whitespace; a trailing newline comes from echo or a file.
  if (detectAlgorithm(wire.trimStart()) !== 'none') wire = wire.trim();
  else err('m2m decompress: warning: no M2M prefix found, passing input through unchanged');
  let text = decompress(wire);
  if (values.pretty) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: print as is
    }
  }
  writeOutput(values.output, text);
  return EXIT_OK;
}
