import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS, withDaemonFlags } from '../../../daemon/cli/node-flags.js';

const root = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

describe('daemon node flags', () => {
  it('puts the defaults first and lets a caller override one by name', () => {
    expect(withDaemonFlags([])).toEqual([...DAEMON_NODE_FLAGS]);
    expect(withDaemonFlags(['--trace-gc'])).toEqual([...DAEMON_NODE_FLAGS, '--trace-gc']);
    expect(withDaemonFlags(['--v8-pool-size=4', '--trace-gc'])).toEqual(['--v8-pool-size=4', '--trace-gc']);
  });

  it('every launcher in the repository carries them (m2md shebang, make run)', () => {
    const shebang = readFileSync(root('daemon/cli/m2md.ts'), 'utf8').split('\n')[0];
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    const run = readFileSync(root('Makefile'), 'utf8').split('\n').find((l) => l.includes('daemon --dev')) ?? '';
    for (const f of DAEMON_NODE_FLAGS) {
      expect(shebang.split(' ')).toContain(f);
      expect(run.split(' ')).toContain(f);
    }
  });
});
