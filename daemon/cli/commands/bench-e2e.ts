/** `m2m bench e2e`: agent → daemon → daemon → agent with scanning on. */
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAgent, type AgentClient } from '../../client/connect-agent.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';
import { corpusBodies, counter, freePort, makeCerts, packageRoot, percentile, rssMb, cpuMs, spawnDaemon, syntheticBodies, tempDir, warmupBodies, type BenchTransport, type ChildDaemon } from './bench-e2e-run.js';

export const help = `Usage: m2m bench e2e [--corpus FILE.jsonl] [--transport ws|quic|webtransport] [--json]

Starts two daemons (child processes of the built package) linked over the
transport, connects agent "alice" (this process) to the first and "bob" (a
child process, as real agents are separate processes) to the second, and
measures with security scanning on:
  0. warm-up (not measured): --warmup bodies of other text sent back to back (the
     first one waits for both daemons to build their session dictionaries, once per
     process; the text output prints how long it took; the rest let the JIT compile
     the burst's code before it is measured), then --warmup-paced more paced at --rate;
  1. throughput: --messages bodies sent back to back (pipelined acks);
  2. latency: after a pause and --latency-warmup paced messages (not measured),
     --latency-messages bodies paced at --rate msgs/s, send → arrival.
Every body is checked intact on arrival, byte for byte against the JSON text the sending
agent wrote; lost and duplicated are counted.
Bodies: the corpus rows (their "json" field), else synthetic 1 KB JSON.
--json prints {"transport","messages","intact","lost","duplicated","msgsPerSec",
"latencyP50Ms","latencyP99Ms","wireBytesPerJsonByte","rssMb"} (rssMb = the larger
idle daemon RSS, measured 3 s after the link is up, before traffic).

Options:
      --corpus FILE         JSONL corpus (default: synthetic 1 KB bodies)
      --transport T         ws (default), quic or webtransport
      --messages N          throughput phase messages (default 20000; quic 2000)
      --latency-messages N  latency phase messages (default 2000; quic 500)
      --rate R              latency phase rate in msgs/s (default 1000)
      --warmup N            warm-up messages sent back to back before the measured phases (default 5000)
      --warmup-paced N      warm-up messages paced at --rate after those (default 500, at most --latency-messages)
      --latency-warmup N    messages paced at --rate right before the latency phase, not measured (default:
                            3 s of them, 3000 at the default rate; 0 for none)
      --no-scan             turn scanning off (to see what the scan costs)
      --no-compress         send DATA raw instead of context-compressed
      --settle-ms MS        idle time before the RSS sample (default 3000)
      --baseline            first measure the same pipeline with scanning and compression
                            off (fresh daemons, same invocation) and print both and their
                            ratio: how much of a result is this host right now (--json adds
                            "baseline": {msgsPerSec, latencyP50Ms, latencyP99Ms})
      --json                machine-readable result
Set M2M_BENCH_CPU_PROF=DIR to write the two daemons' CPU profiles into DIR, M2M_BENCH_NODE_FLAGS to pass
node flags to them (e.g. "--trace-gc") and M2M_BENCH_OUT=DIR to keep their stdout as DIR/<node>.stdout
and the latency phase's [send ms, latency ms] pairs as DIR/latencies.json, the phases' bounds and the
processes' spawn times (epoch ms) as DIR/phases.json; M2M_BENCH_AGENT_FLAGS passes node flags to the
receiving agent (its stdout then goes to DIR/bob.stdout); M2M_BENCH_PHASE_SIGNAL=SIG sends SIG to both daemons
when the latency phase starts and when it ends (e.g. SIGUSR2 with --heapsnapshot-signal=SIGUSR2).`;

