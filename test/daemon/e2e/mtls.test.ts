import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Daemon } from '../../../daemon/daemon.js';
import { connectAgent, type AgentClient } from '../../../daemon/client/connect-agent.js';
import type { IncomingMsg } from '../../../daemon/agent-api/messages.js';
import { keywordClassifier, tempDir } from '../helpers.js';
import { startNode, until } from './harness.js';

// Peers proven by client certificates alone: no PSK anywhere.
const dir = tempDir();
const daemons: Daemon[] = [];
const clients: AgentClient[] = [];
let b: Daemon;
let ca: string;

const noPsk = { 'auth.psk': '' };

beforeAll(async () => {
  execFileSync('bash', [resolve('certs/make-dev-certs.sh'), dir, 'node-a', 'node-x'], { stdio: 'ignore' });
  ca = `${dir}/ca.crt`;
  b = await startNode(
    { id: 'node-b', dir, ws: 'wss://127.0.0.1:0/m2m', tls: { cert: `${dir}/server.crt`, key: `${dir}/server.key`, ca }, extra: { ...noPsk, 'listen.require_client_cert': 'true' } },
    { classifier: keywordClassifier() },
  );
  daemons.push(b);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(daemons.map((d) => d.stop(1000)));
});

function dialler(id: string, cert?: string): Promise<Daemon> {
  const certs = cert ? { 'auth.client_cert': `${dir}/client-${cert}.crt`, 'auth.client_key': `${dir}/client-${cert}.key` } : {};
  return startNode(
    { id, dir, peers: [{ id: 'node-b', url: b.listening[0].replace('127.0.0.1', 'localhost') }], extra: { ...noPsk, 'listen.tls_ca': ca, ...certs } },
    { classifier: keywordClassifier() },
  );
}

describe('peers authenticated by mutual TLS', () => {
  it('links a peer whose client certificate names it, and carries messages', async () => {
    const a = await dialler('node-a', 'node-a');
    daemons.push(a);
    await until(() => a.peers.connectedCount === 1, 20_000);
    const bob = await connectAgent({ agent: 'bob', path: b.agentSocket });
    const alice = await connectAgent({ agent: 'alice', path: a.agentSocket });
    clients.push(bob, alice);
    const got: IncomingMsg[] = [];
    bob.on('message', (m) => got.push(m));
    await alice.send('bob@node-b', { hi: 'over mTLS' });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ from: 'alice@node-a', body: { hi: 'over mTLS' } });
  }, 30_000);

  it('refuses a peer without a client certificate and one whose certificate names another node', async () => {
    const bare = await dialler('node-c');
    const liar = await dialler('node-d', 'node-x');
    daemons.push(bare, liar);
    await new Promise((r) => setTimeout(r, 1500));
    expect(bare.peers.connectedCount).toBe(0);
    expect(liar.peers.connectedCount).toBe(0);
    expect(b.peers.list().map((p) => p.id).sort()).toEqual(['node-a']);
  }, 30_000);
});
