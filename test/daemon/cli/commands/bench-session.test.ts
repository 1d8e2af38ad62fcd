import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../../daemon/cli/commands/bench-session.js';

describe('m2m bench session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-session-'));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the JSON shape the issue asks for', async () => {
    const corpus = join(dir, 'c.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ json: JSON.stringify({ role: 'user', content: `message ${i} `.repeat(1 + (i % 5)), n: i }) }));
    writeFileSync(corpus, rows.join('\n'));
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    expect(await run(['--corpus', corpus, '--json', '--frames', '2000', '--sessions', '1'])).toBe(0);
    const got = JSON.parse(chunks.join('')) as Record<string, unknown>;
    expect(Object.keys(got)).toEqual(['frames', 'ratios', 'autoCompressMBps', 'framesPerSec', 'heapPerSessionBytes']);
    expect(got.frames).toBe(30);
    const ratios = got.ratios as Record<string, number>;
    expect(Object.keys(ratios)).toEqual(expect.arrayContaining(['raw', 'tokens', 'brotli', 'tokens+ctx', 'bytes+ctx', 'brotliContextBaseline', 'auto']));
    for (const v of Object.values(ratios)) expect(v).toBeGreaterThan(0);
    expect(ratios.raw).toBeGreaterThan(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--loso replays each source against a dictionary built from the other sources only', async () => {
    const d = mkdtempSync(join(tmpdir(), 'm2m-bench-loso-'));
    const corpus = join(d, 'c.jsonl');
    const rows = Array.from({ length: 24 }, (_, i) => JSON.stringify({ source: i % 3 === 0 ? 'mcp' : 'openai', json: JSON.stringify({ jsonrpc: '2.0', id: i, method: i % 3 === 0 ? 'tools/call' : 'chat', params: { text: `row ${i} `.repeat(3) } }) }));
    writeFileSync(corpus, rows.join('\n'));
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    expect(await run(['--corpus', corpus, '--loso', '--json'])).toBe(0);
    const got = JSON.parse(chunks.join('')) as { loso: { sources: Record<string, { frames: number; baseline: number; lz: number }>; total: { frames: number }; vsBaseline: Record<string, number> } };
    expect(Object.keys(got.loso.sources).sort()).toEqual(['mcp', 'openai']);
    expect(got.loso.sources.mcp.frames).toBe(8);
    expect(got.loso.total.frames).toBe(24);
    expect(Object.keys(got.loso.vsBaseline)).toEqual(['lz', 'lzNoDict', 'brotliDict']);
    for (const v of Object.values(got.loso.vsBaseline)) expect(v).toBeGreaterThan(0);
    rmSync(d, { recursive: true, force: true });
  });

  it('requires --corpus', async () => {
    await expect(run([])).rejects.toThrow(/--corpus/);
  });
});