/** What `--json` prints (plus `baseline` with `--baseline`). */
interface E2eResult {
  transport: BenchTransport;
  messages: number;
  intact: number;
  lost: number;
  duplicated: number;
  msgsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  wireBytesPerJsonByte: number;
  rssMb: number;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    corpus: { type: 'string' }, transport: { type: 'string' }, json: { type: 'boolean' },
    messages: { type: 'string' }, 'latency-messages': { type: 'string' }, rate: { type: 'string' }, warmup: { type: 'string' }, 'warmup-paced': { type: 'string' }, 'latency-warmup': { type: 'string' }, 'no-scan': { type: 'boolean' }, 'no-compress': { type: 'boolean' }, 'settle-ms': { type: 'string' },
    baseline: { type: 'boolean' },
  });
  const settleMs = Number(values['settle-ms'] ?? 3000);
  const scan = values['no-scan'] !== true;
  const compress = values['no-compress'] !== true;
  const transport = ((values.transport as string | undefined) ?? 'ws') as BenchTransport;
  if (!['ws', 'quic', 'webtransport'].includes(transport)) throw new UsageError('--transport must be ws, quic or webtransport');
  const slow = transport === 'quic';
  const N = Number(values.messages ?? (slow ? 2000 : 20000));
  const M = Number(values['latency-messages'] ?? (slow ? 500 : 2000));
  const rate = Number(values.rate ?? 1000);
  // 5,000, not a few hundred: --trace-opt showed each daemon's one V8 helper compiling 41–47 functions
  // (380–500 ms of TurboFan) in the first 0.5 s of a throughput phase that followed 200; after 5,000,
  // 11–12 (20–40 ms). Ten interleaved pairs: msgs/s median 9.3k → 10.1k.
  const WB = Number(values.warmup ?? 5000);
  const WP = Number(values['warmup-paced'] ?? Math.min(500, M));
  const LW = Number(values['latency-warmup'] ?? Math.round(3 * rate));
  if (!(N > 0) || !(M >= 0) || !(rate > 0) || !(WB >= 0) || !(WP >= 0) || !(LW >= 0)) throw new UsageError('--messages, --latency-messages, --rate, --warmup, --warmup-paced and --latency-warmup must be positive numbers');
  const W = WB + WP;
  const warmJsons = warmupBodies(W + LW).map((b) => JSON.stringify(b));
  const bodies = values.corpus ? corpusBodies(values.corpus as string) : syntheticBodies(N + M);
  if (bodies.length === 0) throw new UsageError('the corpus has no rows');
  // Only the bodies' JSON sizes are kept: 22,000 JSON strings more in this process (~22 MB of heap)
  // made its collections longer, and they run on the cores the daemons are measured on.
  const jsonLen = Float64Array.from(bodies, (b) => Buffer.byteLength(JSON.stringify(b)));
  const avgBody = Math.round(jsonLen.reduce((s, n) => s + n, 0) / jsonLen.length);
  const setup: Setup = { transport, N, M, rate, W, WB, LW, settleMs, corpus: values.corpus as string | undefined, bodies, warmJsons, jsonLen };
  const total = N + M;
  try {
    // The same pipeline with scanning and compression off, first, in the same invocation: what this host gives
    // the four processes right now (runs here vary by up to 1.3× from minute to minute).
    const base = values.baseline ? await measure(setup, false, false) : undefined;
    const { result, cpuPerMsgUs, latencyCpuUs, firstMessageMs } = await measure(setup, scan, compress);
    const baseline = base && { msgsPerSec: base.result.msgsPerSec, latencyP50Ms: base.result.latencyP50Ms, latencyP99Ms: base.result.latencyP99Ms };
    if (values.json) out(JSON.stringify(baseline ? { ...result, baseline } : result));
    else {
      out(`bench e2e over ${transport}: ${total} messages (${N} throughput + ${M} paced at ${rate}/s), scanning ${scan ? 'on' : 'OFF'}, link compression ${compress ? 'on' : 'off'}`);
      out(`  intact ${result.intact}, lost ${result.lost}, duplicated ${result.duplicated}`);
      if (W > 0) out(`  warm-up          ${W} messages (not measured); the first arrived after ${firstMessageMs.toFixed(1)} ms`);
      if (LW > 0) out(`  latency warm-up  ${LW} messages paced at ${rate}/s (not measured)`);
      out(`  throughput       ${result.msgsPerSec} msgs/s (avg body ${avgBody} B)`);
      out(`  CPU µs/message   ${cpuPerMsgUs} (sender/receiver = daemons; alice/bob = agents)`);
      out(`  latency p50/p99  ${result.latencyP50Ms} / ${result.latencyP99Ms} ms`);
      out(`  CPU µs/message   ${latencyCpuUs} (latency phase)`);
      out(`  wire/JSON bytes  ${result.wireBytesPerJsonByte}`);
      out(`  idle daemon RSS  ${result.rssMb} MB`);
      if (baseline) {
        out(`  baseline (same run, scanning and compression off): ${baseline.msgsPerSec} msgs/s, p50/p99 ${baseline.latencyP50Ms} / ${baseline.latencyP99Ms} ms, CPU µs/message ${base!.cpuPerMsgUs}`);
        const dp99 = result.latencyP99Ms - baseline.latencyP99Ms;
        out(`  against baseline: throughput ×${(result.msgsPerSec / baseline.msgsPerSec).toFixed(2)}, p99 ${dp99 >= 0 ? '+' : '−'}${Math.abs(dp99).toFixed(3)} ms`);
      }
    }
    const whole = (r: E2eResult): boolean => r.lost === 0 && r.duplicated === 0 && r.intact === total;
    return whole(result) && (base === undefined || whole(base.result)) ? EXIT_OK : EXIT_BAD_INPUT;
  } catch (e) {
    err(`bench e2e: ${(e as Error).message}`);
    return EXIT_BAD_INPUT;
  }
}

