import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../daemon/cli/main.js';
import { BENCH_ALGORITHMS } from '../../../daemon/cli/commands/bench-codecs-algorithms.js';
import { runBench, sizeClass } from '../../../daemon/cli/commands/bench-codecs-run.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const rows = [
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there, how are you?' }] }),
  JSON.stringify({ model: 'gpt-4o', messages: Array.from({ length: 12 }, (_, i) => ({ role: 'user', content: `message ${i} with some words` })) }),
  JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { role: 'assistant', content: 'x'.repeat(3000) }, finish_reason: 'stop' }] }),
];

describe('bench codecs', () => {
  it('classifies sizes', () => {
    expect([0, 299, 300, 2048, 2049].map(sizeClass)).toEqual(['<300', '<300', '300-2048', '300-2048', '>2048']);
  });

  it('reports every algorithm with exact round trips', () => {
    // The codecs of this package must be exact; entries appended by other modules are checked by their own tests.
    const core = ['none', 't1', 'token-native', 'token-native-o200k', 'token-native-binary', 'brotli', 'brotli-binary-zlib', 'brotli-binary-wasm', 'm2m', 'm2m-binary', 'auto', 'gzip'];
    expect(BENCH_ALGORITHMS.map((a) => a.name)).toEqual(expect.arrayContaining(core));
    const r = runBench(rows, BENCH_ALGORITHMS.filter((a) => core.includes(a.name)), { oracle: false });
    expect(r.rows).toBe(3);
    expect(r.rowsBySize).toEqual({ '<300': 1, '300-2048': 1, '>2048': 1 });
    for (const name of core) {
      const rep = r.algorithms[name];
      expect(rep.roundTripFailures, name).toBe(0);
      expect(rep.error, name).toBeUndefined();
      expect(rep.ratio).toBeGreaterThan(0);
      expect(Object.keys(rep.ratioBySize)).toEqual(['<300', '300-2048', '>2048']);
    }
    expect(r.algorithms.none.ratio).toBe(1);
    expect(r.tokenizer.encodeMBps).toBeGreaterThan(0);
  });

  it('counts a lossy codec as round-trip failures', () => {
    const lossy = { name: 'lossy', encode: (j: string) => j, decode: (w: string | Uint8Array) => String(w).slice(1) };
    expect(runBench(rows, [lossy], { oracle: false }).algorithms.lossy.roundTripFailures).toBe(3);
  });

  it('prints the documented JSON shape from the CLI', async () => {
    const corpus = join(dir, 'c.jsonl');
    writeFileSync(corpus, rows.map((json) => JSON.stringify({ json, kind: 'x' })).join('\n') + '\n');
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout += String(c);
      return true;
    });
    const code = await main(['bench', 'codecs', '--corpus', corpus, '--json', '--only', 'none,t1,gzip']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { rows: number; algorithms: Record<string, Record<string, unknown>>; tokenizer: { encodeMBps: number; mismatches: number } };
    expect(r.rows).toBe(3);
    expect(Object.keys(r.algorithms)).toEqual(['none', 't1', 'gzip']);
    expect(Object.keys(r.algorithms.t1)).toEqual(['ratio', 'ratioBySize', 'encodeMBps', 'decodeMBps', 'roundTripFailures']);
    expect(r.tokenizer.mismatches).toBe(0);
  });

  it('exits 2 without --corpus and 1 on an unreadable corpus', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['bench', 'codecs'])).toBe(2);
    expect(await main(['bench', 'codecs', '--corpus', join(dir, 'missing.jsonl')])).toBe(1);
    writeFileSync(join(dir, 'bad.jsonl'), '{"nojson":1}\n');
    expect(await main(['bench', 'codecs', '--corpus', join(dir, 'bad.jsonl')])).toBe(1);
    expect(await main(['bench', 'codecs', '--corpus', join(dir, 'bad.jsonl'), '--only', 'nope'])).toBe(2);
  });
});
