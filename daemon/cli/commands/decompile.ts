/** `m2m decompile`: envelope (YAML, JSON or K:V lines) → plain prose for humans. */
import { decompile, formatErrors, fromCompact, fromKV, parsePromptYaml, validateMessage, type CompactPrompt, type Envelope } from '../../../protocol/prompt/index.js';
import { EXIT_BAD_INPUT, EXIT_OK, err, out, parseCommandArgs } from '../command.js';
import { readProse } from './compile.js';

export const help = `Usage: m2m decompile [--no-validate] [-f FILE] [INPUT|-]

Turn an M2M envelope, status report or compact prompt back into plain prose
for human review. Input may be YAML, JSON or the K:V line form (m2m compile
--format kv). The message is validated first; schema errors are printed with
their paths and the exit code is 1.

  --no-validate      skip validation
  -f, --file FILE    read from FILE (else INPUT, or stdin for - or none)

Exit codes: 0 ok, 1 bad input or schema errors, 2 usage error.`;

/** Parse YAML/JSON, falling back to K:V lines. */
export function parseMessage(text: string): Record<string, unknown> {
  try {
    return parsePromptYaml(text);
  } catch (e) {
    try {
      return fromKV(text, { short: true });
    } catch {
      throw e;
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { 'no-validate': { type: 'boolean' }, file: { type: 'string', short: 'f' } });
  const msg = parseMessage(readProse(values.file, positionals));
  const r = validateMessage(msg);
  if (!values['no-validate'] && !r.ok) {
    err(formatErrors(r.errors));
    return EXIT_BAD_INPUT;
  }
  out(decompile(r.kind === 'compact' ? fromCompact(msg as CompactPrompt) : (msg as Envelope)));
  return EXIT_OK;
}
