/**
 * The e2e benchmark's machinery: two daemons as child processes (so each has
 * its own core, as in production), two agents in this process, a throughput
 * phase (pipelined sends) and a paced latency phase (1k msgs/s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { withDaemonEnv, withDaemonFlags } from '../node-flags.js';

export type BenchTransport = 'ws' | 'quic' | 'webtransport';

export interface ChildDaemon {
  proc: ChildProcess;
  socket: string;
  httpUrl: string;
  stdout: string;
  exited: Promise<number | null>;
  /** Epoch ms just before the process was spawned (its --trace-gc times count from about then). */
  spawnedAt: number;
}

/** The package root (holds package.json), from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package root not found');
    dir = up;
  }
  return dir;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Dev certificates for TLS transports, made with certs/make-dev-certs.sh into `dir`. */
export function makeCerts(dir: string, ids: string[]): { cert: string; key: string; ca: string } {
  execFileSync('bash', [join(packageRoot(), 'certs', 'make-dev-certs.sh'), dir, ...ids], { stdio: 'ignore' });
  return { cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt') };
}

export interface BenchNode {
  id: string;
  dir: string;
  listenUrl?: string;
  transport: BenchTransport;
  tls?: { cert?: string; key?: string; ca?: string };
  peer?: { id: string; url: string };
  psk: string;
  /** Scan bodies. @default true */
  scan?: boolean;
  /** Context-compress DATA on the link. @default true */
  compress?: boolean;
}

function toml(n: BenchNode): string {
  const lines = [
    '[node]', `id = "${n.id}"`,
    '[agent]', `socket_path = "${join(n.dir, `${n.id}.sock`)}"`,
    '[http]', 'host = "127.0.0.1"', 'port = 0',
    '[listen]',
  ];
  if (n.transport !== 'ws') lines.push('ws = ""');
  lines.push(`${n.transport} = "${n.listenUrl ?? ''}"`);
  for (const k of ['cert', 'key', 'ca'] as const) if (n.tls?.[k]) lines.push(`tls_${k} = "${n.tls[k]}"`);
  lines.push('[auth]', `psk = "${n.psk}"`, '[log]', 'level = "warn"', 'format = "json"', '[queue]', 'max_per_peer = 1000000');
  lines.push('[session]', 'reconnect_initial_ms = 50', 'reconnect_max_ms = 500');
  lines.push('[security]', `enabled = ${n.scan !== false}`, '[compression]', `enabled = ${n.compress !== false}`);
  // quiche checks the server name as a DNS name: the dev certificate's is "localhost".
  if (n.peer) lines.push('[[peers]]', `id = "${n.peer.id}"`, `url = "${n.peer.url}"`, 'server_name = "localhost"');
  return `${lines.join('\n')}\n`;
}

/** Start `m2m daemon --config <generated>` from the built package. */
export async function spawnDaemon(n: BenchNode): Promise<ChildDaemon> {
  const cfg = join(n.dir, `${n.id}.toml`);
  writeFileSync(cfg, toml(n));
  const main = join(packageRoot(), 'dist', 'daemon', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  // The WebTransport client has no `ca` option: it trusts Node's store, which NODE_EXTRA_CA_CERTS extends.
  const extraCa = n.transport === 'webtransport' && n.tls?.ca ? { NODE_EXTRA_CA_CERTS: n.tls.ca } : {};
  const prof = process.env.M2M_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.M2M_BENCH_CPU_PROF}`] : [];
  // Extra node flags for the daemons (e.g. --trace-gc); their stdout is then kept in M2M_BENCH_OUT/<id>.stdout.
  const flags = withDaemonFlags((process.env.M2M_BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== ''));
  const spawnedAt = Date.now();
  const proc = spawn(process.execPath, [...prof, ...flags, main, 'daemon', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...withDaemonEnv(process.env), M2M_CONFIG: '', ...extraCa } });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  const keep = process.env.M2M_BENCH_OUT;
  if (keep) void exited.then(() => writeFileSync(join(keep, `${n.id}.stdout`), stdout));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (/http api\s+(\S+)/.test(stdout)) {
        clearInterval(t);
        resolve();
      }
    }, 10);
    void exited.then((c) => {
      clearInterval(t);
      reject(new Error(`daemon ${n.id} exited with ${c}: ${stderr.slice(-2000)}`));
    });
  });
  return { proc, socket: join(n.dir, `${n.id}.sock`), httpUrl: /http api\s+(\S+)/.exec(stdout)![1], get stdout() { return stdout; }, exited, spawnedAt };
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
}

/** CPU time (user + system) a process has used, in ms (Linux /proc; clock ticks assumed 100 Hz). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Sum of a Prometheus counter's samples whose labels match. */
export async function counter(httpUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Deterministic ~1 KB chat-completion-like bodies, all different. */
export function syntheticBodies(n: number, bytes = 1024, seed = 12345): unknown[] {
  const words = ['agent', 'tool', 'result', 'summary', 'invoice', 'weather', 'compute', 'the', 'of', 'request', 'status', 'ok', 'report', 'data', 'value', 'quarterly', 'revenue', 'customer'];
  // Math.imul: a plain `seed * 1103515245` exceeds 2^53 and rounds, and the sequence then cycled after
  // ~6,000 draws (only ~1,200 distinct bodies in 22,000, which flattered compression).
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const body = { model: 'gpt-4o', messages: [{ role: 'system', content: 'You are a helpful agent.' }, { role: 'user', content: '' }], temperature: 0.2, metadata: { seq: i } };
    const room = bytes - JSON.stringify(body).length;
    let text = '';
    while (text.length < room) text += `${words[Math.floor(rnd() * words.length)]} `;
    body.messages[1].content = text.slice(0, Math.max(0, room));
    out.push(body);
  }
  return out;
}

/** Bodies of the warm-up before the measured phases: other text than any measured body (another seed). */
export function warmupBodies(n: number): unknown[] {
  return syntheticBodies(n, 1024, 777);
}

/** Bodies from a JSONL corpus: each row's `json` string parsed, or the row itself. */
export function corpusBodies(file: string): unknown[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const row = JSON.parse(l) as { json?: unknown };
    return typeof row.json === 'string' ? JSON.parse(row.json) : row;
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
