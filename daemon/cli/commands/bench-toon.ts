/** `m2m bench toon`: bytes and o200k tokens saved per TOON level vs compact JSON and @toon-format/toon. */
import { readFileSync } from 'node:fs';
import { encode as toonFormatEncode } from '@toon-format/toon';
import { getTokenizer } from '../../../protocol/tokenizers.js';
import { ToonCodec } from '../../../protocol/toon/codec.js';
import { isUniformArray, recommendToonFormat } from '../../../protocol/toon/uniform.js';
import { median } from '../../../protocol/prompt/fidelity.js';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m bench toon --corpus FILE.jsonl [--limit N] [--json]

For every row's "json" field (compact JSON), measure the wire form of each
TOON level (seed 003: minimal = keys, standard = keys + values, aggressive =
standard + gzip above 1024 B) and of @toon-format/toon (Token-Oriented Object
Notation, an LLM-facing view), against the compact JSON itself:
  bytesSaved    1 − wire bytes / JSON bytes, over the whole corpus
  tokensSaved   1 − o200k tokens / JSON o200k tokens (gzipped bodies are
                counted as the base64 text an LLM would have to read)
  medianRowTokensSaved   the same per row, median
and whether the row would get a @toon-format/toon recommendation (uniform
arrays of objects). Every TOON level is checked for an exact round trip.

  --corpus FILE   JSON Lines with a "json" string field
  --limit N       only the first N rows
  --json          one JSON object

Exit codes: 0 ok, 1 bad input, 2 usage error.`;

interface Entry {
  bytes: number;
  tokens: number;
  rowTokenSavings: number[];
  roundTripFailures: number;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { corpus: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  if (typeof values.corpus !== 'string') throw new UsageError('--corpus FILE.jsonl is required');
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  const rows: string[] = [];
  for (const line of readFileSync(values.corpus, 'utf8').split('\n')) {
    if (line.trim() === '' || rows.length >= limit) continue;
    const j = (JSON.parse(line) as { json?: unknown }).json;
    if (typeof j !== 'string') throw new UsageError('every row needs a "json" string field');
    rows.push(j);
  }
  const tok = getTokenizer('o200k');
  const codecs = (['minimal', 'standard', 'aggressive'] as const).map((level) => ({ name: `toon-${level}`, codec: new ToonCodec({ level }) }));
  const names = ['json', ...codecs.map((c) => c.name), 'toon-format'];
  const acc: Record<string, Entry> = Object.fromEntries(names.map((n) => [n, { bytes: 0, tokens: 0, rowTokenSavings: [], roundTripFailures: 0 }]));
  let recommended = 0;
  let withUniform = 0;
  for (const j of rows) {
    const jBytes = Buffer.byteLength(j);
    const jTokens = tok.count(j);
    const add = (name: string, bytes: number, tokens: number): void => {
      const e = acc[name];
      e.bytes += bytes;
      e.tokens += tokens;
      e.rowTokenSavings.push(1 - tokens / jTokens);
    };
    add('json', jBytes, jTokens);
    for (const { name, codec } of codecs) {
      const wire = codec.encodeText(j);
      const gz = wire[0] === 0x1f;
      const text = gz ? Buffer.from(wire).toString('base64') : Buffer.from(wire).toString('utf8');
      add(name, wire.length, tok.count(text));
      if (codec.decodeText(wire) !== j) acc[name].roundTripFailures++;
    }
    const value: unknown = JSON.parse(j);
    const tf = toonFormatEncode(value);
    add('toon-format', Buffer.byteLength(tf), tok.count(tf));
    if (recommendToonFormat(value).recommend) recommended++;
    if (JSON.stringify(value, (_k, v: unknown) => (isUniformArray(v) ? '\u0000U' : v)).includes('\\u0000U')) withUniform++;
  }
  const base = acc.json;
  const report = {
    rows: rows.length,
    jsonBytes: base.bytes,
    jsonTokensO200k: base.tokens,
    levels: Object.fromEntries(
      names.slice(1).map((n) => [
        n,
        {
          bytesSaved: r4(1 - acc[n].bytes / base.bytes),
          tokensSaved: r4(1 - acc[n].tokens / base.tokens),
          medianRowTokensSaved: r4(median(acc[n].rowTokenSavings)),
          ...(n.startsWith('toon-') && n !== 'toon-format' ? { roundTripFailures: acc[n].roundTripFailures } : {}),
        },
      ]),
    ),
    rowsWithUniformArrays: withUniform,
    rowsRecommendedForToonFormat: recommended,
  };
  if (values.json) {
    out(JSON.stringify(report));
    return EXIT_OK;
  }
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
  out(`${report.rows} rows, ${report.jsonBytes} JSON bytes, ${report.jsonTokensO200k} o200k tokens (compact JSON = baseline)`);
  out('codec          bytes saved  tokens saved  median row tokens saved  round-trip failures   seed claim');
  const claims: Record<string, string> = { 'toon-minimal': '20–30%', 'toon-standard': '40–50%', 'toon-aggressive': '60–70%', 'toon-format': '–' };
  for (const [n, l] of Object.entries(report.levels)) {
    const rt = 'roundTripFailures' in l ? String(l.roundTripFailures) : 'n/a';
    out(`${n.padEnd(15)} ${pct(l.bytesSaved)}      ${pct(l.tokensSaved)}      ${pct(l.medianRowTokensSaved)}                  ${rt.padStart(4)}           ${claims[n]}`);
  }
  out(`rows with uniform arrays of objects: ${withUniform}; rows where analyze recommends @toon-format/toon: ${recommended}`);
  return EXIT_OK;
}
