/**
 * `m2m bench transports`: per transport, 1 KB round-trip p50/p99, 1 KB messages/s and 64 KB MB/s
 * through our Connection, next to the bare library measured in the same run (echo server and client
 * in one process on loopback). Target: our layer costs at most 20% over the bare library.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';
import { rigs, type Pipe } from './bench-transports-rigs.js';

export const help = `Usage: m2m bench transports [--json] [--only ws,ws+unix,webtransport,quic] [--scale N] [--rounds N]

Measures each transport through our Connection and through the bare library, in the same run:
  rttP50Ms / rttP99Ms   1 KB round trip, one message in flight
  msgsPerSec1k          1 KB messages echoed per second, sent back to back with backpressure
  mbps64k               64 KB messages: echoed payload MB/s (1 MB = 10^6 bytes)
--json prints {"<transport>":{"rttP50Ms":x,"rttP99Ms":x,"msgsPerSec1k":x,"mbps64k":x,"baseline":{…}}}.
--scale multiplies the message counts (default 1; QUIC uses far fewer: it moves ~2.5 MB/s here).
--rounds runs bare and ours alternately N times (default 2) and keeps each side's best figures,
since a shared machine varies by ±30% between runs.
Certificates come from certs/make-dev-certs.sh in a temp dir (needs openssl).`;

interface Stats {
  rttP50Ms: number;
  rttP99Ms: number;
  msgsPerSec1k: number;
  mbps64k: number;
}

/** Message counts per transport: QUIC is ~50x slower than ws in its JS layer. */
const COUNTS: Record<string, { rtt: number; small: number; big: number }> = {
  ws: { rtt: 2000, small: 40_000, big: 1500 },
  'ws+unix': { rtt: 2000, small: 40_000, big: 1500 },
  webtransport: { rtt: 1000, small: 15_000, big: 400 },
  quic: { rtt: 200, small: 1500, big: 30 },
};

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(pipe: Pipe, counts: { rtt: number; small: number; big: number }): Promise<Stats> {
  let onMsg: () => void = () => {};
  pipe.onMessage(() => onMsg());
  const kb = new Uint8Array(1024).fill(7);
  const rtts: number[] = [];
  const warm = Math.min(50, counts.rtt / 10);
  for (let i = 0; i < counts.rtt + warm; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      onMsg = r;
      pipe.send(kb);
    });
    if (i >= warm) rtts.push(performance.now() - t0);
  }
  rtts.sort((a, b) => a - b);
  const rate = async (msg: Uint8Array, n: number): Promise<number> => {
    let got = 0;
    const done = new Promise<void>((r) => (onMsg = () => ++got === n && r()));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (!pipe.send(msg)) await pipe.drained();
    await done;
    return n / ((performance.now() - t0) / 1000);
  };
  const msgsPerSec1k = await rate(kb, counts.small);
  const big = new Uint8Array(64 * 1024).fill(9);
  const mbps64k = ((await rate(big, counts.big)) * big.byteLength) / 1e6;
  return { rttP50Ms: round(pct(rtts, 50)), rttP99Ms: round(pct(rtts, 99)), msgsPerSec1k: Math.round(msgsPerSec1k), mbps64k: round(mbps64k) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Best of two runs: lowest latencies, highest rates. */
function best(a: Stats | undefined, b: Stats): Stats {
  if (!a) return b;
  return {
    rttP50Ms: Math.min(a.rttP50Ms, b.rttP50Ms),
    rttP99Ms: Math.min(a.rttP99Ms, b.rttP99Ms),
    msgsPerSec1k: Math.max(a.msgsPerSec1k, b.msgsPerSec1k),
    mbps64k: Math.max(a.mbps64k, b.mbps64k),
  };
}

function findScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'certs', 'make-dev-certs.sh');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('certs/make-dev-certs.sh not found next to the package');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, only: { type: 'string' }, scale: { type: 'string' }, rounds: { type: 'string' } });
  const rounds = values.rounds === undefined ? 2 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds must be a positive integer');
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError('--scale must be a positive number');
  const only = typeof values.only === 'string' ? values.only.split(',') : undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'm2m-bench-'));
  try {
    execFileSync('bash', [findScript(), join(scratch, 'certs')], { stdio: 'ignore' });
    const all = await rigs(join(scratch, 'certs'), scratch);
    const unknown = only?.filter((o) => !all.some((r) => r.name === o)) ?? [];
    if (unknown.length > 0) throw new UsageError(`unknown transport(s): ${unknown.join(', ')}`);
    const result: Record<string, Stats & { baseline: Stats }> = {};
    for (const rig of all.filter((r) => !only || only.includes(r.name))) {
      const c = COUNTS[rig.name];
      const counts = { rtt: Math.ceil(c.rtt * scale), small: Math.ceil(c.small * scale), big: Math.ceil(c.big * scale) };
      let baseline: Stats | undefined;
      let mine: Stats | undefined;
      for (let i = 0; i < rounds; i++) {
        const bare = await rig.bare();
        baseline = best(baseline, await measure(bare, counts));
        await bare.close();
        const ours = await rig.ours();
        mine = best(mine, await measure(ours, counts));
        await ours.close();
      }
      result[rig.name] = { ...(mine as Stats), baseline: baseline as Stats };
      if (!values.json) out(line(rig.name, mine as Stats, baseline as Stats));
    }
    if (values.json) out(JSON.stringify(result));
    return EXIT_OK;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function line(name: string, s: Stats, b: Stats): string {
  const r = (x: number, y: number): string => `${(x / y).toFixed(2)}x`;
  return (
    `${name.padEnd(13)} rtt p50 ${s.rttP50Ms.toFixed(3)} ms (bare ${b.rttP50Ms.toFixed(3)}, ${r(s.rttP50Ms, b.rttP50Ms)})  ` +
    `p99 ${s.rttP99Ms.toFixed(3)} (bare ${b.rttP99Ms.toFixed(3)})  ` +
    `1k ${s.msgsPerSec1k} msg/s (bare ${b.msgsPerSec1k}, ${r(s.msgsPerSec1k, b.msgsPerSec1k)})  ` +
    `64k ${s.mbps64k.toFixed(1)} MB/s (bare ${b.mbps64k.toFixed(1)}, ${r(s.mbps64k, b.mbps64k)})`
  );
}
