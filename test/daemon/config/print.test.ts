import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../daemon/config/load.js';
import { configToToml, REDACTED } from '../../../daemon/config/print.js';
import { flagsFromArgs } from '../../../daemon/config/flags.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configToToml', () => {
  it('round-trips through loadConfig when nothing is redacted', () => {
    const src = join(dir, 'in.toml');
    writeFileSync(src, '[node]\nid = "a"\n[agent]\nsocket_mode = "0600"\n[[peers]]\nid = "b"\nurl = "ws://127.0.0.1:7401"\n[toon.custom_key_mappings]\nlong_name = "ln"\n');
    const c = loadConfig({ file: src, env: {} });
    const out = join(dir, 'out.toml');
    writeFileSync(out, configToToml(c, { redact: false }));
    expect(loadConfig({ file: out, env: {} })).toEqual(c);
  });

  it('redacts PSKs by default', () => {
    const c = loadConfig({ searchPaths: [], env: {}, flags: { 'auth.psk': 'a-very-secret-key-123' } });
    const text = configToToml(c);
    expect(text).not.toContain('a-very-secret-key-123');
    expect(text).toContain(REDACTED);
  });
});

describe('flagsFromArgs', () => {
  it('maps CLI flags to dotted keys', () => {
    expect(flagsFromArgs({ port: '3001', blocking: true, 'no-security': true, set: ['queue.max_per_peer=5'] })).toEqual({
      'http.port': '3001',
      'security.blocking': true,
      'security.enabled': false,
      'queue.max_per_peer': '5',
    });
    expect(() => flagsFromArgs({ set: ['novalue'] })).toThrow(/KEY=VALUE/);
  });
});
