// Real signals to a real process, using the built module (`npm run build`; skipped without dist/).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

const BUILT = resolve('dist/daemon/shutdown.js');
const HAVE_BUILD = existsSync(BUILT);

const script = (shutdownMs: number) => `
import { installSignalHandlers } from ${JSON.stringify(BUILT)};
import { silentLogger } from ${JSON.stringify(resolve('dist/daemon/log.js'))};
const keepAlive = setInterval(() => {}, 1000);
installSignalHandlers({
  logger: silentLogger(),
  graceMs: 5000,
  onShutdown: async (signal) => {
    process.stdout.write('stopping ' + signal + '\\n');
    await new Promise((r) => setTimeout(r, ${shutdownMs}));
    clearInterval(keepAlive);
  },
  onReload: () => { process.stdout.write('reloaded\\n'); },
});
process.stdout.write('ready\\n');
`;

const spawned: ChildProcess[] = [];
afterEach(() => {
  for (const p of spawned.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function run(shutdownMs: number) {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script(shutdownMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(proc);
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  proc.stdout.on('data', (d) => {
    out += String(d);
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const waitFor = (text: string) => (out.includes(text) ? Promise.resolve() : new Promise<void>((r) => waiters.push({ text, resolve: r })));
  return { proc, exited, waitFor, output: () => out };
}

describe.skipIf(!HAVE_BUILD)('signals in a real process (needs npm run build)', () => {
  it('SIGHUP reloads; SIGTERM shuts down gracefully with exit 0', async () => {
    const p = run(50);
    await p.waitFor('ready');
    p.proc.kill('SIGHUP');
    await p.waitFor('reloaded');
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('stopping SIGTERM');
  });

  it('a second signal during a slow shutdown exits 1', async () => {
    const p = run(60_000);
    await p.waitFor('ready');
    p.proc.kill('SIGTERM');
    await p.waitFor('stopping');
    p.proc.kill('SIGINT');
    expect(await p.exited).toBe(1);
  });
});
