import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../daemon/cli/main.js';

let stdout = '';
let stderr = '';
let dir = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  dir = mkdtempSync(join(tmpdir(), 'm2m-prompt-'));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('m2m compile / decompile', () => {
  it('compiles prose to YAML with header and refs', async () => {
    expect(await main(['compile', '--sender', '0102-ORCH', '--receiver', '0102-A', '--refs', '50,22', 'Please', 'analyze', 'the', 'authentication', 'module'])).toBe(0);
    expect(stdout).toBe('M2M_VERSION: "1.0"\nSENDER: 0102-ORCH\nRECEIVER: 0102-A\nMISSION:\n  OBJ: ANALYZE authentication module\n  WSP: [50, 22]\n');
  });
  it('K:V output decompiles back to prose from a file', async () => {
    expect(await main(['compile', '--format', 'kv', 'Fix the login bug. Do not touch src/db/.'])).toBe(0);
    expect(stdout).toBe('OBJ:FIX login bug\nSCOPE.out:[src/db/]\n');
    const f = join(dir, 'env.kv');
    writeFileSync(f, stdout);
    stdout = '';
    expect(await main(['decompile', '-f', f])).toBe(0);
    expect(stdout).toBe('Fix login bug. Do not touch src/db/.\n');
  });
  it('--format kv-full writes the dotted paths, which decompile reads too', async () => {
    expect(await main(['compile', '--format', 'kv-full', 'Fix the login bug. Do not touch src/db/.'])).toBe(0);
    expect(stdout).toBe('M2M_VERSION:"1.0"\nMISSION.OBJ:FIX login bug\nMISSION.SCOPE.out:[src/db/]\n');
    const kv = stdout;
    stdout = '';
    expect(await main(['decompile', kv])).toBe(0);
    expect(stdout).toBe('Fix login bug. Do not touch src/db/.\n');
  });
  it('decompile reports schema errors with paths and exits 1', async () => {
    expect(await main(['decompile', 'M2M_VERSION: 1.0\nMISSION:\n  OBJ: 5\n'])).toBe(1);
    expect(stderr).toBe('MISSION.OBJ: expected a number, got number 5\n'.replace('a number', 'a string'));
  });
  it('usage errors exit 2', async () => {
    expect(await main(['compile', '--level', 'huge', 'x'])).toBe(2);
    expect(await main(['compile', '--refs', 'a,b', 'x'])).toBe(2);
    expect(await main(['eval', 'compile'])).toBe(2);
  });
});

describe('m2m eval compile', () => {
  it('prints exactly the issue JSON shape', async () => {
    const f = join(dir, 'c.jsonl');
    writeFileSync(f, `${JSON.stringify({ text: 'Please analyze the authentication module in src/auth/ and fix the 3 failing tests.' })}\n${JSON.stringify({ text: 'I want you to act as a linux terminal. Do not write explanations.' })}\n`);
    expect(await main(['eval', 'compile', '--corpus', f, '--json'])).toBe(0);
    const r = JSON.parse(stdout);
    expect(Object.keys(r)).toEqual(['rows', 'tokenReductionMedian', 'tokenReductionTotal', 'contentWordRecall', 'literalRecall']);
    expect(r.rows).toBe(2);
    expect(r.literalRecall).toBe(1);
    // Glasgow list: 'please' is a stopword, 'want' is not and the compiler drops it as framing: (8/8 + 5/6) / 2
    expect(r.contentWordRecall).toBeCloseTo(0.9167, 4);
    // the short K:V form has no version line or block prefixes, so even one-sentence prompts shrink
    expect(r.tokenReductionMedian).toBeGreaterThan(1);
    expect(r.tokenReductionMedian).toBeLessThan(3);
  });
});

describe('m2m eval compile: lists, levels and ceilings', () => {
  const corpus = (): string => {
    const f = join(dir, 'c.jsonl');
    const rows = [
      'Please describe the system first and then fix the login bug in src/auth/login.ts.',
      'I want you to act as a linux terminal. Do not write explanations. Reply only with the terminal output.',
    ];
    writeFileSync(f, rows.map((text) => JSON.stringify({ text })).join('\n'));
    return f;
  };
  it('--all-levels prints every level, recall under the other lists and both ceilings', async () => {
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--all-levels'])).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toContain('glasgow stopword list (318 words)');
    expect(lines[1]).toMatch(/recall\[nltk\]\s+recall\[project\]$/);
    expect(lines.slice(2, 6).map((l) => l.split(/\s+/)[0])).toEqual(['light', 'standard', 'aggressive', 'max']);
    expect(lines[3]).toMatch(/\(default\)$/);
    expect(stdout).toMatch(/standard tokens: code blocks \d+%, literals \d+%, content words \d+%/);
    expect(stdout).toMatch(/median: glasgow [\d.]+×, nltk [\d.]+×, project [\d.]+×/);
    expect(stdout).toMatch(/code blocks kept verbatim, as the compiler must: glasgow [\d.]+×/);
  });
  it('--stopwords changes the metric, not the envelope', async () => {
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--json'])).toBe(0);
    const glasgow = JSON.parse(stdout);
    stdout = '';
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--json', '--stopwords', 'project'])).toBe(0);
    const project = JSON.parse(stdout);
    expect(project.tokenReductionMedian).toBe(glasgow.tokenReductionMedian);
    // 'please', 'first' are Glasgow stopwords but content words in the project list, and the compiler drops them
    expect(project.contentWordRecall).toBeLessThan(glasgow.contentWordRecall);
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--stopwords', 'nope'])).toBe(2);
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--format', 'toml'])).toBe(2);
  });
  it('--format kv-full counts the long dotted keys: less reduction than the short form', async () => {
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--json'])).toBe(0);
    const short = JSON.parse(stdout);
    stdout = '';
    expect(await main(['eval', 'compile', '--corpus', corpus(), '--json', '--format', 'kv-full'])).toBe(0);
    const full = JSON.parse(stdout);
    expect(full.tokenReductionTotal).toBeLessThan(short.tokenReductionTotal);
    expect(full.contentWordRecall).toBe(short.contentWordRecall);
  });
});
