import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../daemon/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

const CHAT = '{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}';

describe('m2m compress / decompress', () => {
  it('compresses with each algorithm and decompresses back', async () => {
    expect(await cli('compress', '-a', 'tn', 'Hello, world!')).toEqual({ code: 0, stdout: '#TK|C|sk0L/Q4A\n', stderr: '' });
    expect((await cli('compress', '-a', 'token-native', '--encoding', 'o200k', 'Hello, world!')).stdout).toBe('#TK|O|qWcLxxIA\n');
    expect((await cli('compress', '-a', 'token', CHAT)).stdout).toBe('#T1|{"M":"4o","m":[{"r":"u","c":"Hello"}]}\n');
    for (const a of ['auto', 'tn', 't1', 'br', 'm2m', 'none']) {
      const c = await cli('compress', '-a', a, CHAT);
      expect(c.code).toBe(0);
      const d = await cli('decompress', c.stdout.trim());
      expect(d.stdout).toBe(`${CHAT}\n`);
    }
  });

  it('prints stats to stderr and writes -o files exactly', async () => {
    const outFile = join(dir, 'wire.txt');
    const r = await cli('compress', '-a', 't1', '--stats', '-o', outFile, CHAT);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Algorithm:\s+TOKEN/);
    expect(r.stderr).toMatch(/Original:\s+65 bytes/);
    expect(readFileSync(outFile, 'utf8')).toBe('#T1|{"M":"4o","m":[{"r":"u","c":"Hello"}]}');
    const back = join(dir, 'back.json');
    expect((await cli('decompress', '-f', outFile, '-o', back)).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe(CHAT);
  });

  it('reads --file input and trims a trailing newline before decoding', async () => {
    const f = join(dir, 'in.txt');
    writeFileSync(f, '#TK|C|sk0L/Q4A\n');
    expect((await cli('decompress', '--file', f)).stdout).toBe('Hello, world!\n');
    expect((await cli('decompress', '--pretty', '{"a":1}')).stdout).toBe('{\n  "a": 1\n}\n');
  });

  it('exits 1 with a one-line message on bad input and 2 on usage errors', async () => {
    const bad = await cli('decompress', '#TK|C|sk0L/Q4');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('INVALID_BASE64');
    expect((await cli('compress', '-a', 'm2m', 'not json')).code).toBe(1);
    expect((await cli('decompress', '#M2M|1|AAAA')).code).toBe(1);
    expect((await cli('compress', '-a', 'zip', 'x')).code).toBe(2);
    expect((await cli('compress', '--encoding', 'p50k', 'x')).code).toBe(2);
    expect((await cli('compress', '--bogus', 'x')).code).toBe(2);
    expect((await cli('compress', 'a', 'b')).code).toBe(2);
    const warn = await cli('decompress', 'plain text');
    expect(warn).toMatchObject({ code: 0, stdout: 'plain text\n' });
    expect(warn.stderr).toContain('warning');
  });

  it('prints --help for every codec command', async () => {
    for (const c of ['compress', 'decompress', 'analyze', 'tokens']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: m2m ${c}`);
    }
    expect((await cli('bench', 'codecs', '--help')).stdout).toContain('Usage: m2m bench codecs');
  });
});

describe('m2m analyze / tokens', () => {
  it('analyzes as text and JSON', async () => {
    const t = await cli('analyze', CHAT);
    expect(t.stdout).toContain('Is LLM API:  true');
    expect(t.stdout).toContain('Recommended Algorithm: NONE');
    const j = JSON.parse((await cli('analyze', '--json', CHAT)).stdout) as { isJson: boolean; tokens: Record<string, number> };
    expect(j.isJson).toBe(true);
    expect(Object.keys(j.tokens)).toEqual(['cl100k', 'o200k', 'llama3']);
  });

  it('counts tokens per encoding and prints IDs', async () => {
    expect((await cli('tokens', 'Hello, world!')).stdout).toBe('cl100k  4\no200k   4\nllama3  4\n');
    expect((await cli('tokens', '-e', 'cl100k', '--ids', 'Hello, world!<|endoftext|>')).stdout).toBe('9906 11 1917 0 100257\n');
    expect(JSON.parse((await cli('tokens', '--json', '-e', 'o200k', 'Hello, world!')).stdout)).toEqual({ bytes: 13, tokens: { o200k: 4 } });
    expect((await cli('tokens', '--ids', 'x')).code).toBe(2);
  });
});