/** What both measured configurations share. */
interface Setup {
  transport: BenchTransport;
  N: number;
  M: number;
  rate: number;
  W: number;
  /** Of the W warm-up messages, how many go back to back (the rest are paced at `rate`). */
  WB: number;
  /** Messages paced at `rate` right before the latency phase (not measured; their bodies follow the W in `warmJsons`). */
  LW: number;
  settleMs: number;
  corpus: string | undefined;
  bodies: unknown[];
  warmJsons: string[];
  jsonLen: Float64Array;
}

/** CPU time (ms) each process has used so far. */
function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
}

/** `sender 77, receiver 50, …`: each process's CPU µs per message since `before`, over `count` messages. */
function cpuPerMessage(pids: Record<string, number>, before: Record<string, number>, count: number): string {
  return Object.entries(pids).map(([k, pid]) => `${k} ${Math.round(((cpuMs(pid) - before[k]) * 1000) / count)}`).join(', ');
}

/** How many of a burst's sends may await their ack at once. */
const WINDOW = 1000;

/**
 * Call `send(0)` … `send(count - 1)` back to back, at most {@link WINDOW} awaiting their ack; resolves once
 * every one is acknowledged, rejects with the first failure. A counter and one waiter, not Promise.race over
 * the window: race attaches a reaction to every pending send on every call (O(WINDOW) per message), which
 * cost this process more CPU than the agent client itself and took it from the daemons on a small box.
 */
async function burst(count: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let inflight = 0;
  let slot: (() => void) | undefined;
  let failure: unknown;
  const settled = (): void => {
    inflight--;
    const s = slot;
    slot = undefined;
    s?.();
  };
  for (let i = 0; i < count && failure === undefined; i++) {
    inflight++;
    send(i).then(settled, (e: unknown) => {
      failure ??= e;
      settled();
    });
    if (inflight >= WINDOW) await new Promise<void>((r) => (slot = r));
  }
  while (inflight > 0) await new Promise<void>((r) => (slot = r));
  if (failure !== undefined) throw failure;
}

/**
 * Call `send(0)` … `send(count - 1)` at `rate` per second from now; resolves, once the last is sent, to
 * their promises. Paced by timers only: a spin-wait would take a whole core from the daemons on a small
 * box. Each send records its own time, so timer jitter shifts send times but not measured latencies.
 */
async function paced(count: number, rate: number, send: (j: number) => Promise<unknown>): Promise<Promise<unknown>[]> {
  const sent: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let j = 0; j < count; j++) {
    const wait = t0 + (j * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent.push(send(j));
  }
  return sent;
}

