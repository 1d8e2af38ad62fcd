import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Daemon } from '../../../daemon/daemon.js';
import { connectAgent, type AgentClient } from '../../../daemon/client/connect-agent.js';
import type { IncomingMsg } from '../../../daemon/agent-api/messages.js';
import { keywordClassifier, tempDir } from '../helpers.js';
import { configFor, startNode, until } from './harness.js';
import { startDaemon } from '../../../daemon/daemon.js';
import { createLogger } from '../../../daemon/log.js';

// A WebTransport peer trusted by its pinned certificate hash: no CA, no NODE_EXTRA_CA_CERTS.
const dir = tempDir();
const daemons: Daemon[] = [];
const clients: AgentClient[] = [];
let b: Daemon;
let hash: string;

beforeAll(async () => {
  execFileSync('bash', [resolve('certs/make-dev-certs.sh'), dir], { stdio: 'ignore' });
  hash = readFileSync(`${dir}/wt.sha256`, 'utf8').trim();
  b = await startNode({ id: 'node-b', dir, extra: { 'listen.webtransport': 'https://127.0.0.1:0/m2m', 'listen.tls_cert': `${dir}/wt.crt`, 'listen.tls_key': `${dir}/wt.key` } }, { classifier: keywordClassifier() });
  daemons.push(b);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(daemons.map((d) => d.stop(1000)));
});

function dialler(id: string, pin: string): Promise<Daemon> {
  const cfg = configFor({ id, dir });
  return startDaemon({ ...cfg, peers: [{ id: 'node-b', url: b.listening[0], psk: '', tls_ca: '', server_name: 'localhost', cert_sha256: pin }] }, { logger: createLogger({ level: 'silent' }), classifier: keywordClassifier() });
}

describe('WebTransport peers pinned by certificate hash', () => {
  it('links with the right hash (colon-separated upper case accepted) and carries a message', async () => {
    const a = await dialler('node-a', hash.toUpperCase().match(/../g)!.join(':'));
    daemons.push(a);
    await until(() => a.peers.connectedCount === 1, 20_000);
    expect(a.peers.all()[0].conn?.transport).toBe('webtransport');
    const bob = await connectAgent({ agent: 'bob', path: b.agentSocket });
    const alice = await connectAgent({ agent: 'alice', path: a.agentSocket });
    clients.push(bob, alice);
    const got: IncomingMsg[] = [];
    bob.on('message', (m) => got.push(m));
    await alice.send('bob@node-b', { pinned: true });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ from: 'alice@node-a', body: { pinned: true } });
  }, 30_000);

  it('does not link when the pinned hash is another certificate\'s', async () => {
    const wrong = await dialler('node-c', hash.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    daemons.push(wrong);
    await new Promise((r) => setTimeout(r, 1500));
    expect(wrong.peers.connectedCount).toBe(0);
  }, 30_000);
});
