import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as check from '../../../daemon/cli/commands/config-check.js';
import * as print from '../../../daemon/cli/commands/config-print.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-cfgcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
const savedEnv = { ...process.env };
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  for (const k of Object.keys(process.env)) if (k.startsWith('M2M_')) delete process.env[k];
  process.env.HOME = dir;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('m2m config check', () => {
  it('accepts a good file and the shipped example', async () => {
    expect(await check.run([file('ok.toml', '[http]\nport = 3001\n')])).toBe(0);
    expect(stdout).toContain('ok:');
    expect(await check.run([join(import.meta.dirname, '../../../daemon/systemd/config.example.toml')])).toBe(0);
  });

  it('exits 1 naming the key and the file', async () => {
    const bad = file('bad.toml', '[security]\nblock_threshold = 2\n');
    expect(await check.run([bad])).toBe(1);
    expect(stderr).toContain(bad);
    expect(stderr).toContain('security.block_threshold');
  });

  it('exits 1 for a missing file', async () => {
    expect(await check.run([join(dir, 'none.toml')])).toBe(1);
    expect(stderr).toContain('not found');
  });

  it('without FILE checks the effective config including the environment', async () => {
    process.env.M2M_CONFIG = file('env.toml', '[http]\nport = 3002\n');
    process.env.M2M_SECURITY_ENABLED = 'perhaps';
    expect(await check.run([])).toBe(1);
    expect(stderr).toContain('M2M_SECURITY_ENABLED');
  });
});

describe('m2m config print', () => {
  it('prints TOML with flags applied and secrets redacted', async () => {
    const f = file('p.toml', '[auth]\npsk = "0123456789abcdef-secret"\n');
    expect(await print.run(['--config', f, '--port', '3999', '--blocking', '--set', 'queue.max_per_peer=42', '--sources'])).toBe(0);
    expect(stdout).toContain('port = 3999');
    expect(stdout).toContain('blocking = true');
    expect(stdout).toContain('max_per_peer = 42');
    expect(stdout).not.toContain('0123456789abcdef-secret');
    expect(stdout).toContain(`auth.psk ← ${f}`);
    expect(stdout).toContain('http.port ← flag (http.port)');
  });

  it('--json prints JSON', async () => {
    expect(await print.run(['--json', '--config', file('j.toml', '')])).toBe(0);
    expect(JSON.parse(stdout).http.port).toBe(3000);
  });
});
