import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Daemon } from '../../../daemon/daemon.js';
import { connectAgent, type AgentClient } from '../../../daemon/client/connect-agent.js';
import type { IncomingMsg } from '../../../daemon/agent-api/messages.js';
import { keywordClassifier, tempDir } from '../helpers.js';
import { configFor, until, PSK } from './harness.js';
import { startDaemon } from '../../../daemon/daemon.js';
import { createLogger } from '../../../daemon/log.js';

const dir = tempDir();
const daemons: Daemon[] = [];
const clients: AgentClient[] = [];
let a: Daemon;
let b: Daemon;

beforeAll(async () => {
  execFileSync('bash', [resolve('certs/make-dev-certs.sh'), dir, 'node-a', 'node-b'], { stdio: 'ignore' });
  const tls = { cert: `${dir}/server.crt`, key: `${dir}/server.key`, ca: `${dir}/ca.crt` };
  b = await startDaemon(configFor({ id: 'node-b', dir, quic: 'quic://127.0.0.1:0', tls }), { logger: createLogger({ level: 'silent' }), classifier: keywordClassifier() });
  daemons.push(b);
  const cfgA = configFor({ id: 'node-a', dir, extra: { 'listen.tls_ca': tls.ca } });
  // quiche checks the server name as a DNS name; the dev certificate's is localhost.
  a = await startDaemon({ ...cfgA, peers: [{ id: 'node-b', url: b.listening[0], psk: '', tls_ca: '', server_name: 'localhost', cert_sha256: '' }] }, { logger: createLogger({ level: 'silent' }), classifier: keywordClassifier() });
  daemons.push(a);
  await until(() => a.peers.connectedCount === 1 && b.peers.connectedCount === 1, 20_000);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(daemons.map((d) => d.stop(1000)));
});

describe('two daemons over QUIC with several agents', () => {
  it('routes between three agents on each side, in order, bodies intact, verdicts attached', async () => {
    expect(PSK.length).toBeGreaterThan(16);
    expect(a.peers.all()[0].conn?.transport).toBe('quic');
    const got = new Map<string, IncomingMsg[]>();
    const agents: Record<string, AgentClient> = {};
    for (const [d, names] of [[a, ['a1', 'a2', 'a3']], [b, ['b1', 'b2', 'b3']]] as const) {
      for (const n of names) {
        const c = await connectAgent({ agent: n, path: d.agentSocket });
        clients.push(c);
        agents[n] = c;
        got.set(n, []);
        c.on('message', (m) => got.get(n)!.push(m));
      }
    }
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      for (const [from, to] of [['a1', 'b1@node-b'], ['a2', 'b2@node-b'], ['b3', 'a3@node-a'], ['a3', 'b1@node-b']]) {
        sends.push(agents[from].send(to, { from, i, text: `message ${i} über QUIC` }));
      }
    }
    await Promise.all(sends);
    await until(() => got.get('b1')!.length === 60 && got.get('b2')!.length === 30 && got.get('a3')!.length === 30, 20_000);
    const fromA1 = got.get('b1')!.filter((m) => m.from === 'a1@node-a').map((m) => (m.body as { i: number }).i);
    expect(fromA1).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(got.get('a3')![5]).toMatchObject({ from: 'b3@node-b', body: { from: 'b3', i: 5, text: 'message 5 über QUIC' }, verdict: { safe: true } });
  });
});
