/** Runs the built daemon (`dist/`) as a child process for kill/restart/signal tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const MAIN = resolve('dist/daemon/cli/main.js');
/** Child-process tests need `npm run build` (make test builds before vitest). */
export const HAVE_BUILD = existsSync(MAIN) && existsSync(resolve('dist/daemon/daemon.js'));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function writeToml(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface Child {
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** Start `m2m daemon --config FILE`; resolves once it printed that it runs. */
export async function spawnDaemon(configFile: string, args: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [MAIN, 'daemon', '--config', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, M2M_CONFIG: '' } });
  const child: Child = { proc, stdout: '', stderr: '', exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
  proc.stdout!.on('data', (d) => (child.stdout += d));
  proc.stderr!.on('data', (d) => (child.stderr += d));
  await new Promise<void>((resolveUp, reject) => {
    const t = setInterval(() => {
      if (child.stdout.includes('is running')) {
        clearInterval(t);
        resolveUp();
      }
    }, 10);
    void child.exited.then((code) => {
      clearInterval(t);
      reject(new Error(`daemon exited with ${code}: ${child.stderr}`));
    });
  });
  return child;
}
