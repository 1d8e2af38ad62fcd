import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Daemon } from '../../../daemon/daemon.js';
import { connectAgent, type AgentClient } from '../../../daemon/client/connect-agent.js';
import { tempDir } from '../helpers.js';
import { PSK, startNode, until } from './harness.js';
import { HAVE_BUILD, freePort, spawnDaemon, writeToml, type Child } from './child.js';

const daemons: Daemon[] = [];
const children: Child[] = [];
const clients: AgentClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  await Promise.all(daemons.splice(0).map((d) => d.stop(500)));
});

function tomlFor(id: string, dir: string, port: number, extra = ''): string {
  return `[node]
id = "${id}"
[agent]
socket_path = "${join(dir, `${id}.sock`)}"
[http]
enabled = false
[listen]
ws = "ws://127.0.0.1:${port}/m2m"
[auth]
psk = "${PSK}"
[log]
level = "warn"
[session]
reconnect_initial_ms = 20
reconnect_max_ms = 200
${extra}`;
}

async function connectRetry(path: string, agent: string, seen?: Set<string>): Promise<AgentClient> {
  for (let i = 0; ; i++) {
    try {
      const c = await connectAgent({ agent, path, seen });
      clients.push(c);
      return c;
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe.skipIf(!HAVE_BUILD)('peer daemon killed and restarted mid-stream (child process, needs npm run build)', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal}: every message arrives once, in order`, async () => {
      const dir = tempDir();
      const port = await freePort();
      const cfg = writeToml(dir, 'b.toml', tomlFor('node-b', dir, port));
      let b = await spawnDaemon(cfg);
      children.push(b);
      const a = await startNode({ id: 'node-a', dir, peers: [{ id: 'node-b', url: `ws://127.0.0.1:${port}/m2m` }] });
      daemons.push(a);
      const alice = await connectAgent({ agent: 'alice', path: a.agentSocket });
      clients.push(alice);
      const got: number[] = [];
      let bob = await connectRetry(join(dir, 'node-b.sock'), 'bob');
      // Start on a live link (priming the session dictionary takes a moment), so the first sends go straight out.
      await until(() => a.peers.connectedCount === 1, 20_000);
      const collect = (c: AgentClient) => c.on('message', (m) => got.push((m.body as { i: number }).i));
      collect(bob);
      const N = 1500;
      const statuses = new Set<string>();
      for (let i = 0; i < N; i++) {
        const ack = await alice.send('bob@node-b', { i, pad: 'p'.repeat(200) });
        statuses.add(ack.status);
        if (i === 600) {
          b.proc.kill(signal);
          expect(await b.exited).toBe(signal === 'SIGTERM' ? 0 : null);
          b = await spawnDaemon(cfg);
          children.push(b);
          bob = await connectRetry(join(dir, 'node-b.sock'), 'bob', bob.seen);
          collect(bob);
        }
      }
      await until(() => got.length >= N, 20_000);
      await new Promise((r) => setTimeout(r, 100));
      expect(got.length).toBe(N);
      expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
      expect(statuses.has('sent')).toBe(true);
    });
  }

  it('SIGTERM flushes what the agent sent, exits 0; grace ran out → exit 1; second signal → exit 1', async () => {
    const dir = tempDir();
    const portA = await freePort();
    const portB = await freePort();
    const a = await startNode({ id: 'node-a', dir, ws: `ws://127.0.0.1:${portA}/m2m` });
    daemons.push(a);
    const alice = await connectAgent({ agent: 'alice', path: a.agentSocket });
    clients.push(alice);
    const got: unknown[] = [];
    alice.on('message', (m) => got.push(m.body));
    const b = await spawnDaemon(writeToml(dir, 'b.toml', tomlFor('node-b', dir, portB, `[[peers]]\nid = "node-a"\nurl = "ws://127.0.0.1:${portA}/m2m"\n`)));
    children.push(b);
    const bob = await connectRetry(join(dir, 'node-b.sock'), 'bob');
    await until(() => a.peers.connectedCount === 1);
    await Promise.all(Array.from({ length: 400 }, (_, i) => bob.send('alice@node-a', { i })));
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    await until(() => got.length === 400);
    await until(() => a.peers.all()[0]?.lastClose === 'peer closed: SERVER_SHUTDOWN');

    // A peer that never answers: queued messages cannot flush.
    const dead = await freePort();
    const extra = `[[peers]]\nid = "ghost"\nurl = "ws://127.0.0.1:${dead}/m2m"\n[shutdown]\ngrace_ms = 300\n`;
    const c = await spawnDaemon(writeToml(dir, 'c.toml', tomlFor('node-c', dir, await freePort(), extra)));
    children.push(c);
    const carol = await connectRetry(join(dir, 'node-c.sock'), 'carol');
    expect((await carol.send('x@ghost', 1)).status).toBe('queued');
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(1);

    const extra2 = `[[peers]]\nid = "ghost"\nurl = "ws://127.0.0.1:${dead}/m2m"\n[shutdown]\ngrace_ms = 20000\n`;
    const d = await spawnDaemon(writeToml(dir, 'd.toml', tomlFor('node-d', dir, await freePort(), extra2)));
    children.push(d);
    const dave = await connectRetry(join(dir, 'node-d.sock'), 'dave');
    await dave.send('x@ghost', 1);
    d.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    expect(d.proc.exitCode).toBe(null);
    d.proc.kill('SIGTERM');
    expect(await d.exited).toBe(1);
  });

  it('a bad config file fails with one error naming the key and the file', async () => {
    const dir = tempDir();
    const cfg = writeToml(dir, 'bad.toml', '[security]\nblock_threshold = 7\n');
    await expect(spawnDaemon(cfg)).rejects.toThrow(/block_threshold[\s\S]*bad\.toml|bad\.toml[\s\S]*block_threshold/);
  });
});