/** One full measurement (fresh daemons and receiving agent) with scanning and link compression as given. */
async function measure(setup: Setup, scan: boolean, compress: boolean): Promise<{ result: E2eResult; cpuPerMsgUs: string; latencyCpuUs: string; firstMessageMs: number }> {
  const { transport, N, M, rate, W, WB, LW, settleMs, bodies, warmJsons, jsonLen } = setup;
  const keep = process.env.M2M_BENCH_OUT;
  const tmp = tempDir();
  const children: ChildDaemon[] = [];
  const clients: AgentClient[] = [];
  let stopReceiver = (): unknown => undefined;
  try {
    const psk = randomBytes(24).toString('hex');
    const tls = transport === 'ws' ? undefined : makeCerts(tmp.dir, ['node-a', 'node-b']);
    const port = await freePort();
    const url = transport === 'ws' ? `ws://127.0.0.1:${port}/m2m` : transport === 'quic' ? `quic://127.0.0.1:${port}` : `https://127.0.0.1:${port}/m2m`;
    const b = await spawnDaemon({ id: 'node-b', dir: tmp.dir, transport, listenUrl: url, tls, psk, scan, compress });
    children.push(b);
    const a = await spawnDaemon({ id: 'node-a', dir: tmp.dir, transport, tls: tls && { ca: tls.ca }, peer: { id: 'node-b', url }, psk, scan, compress });
    children.push(a);
    const alice = await connectAgent({ agent: 'alice', path: a.socket });
    clients.push(alice);
    const total = N + M;
    // M2M_BENCH_AGENT_FLAGS: node flags for the receiving agent; with M2M_BENCH_OUT its stdout is kept as DIR/bob.stdout.
    const agentFlags = (process.env.M2M_BENCH_AGENT_FLAGS ?? '').split(' ').filter((f) => f !== '');
    const bobSpawnedAt = Date.now();
    const receiver = fork(join(packageRoot(), 'dist', 'daemon', 'cli', 'commands', 'bench-e2e-receiver.js'), [b.socket, setup.corpus ?? '', String(total), String(W + LW)], { stdio: ['ignore', keep ? 'pipe' : 'inherit', 'inherit', 'ipc'], execArgv: agentFlags });
    if (keep) {
      let bobOut = '';
      receiver.stdout!.on('data', (d) => (bobOut += d));
      receiver.once('exit', () => writeFileSync(join(keep, 'bob.stdout'), bobOut));
    }
    stopReceiver = () => receiver.kill('SIGTERM');
    await new Promise<void>((resolve, reject) => {
      receiver.once('message', () => resolve());
      receiver.once('exit', (c) => reject(new Error(`the receiving agent exited with ${c}`)));
    });
    for (let i = 0; ; i++) {
      const peers = await alice.peers();
      if (peers[0]?.state === 'connected') break;
      if (i > 300) throw new Error('the daemons did not link within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Idle: linked, start-up garbage collected, no traffic yet.
    await new Promise((r) => setTimeout(r, settleMs));
    const idleRss = Math.max(rssMb(a.proc.pid!), rssMb(b.proc.pid!));

    const sentAt = new Float64Array(total);
    // Arrival time (epoch ms) of each measured message, 0 until it arrives: typed arrays rather than a Map of
    // objects, so this process's collector has nothing to trace on the cores the daemons are measured on.
    const arrivedAt = new Float64Array(total);
    let arrived = 0;
    let intact = 0;
    let duplicated = 0;
    let jsonBytes = 0;
    let wake: (() => void) | undefined;
    // Arrival times come from the receiver process as epoch ms; send times are taken the same way.
    let warmArrived = 0;
    let warmIntact = 0;
    let firstWarmAt = 0;
    receiver.on('message', (m: { a?: number[]; dup?: number }) => {
      const a = m.a ?? [];
      for (let k = 0; k < a.length; k += 3) {
        if (a[k] >= total) {
          warmArrived++;
          warmIntact += a[k + 2];
          if (firstWarmAt === 0 || a[k + 1] < firstWarmAt) firstWarmAt = a[k + 1];
          continue;
        }
        if (arrivedAt[a[k]] === 0) arrived++;
        arrivedAt[a[k]] = a[k + 1];
        intact += a[k + 2];
      }
      duplicated += m.dup ?? 0;
      wake?.();
    });
    const now = () => performance.timeOrigin + performance.now();
    const waitFor = async (count: number, arrivedCount = () => arrived) => {
      let last = arrivedCount();
      let lastChange = performance.now();
      while (arrivedCount() < count) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
        if (arrivedCount() !== last) {
          last = arrivedCount();
          lastChange = performance.now();
        } else if (performance.now() - lastChange > 15_000) break;
      }
    };
    const send = (i: number) => {
      sentAt[i] = now();
      jsonBytes += jsonLen[i % jsonLen.length];
      return alice.send('bob@node-b', bodies[i % bodies.length], { id: i });
    };

    // Phase 0, not measured: the first DATA makes each daemon build its session dictionaries (once per
    // process, ~0.2–0.35 s) and the code paths get compiled; the throughput phase measures what follows.
    const warmStart = now();
    const warmSend = (k: number) => alice.send('bob@node-b', JSON.parse(warmJsons[k]) as unknown, { id: total + k });
    await burst(WB, warmSend);
    await waitFor(WB, () => warmArrived);
    // Then paced as the latency phase will be: one message per frame and a wake-up per message run other
    // code than a burst (other stream states, timers, the engine chooser's light-link path). The latency
    // phase gets its own paced warm-up as well (below): the throughput burst re-specialises the code.
    await Promise.all(await paced(W - WB, rate, (j) => warmSend(WB + j)));
    await waitFor(W, () => warmArrived);
    if (warmArrived < W || warmIntact < W) throw new Error(`warm-up: ${warmArrived} of ${W} messages arrived, ${warmIntact} intact`);
    const firstMessageMs = W > 0 ? firstWarmAt - warmStart : 0;
    await new Promise((r) => setTimeout(r, 200));
    const wire0 = await counter(a.httpUrl, 'm2m_wire_bytes_total', { direction: 'out' });

    // Phase 1: throughput, up to WINDOW sends awaiting their ack.
    const pids = { sender: a.proc.pid!, receiver: b.proc.pid!, bob: receiver.pid!, alice: process.pid };
    const cpu0 = cpuSnapshot(pids);
    const t0 = now();
    await burst(N, send);
    await waitFor(N);
    let lastArrival = t0;
    for (let i = 0; i < N; i++) lastArrival = Math.max(lastArrival, arrivedAt[i]);
    const msgsPerSec = N / ((lastArrival - t0) / 1000);
    // CPU per message in each process over the throughput phase: shows which one a faster box would need.
    const cpuPerMsgUs = cpuPerMessage(pids, cpu0, N);

    // Phase 2: latency at a fixed rate, after a pause so it measures the steady state at that rate
    // rather than the garbage left by the burst.
    await new Promise((r) => setTimeout(r, 1000));
    const wireBeforeWarm = await counter(a.httpUrl, 'm2m_wire_bytes_total', { direction: 'out' });
    // M2M_BENCH_PHASE_SIGNAL (e.g. SIGUSR2, with --heapsnapshot-signal): both daemons get it as the latency phase starts and ends.
    const phaseSignal = process.env.M2M_BENCH_PHASE_SIGNAL as NodeJS.Signals | undefined;
    const signalDaemons = (): void => {
      if (phaseSignal) for (const c of children) c.proc.kill(phaseSignal);
    };
    // Then the rate's own warm-up. The burst re-specialised the code for batches of hundreds (V8 optimised and
    // deoptimised dozens of functions there), and without this the JIT recompiled them for single-message
    // frames inside the measured phase: --trace-opt over a 12 s paced phase gave 19–36 optimisations per
    // daemon (64–144 ms of compiles on their one V8 helper) in its first second, 10–12 in the second, then
    // 0–7 per second; p99 per second 5.0, 5.9, 5.0, then 2.6–5.1 ms. Those compiles hold a core for 1–20 ms.
    await Promise.all(await paced(LW, rate, (j) => warmSend(W + j)));
    await waitFor(W + LW, () => warmArrived);
    if (warmArrived < W + LW || warmIntact < W + LW) throw new Error(`latency warm-up: ${warmArrived - W} of ${LW} messages arrived, ${warmIntact - W} intact`);
    const wireWarm = (await counter(a.httpUrl, 'm2m_wire_bytes_total', { direction: 'out' })) - wireBeforeWarm;
    signalDaemons();
    const cpu1 = cpuSnapshot(pids);
    const t1 = now();
    await Promise.all(await paced(M, rate, (j) => send(N + j)));
    await waitFor(total);
    signalDaemons();
    const latencyCpuUs = cpuPerMessage(pids, cpu1, M);
    const lat: number[] = [];
    const timeline: [number, number][] = [];
    for (let j = N; j < total; j++) {
      const at = arrivedAt[j];
      if (at === 0) continue;
      lat.push(at - sentAt[j]);
      timeline.push([Math.round(sentAt[j] - t1), Math.round((at - sentAt[j]) * 1000) / 1000]);
    }
    // With M2M_BENCH_OUT, keep each paced message's send time (ms into the phase) and latency (ms): where the tail sits.
    if (keep) {
      writeFileSync(join(keep, 'latencies.json'), JSON.stringify(timeline));
      // Phase bounds (epoch ms) and each daemon's spawn time: lines up their --trace-gc output with the phases.
      const spawned = { ...Object.fromEntries(children.map((c, k) => [k === 0 ? 'node-b' : 'node-a', c.spawnedAt])), bob: bobSpawnedAt };
      writeFileSync(join(keep, 'phases.json'), JSON.stringify({ spawned, self: performance.timeOrigin, throughput: [t0, lastArrival], latency: [t1, now()] }));
    }
    lat.sort((x, y) => x - y);
    const wire = (await counter(a.httpUrl, 'm2m_wire_bytes_total', { direction: 'out' })) - wire0 - wireWarm;
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const result: E2eResult = {
      transport,
      messages: total,
      intact,
      lost: total - arrived,
      duplicated,
      msgsPerSec: Math.round(msgsPerSec),
      latencyP50Ms: r3(percentile(lat, 50)),
      latencyP99Ms: r3(percentile(lat, 99)),
      wireBytesPerJsonByte: r3(wire / jsonBytes),
      rssMb: idleRss,
    };
    return { result, cpuPerMsgUs, latencyCpuUs, firstMessageMs };
  } finally {
    stopReceiver();
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => Promise.race([c.exited, new Promise((r) => setTimeout(r, 3000))])));
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    tmp.remove();
  }
}
