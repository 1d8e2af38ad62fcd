import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_ENV, DAEMON_NODE_FLAGS, withDaemonEnv, withDaemonFlags } from '../../../daemon/cli/node-flags.js';

const root = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const assignments = Object.entries(DAEMON_ENV).map(([k, v]) => `${k}=${v}`);

describe('daemon node flags and environment', () => {
  it('puts the default flags first and lets a caller override one by name', () => {
    expect(withDaemonFlags([])).toEqual([...DAEMON_NODE_FLAGS]);
    expect(withDaemonFlags(['--trace-gc'])).toEqual([...DAEMON_NODE_FLAGS, '--trace-gc']);
    expect(withDaemonFlags(['--v8-pool-size=4', '--trace-gc'])).toEqual(['--v8-pool-size=4', '--trace-gc']);
  });

  it('adds the default environment where the caller does not set it, and keeps the rest', () => {
    expect(withDaemonEnv({ PATH: '/bin' })).toEqual({ ...DAEMON_ENV, PATH: '/bin' });
    expect(withDaemonEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(assignments).toContain('MALLOC_MMAP_THRESHOLD_=131072');
  });

  it('every launcher in the repository carries both (m2md shebang, make run, the systemd unit)', () => {
    const shebang = readFileSync(root('daemon/cli/m2md.ts'), 'utf8').split('\n')[0].split(' ');
    expect(shebang.slice(0, 2)).toEqual(['#!/usr/bin/env', '-S']);
    const nodeAt = shebang.indexOf('node');
    expect(nodeAt).toBeGreaterThan(1);
    const run = (readFileSync(root('Makefile'), 'utf8').split('\n').find((l) => l.includes('daemon --dev')) ?? '').trim().split(' ');
    for (const f of DAEMON_NODE_FLAGS) {
      expect(shebang.slice(nodeAt + 1)).toContain(f);
      expect(run).toContain(f);
    }
    const unit = readFileSync(root('daemon/systemd/m2md.service'), 'utf8').split('\n');
    for (const a of assignments) {
      expect(shebang.slice(2, nodeAt)).toContain(a);
      expect(run.slice(0, run.indexOf('$(NODE)'))).toContain(a);
      expect(unit).toContain(`Environment=${a}`);
    }
  });
});
