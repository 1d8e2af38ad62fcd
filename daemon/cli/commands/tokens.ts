/** `m2m tokens`: token counts per encoding (or the IDs for one). */
import { ENCODINGS, getTokenizer, parseEncoding, type Encoding } from '../../../protocol/tokenizers.js';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';
import { readText, str } from './compress.js';

export const help = `Usage: m2m tokens [--encoding ENC] [--ids] [--json] [-f FILE] [INPUT|-]

Count the tokens of the input with every encoding (cl100k, o200k, llama3), or
with one given by --encoding. Special tokens written in the text (e.g.
<|endoftext|>) count as one special token, as tiktoken's encode_with_special_tokens.

  -e, --encoding ENC    only this encoding: cl100k, o200k, llama3
  --ids                 print the token IDs (needs --encoding)
  --json                print one JSON object
  -f, --file FILE       read input from FILE (else INPUT, or stdin for - or no INPUT)

Exit codes: 0 ok, 1 bad input, 2 usage error.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    encoding: { type: 'string', short: 'e' },
    ids: { type: 'boolean' },
    json: { type: 'boolean' },
    file: { type: 'string', short: 'f' },
  });
  const name = str(values.encoding, 'encoding');
  let encodings: readonly Encoding[] = ENCODINGS;
  if (name !== undefined) {
    try {
      encodings = [parseEncoding(name)];
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (values.ids && name === undefined) throw new UsageError('--ids needs --encoding');
  const text = readText(values.file, positionals);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (values.ids) {
    const ids = getTokenizer(encodings[0]).encode(text);
    out(values.json ? JSON.stringify({ encoding: encodings[0], bytes, tokens: ids.length, ids }) : ids.join(' '));
    return EXIT_OK;
  }
  const counts = Object.fromEntries(encodings.map((e) => [e, getTokenizer(e).count(text)]));
  if (values.json) out(JSON.stringify({ bytes, tokens: counts }));
  else out(Object.entries(counts).map(([e, n]) => `${e.padEnd(7)} ${n}`).join('\n'));
  return EXIT_OK;
}
