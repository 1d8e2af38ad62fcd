/** `m2m compile`: prose → WSP 99 mission envelope (deterministic compiler). */
import { M2MError } from '../../../protocol/errors.js';
import { compile, COMPILE_LEVELS, DEFAULT_COMPILE_LEVEL, toCompact, toKV, toPromptYaml, type CompileLevel } from '../../../protocol/prompt/index.js';
import { EXIT_OK, UsageError, out, parseCommandArgs, readInput } from '../command.js';

/** `light, standard, aggressive, max (default)` for the help texts. */
export const LEVELS_HELP = COMPILE_LEVELS.map((l) => (l === DEFAULT_COMPILE_LEVEL ? `${l} (default)` : l)).join(', ');

export const help = `Usage: m2m compile [--sender ID] [--receiver ID] [--refs 50,22] [--ts ISO|now]
                  [--level L] [--format yaml|kv|kv-full|json|compact] [-f FILE] [TEXT…|-]

Compile human prose into a WSP 99 M2M envelope: drops politeness and framing,
maps the first imperative to an action verb (OBJ: ANALYZE …), extracts role,
scope ("only modify files in X" → SCOPE.in, "do not touch Y" → SCOPE.out),
WSP references, deliverables (EXEC.ARTIFACTS), abort conditions
(MISSION.ABORT) and keeps numbers, paths, identifiers, quoted strings and code
verbatim. Deterministic: the same text always gives the same envelope.

  --sender ID, --receiver ID   envelope header
  --refs LIST                  WSP numbers to require, comma-separated
  --ts ISO|now                 stamp a timestamp (omitted by default)
  --level L                    ${LEVELS_HELP}
  --format F                   yaml (default), kv (seed §2.2 K:V lines: OBJ:…, RULES:[…]),
                               kv-full (MISSION.OBJ:…), json, compact (9-key form)
  -f, --file FILE              read prose from FILE (else TEXT, or stdin for - or none)

Exit codes: 0 ok, 1 bad input, 2 usage error.`;

/** Read the prose: --file, else the joined positionals, else stdin. */
export function readProse(file: unknown, positionals: string[]): string {
  if (file !== undefined && typeof file !== 'string') throw new UsageError('--file needs a path');
  const arg = positionals.length > 1 ? positionals.join(' ') : positionals[0];
  const bytes = readInput(file, arg);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new M2MError('INVALID_UTF8', 'input is not valid UTF-8');
  }
}

/** The level used without `--level` (the library default). */
export const DEFAULT_LEVEL: CompileLevel = DEFAULT_COMPILE_LEVEL;

/** Parse `--level`. */
export function parseLevel(v: unknown, fallback: CompileLevel): CompileLevel {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(COMPILE_LEVELS as readonly string[]).includes(v)) throw new UsageError(`--level must be one of ${COMPILE_LEVELS.join(', ')}`);
  return v as CompileLevel;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    sender: { type: 'string' },
    receiver: { type: 'string' },
    refs: { type: 'string' },
    ts: { type: 'string' },
    level: { type: 'string' },
    format: { type: 'string' },
    file: { type: 'string', short: 'f' },
  });
  let refs: number[] | undefined;
  if (values.refs !== undefined) {
    refs = String(values.refs).split(',').map((s) => Number(s.trim()));
    if (refs.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError('--refs must be comma-separated WSP numbers, e.g. 50,22');
  }
  const ts = values.ts === 'now' ? new Date().toISOString().replace(/\.\d+Z$/, 'Z') : (values.ts as string | undefined);
  const format = (values.format as string | undefined) ?? 'yaml';
  if (!['yaml', 'kv', 'kv-full', 'json', 'compact'].includes(format)) throw new UsageError('--format must be yaml, kv, kv-full, json or compact');
  const env = compile(readProse(values.file, positionals), {
    sender: values.sender as string | undefined,
    receiver: values.receiver as string | undefined,
    refs,
    ts,
    level: parseLevel(values.level, DEFAULT_LEVEL),
  });
  if (format === 'kv' || format === 'kv-full') out(toKV(env, { short: format === 'kv' }));
  else if (format === 'json') out(JSON.stringify(env));
  else if (format === 'compact') out(toPromptYaml(toCompact(env)));
  else out(toPromptYaml(env));
  return EXIT_OK;
}
