/** `m2m analyze`: content analysis and the wire size of every algorithm. */
import { ALGORITHM_DISPLAY, analyze } from '../../../protocol/codec-engine.js';
import { EXIT_OK, out, parseCommandArgs } from '../command.js';
import { readText } from './compress.js';

export const help = `Usage: m2m analyze [--json] [-f FILE] [INPUT|-]

Describe the input (JSON? LLM API? tools? repetition, tokens per encoding) and
show the size and ratio of every algorithm that accepts it, plus the one
\`compress -a auto\` would pick.

  --json                print one JSON object instead of text
  -f, --file FILE       read input from FILE (else INPUT, or stdin for - or no INPUT)

Exit codes: 0 ok, 1 bad input, 2 usage error.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    file: { type: 'string', short: 'f' },
  });
  const a = analyze(readText(values.file, positionals));
  if (values.json) {
    out(JSON.stringify(a));
    return EXIT_OK;
  }
  const lines = [
    'Content Analysis:',
    `  Length:      ${a.length} bytes`,
    `  Is JSON:     ${a.isJson}`,
    `  Is LLM API:  ${a.isLlmApi}`,
    `  Has Tools:   ${a.hasTools}`,
    `  Repetition:  ${a.repetition.toFixed(2)}`,
    `  Tokens:      cl100k ${a.tokens.cl100k}, o200k ${a.tokens.o200k}, llama3 ${a.tokens.llama3}`,
    `Recommended Algorithm: ${ALGORITHM_DISPLAY[a.recommended]}`,
    'Algorithm Comparison:',
    ...a.algorithms.map(
      (x) => `  ${ALGORITHM_DISPLAY[x.algorithm].padEnd(13)} ${String(a.length).padStart(8)} bytes -> ${String(x.bytes).padStart(8)} bytes (${x.ratio.toFixed(3)} of original)`,
    ),
  ];
  out(lines.join('\n'));
  return EXIT_OK;
}
