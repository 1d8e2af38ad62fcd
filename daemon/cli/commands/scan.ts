/** `m2m scan`: security verdict for one text or JSON message. */
import { createClassifier } from '../../../inference/create-classifier.js';
import type { Verdict } from '../../../inference/types.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, err, out, parseCommandArgs, readInput } from '../command.js';

export const help = `Usage: m2m scan [--json] [--blocking] [--threshold X] [--model auto|none|PATH] [TEXT | - | -f FILE]

Scan a text or JSON message for prompt injection, jailbreaks, exfiltration
and malformed payloads, and print the verdict. JSON input is scanned the
way the daemon scans it: string values only (message contents, tool
arguments and results), never keys.

  --json              print the verdict as one JSON object
  --blocking          blocking mode: an unsafe verdict is blocked (exit 1)
  --threshold X       score at or above which the text is unsafe (0..1; default: calibrated)
  --model M           auto (shipped model, rules if missing), none (rules only), or a model file
  -f, --file FILE     read input from FILE (else TEXT, or stdin for - or no TEXT)

Exit codes: 0 scanned (also when unsafe without --blocking), 1 blocked or bad
input, 2 usage error.`;

function parseThreshold(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Number(v);
  if (!Number.isFinite(t) || t < 0 || t > 1) throw new UsageError(`--threshold must be a number in 0..1, got '${v}'`);
  return t;
}

function describe(v: Verdict): string {
  const head = v.safe ? 'SAFE' : v.blocked ? `BLOCKED ${v.threat}` : `UNSAFE ${v.threat}`;
  const lines = [`${head}  score ${v.score.toFixed(3)}  confidence ${v.confidence.toFixed(3)}  ${v.latencyMs.toFixed(2)} ms`];
  if (v.modelScore !== undefined) lines.push(`  model score ${v.modelScore.toFixed(3)}`);
  for (const r of v.reasons) lines.push(`  ${r.severity.toFixed(2)}  ${r.id}${r.detail ? `  ${JSON.stringify(r.detail)}` : ''}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    blocking: { type: 'boolean' },
    threshold: { type: 'string' },
    model: { type: 'string' },
    file: { type: 'string', short: 'f' },
  });
  if (positionals.length > 1) throw new UsageError('expected at most one TEXT argument (quote it)');
  const threshold = parseThreshold(values.threshold as string | undefined);
  const text = readInput(values.file as string | undefined, positionals[0]).toString('utf8');
  const classifier = await createClassifier({
    model: (values.model as string | undefined) ?? 'auto',
    threshold,
    blocking: values.blocking === true,
    logger: { warn: (d, m) => err(`warning: ${m} (${String(d.error ?? d.code)})`) },
  });
  try {
    const v = await classifier.classify(text);
    out(values.json ? JSON.stringify(v) : describe(v));
    return v.blocked ? EXIT_BAD_INPUT : EXIT_OK;
  } finally {
    await classifier.close();
  }
}
