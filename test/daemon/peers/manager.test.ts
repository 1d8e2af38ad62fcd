import { afterEach, describe, expect, it } from 'vitest';
import { memoryTransport } from '../../../transports/memory.js';
import { PeerManager, type PeerManagerOptions } from '../../../daemon/peers/manager.js';
import { MemoryQueueStore } from '../../../daemon/queue/memory-queue.js';
import type { WireMessage } from '../../../daemon/router/types.js';
import { isM2MError } from '../../../protocol/errors.js';

const transport = memoryTransport();
const PSK = 'a shared secret for tests';
let uniq = 0;
const managers: PeerManager[] = [];

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop(0)));
});

interface Node {
  pm: PeerManager;
  got: WireMessage[];
  url: string;
  /** When false, deliveries are recorded but never confirmed (simulates a crash before ACK). */
  confirm: { on: boolean };
}

async function node(id: string, opts: Partial<PeerManagerOptions> & { url?: string; peers?: PeerManagerOptions['peers'] } = {}): Promise<Node> {
  const url = opts.url ?? `memory://${id}-${++uniq}`;
  const got: WireMessage[] = [];
  const confirm = { on: true };
  const pm = new PeerManager({
    nodeId: id,
    peers: [],
    transports: transport,
    queue: new MemoryQueueStore<WireMessage>(opts.window ? 100_000 : 1000),
    listen: [{ url }],
    psk: PSK,
    backoff: { initialMs: 5, maxMs: 50 },
    handshakeTimeoutMs: 2000,
    deliver: (_peer, msg, done) => {
      got.push(msg);
      if (confirm.on) done();
    },
    ...opts,
  });
  managers.push(pm);
  await pm.start();
  return { pm, got, url, confirm };
}

const msg = (i: number, from = 'alice'): WireMessage => ({ uid: `u${i}`, from, to: 'bob', json: JSON.stringify({ i, pad: 'x'.repeat(i % 50) }) });

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PeerManager', () => {
  it('links two daemons with a PSK and delivers both ways in order', async () => {
    const b = await node('b');
    const a = await node('a', { peers: [{ id: 'b', url: b.url }] });
    for (let i = 0; i < 50; i++) a.pm.send('b', msg(i));
    await until(() => b.got.length === 50);
    expect(b.got.map((m) => m.uid)).toEqual(Array.from({ length: 50 }, (_, i) => `u${i}`));
    await until(() => b.pm.has('a'));
    b.pm.send('a', msg(1, 'bob'));
    await until(() => a.got.length === 1);
    expect(a.got[0].json).toEqual(msg(1).json);
    expect(a.pm.list()).toEqual([expect.objectContaining({ id: 'b', state: 'connected', direction: 'outbound' })]);
  });

  it('rejects a peer with the wrong PSK, or none, and never connects it', async () => {
    const b = await node('b');
    const a = await node('a', { peers: [{ id: 'b', url: b.url }], psk: 'not the right secret!' });
    const c = await node('c', { peers: [{ id: 'b', url: b.url }], psk: undefined });
    await new Promise((r) => setTimeout(r, 200));
    expect(a.pm.list()[0].state).not.toBe('connected');
    expect(c.pm.list()[0].state).not.toBe('connected');
    expect(b.pm.list()).toEqual([]);
  });

  it('the dialler refuses a listener that cannot prove the PSK in its ACCEPT', async () => {
    const b = await node('b', { psk: undefined, allowUnauthenticated: true });
    const a = await node('a', { peers: [{ id: 'b', url: b.url }] });
    await new Promise((r) => setTimeout(r, 200));
    expect(a.pm.list()[0].state).not.toBe('connected');
    expect(a.pm.send('b', msg(1))).toBe('queued');
  });

  it('queues while the peer is away and flushes on connect; full queue is an error', async () => {
    const url = `memory://late-${++uniq}`;
    const a = await node('a', { peers: [{ id: 'b', url }], queue: new MemoryQueueStore<WireMessage>(5) });
    const statuses = [0, 1, 2, 3, 4].map((i) => a.pm.send('b', msg(i)));
    expect(statuses).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
    expect(() => a.pm.send('b', msg(5))).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
    let code = '';
    try {
      a.pm.send('zz', msg(9));
    } catch (e) {
      code = isM2MError(e) ? e.code : '';
    }
    expect(code).toBe('UNKNOWN_PEER');
    const b = await node('b', { url });
    await until(() => b.got.length === 5);
    expect(b.got.map((m) => m.uid)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
  });

  it('resumes after the link drops mid-stream: nothing lost, nothing duplicated', async () => {
    const b = await node('b');
    const a = await node('a', { peers: [{ id: 'b', url: b.url }], queue: new MemoryQueueStore<WireMessage>(100_000) });
    await until(() => a.pm.connectedCount === 1);
    const N = 3000;
    for (let i = 0; i < N; i++) {
      a.pm.send('b', msg(i));
      if (i % 700 === 350) {
        a.pm.all()[0].conn?.abort(new Error('link cut'));
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await until(() => b.got.length >= N && a.pm.all()[0].outstanding === 0, 10_000);
    expect(b.got.length).toBe(N);
    expect(a.pm.all()[0].stats.resent).toBeGreaterThan(0);
    expect(b.got.map((m) => m.uid)).toEqual(Array.from({ length: N }, (_, i) => `u${i}`));
  });

  it('after a peer restart, re-sends what it had not acknowledged (same uids, renumbered)', async () => {
    const url = `memory://restart-${++uniq}`;
    const b1 = await node('b', { url });
    const a = await node('a', { peers: [{ id: 'b', url }] });
    await until(() => a.pm.connectedCount === 1);
    for (let i = 0; i < 10; i++) a.pm.send('b', msg(i));
    await until(() => b1.got.length === 10 && a.pm.all()[0].outstanding === 0);
    b1.confirm.on = false; // b1 "crashes" after delivering but before acknowledging 10..14
    for (let i = 10; i < 15; i++) a.pm.send('b', msg(i));
    await until(() => b1.got.length === 15);
    await b1.pm.stop(0, 'CRASH');
    managers.splice(managers.indexOf(b1.pm), 1);
    for (let i = 15; i < 20; i++) a.pm.send('b', msg(i));
    const b2 = await node('b', { url });
    await until(() => b2.got.length === 10);
    expect(b2.got.map((m) => m.uid)).toEqual(Array.from({ length: 10 }, (_, i) => `u${i + 10}`));
    const union = new Set([...b1.got, ...b2.got].map((m) => m.uid));
    expect(union.size).toBe(20);
  });

  it('after a peer is killed (no CLOSE), its RESUME is refused and a new session re-sends what was not acknowledged', async () => {
    const url = `memory://killed-${++uniq}`;
    const b1 = await node('b', { url });
    const a = await node('a', { peers: [{ id: 'b', url }] });
    await until(() => a.pm.connectedCount === 1);
    for (let i = 0; i < 5; i++) a.pm.send('b', msg(i));
    await until(() => b1.got.length === 5 && a.pm.all()[0].outstanding === 0);
    b1.confirm.on = false;
    for (let i = 5; i < 8; i++) a.pm.send('b', msg(i));
    await until(() => b1.got.length === 8);
    // "Kill" b1: its connection just drops, no CLOSE; a still holds the session and will try RESUME.
    b1.pm.all()[0].detach()?.abort(new Error('killed'));
    await b1.pm.stop(0);
    managers.splice(managers.indexOf(b1.pm), 1);
    await until(() => a.pm.connectedCount === 0);
    const sessionBefore = a.pm.all()[0].session?.sessionId;
    expect(sessionBefore).toBeDefined();
    const b2 = await node('b', { url });
    await until(() => b2.got.length === 3);
    expect(b2.got.map((m) => m.uid)).toEqual(['u5', 'u6', 'u7']);
    expect(a.pm.all()[0].session?.sessionId).not.toBe(sessionBefore);
    a.pm.send('b', msg(8));
    await until(() => b2.got.length === 4 && a.pm.all()[0].outstanding === 0);
  });

  it('resumes with a PSK proof; a RESUME with a bad proof is refused', async () => {
    const b = await node('b');
    const a = await node('a', { peers: [{ id: 'b', url: b.url }] });
    await until(() => a.pm.connectedCount === 1);
    const sessionId = a.pm.all()[0].session?.sessionId as string;
    const conn = await transport.dial(b.url, { signal: AbortSignal.timeout(2000) });
    const { encodeControlFrame } = await import('../../../protocol/session/control.js');
    conn.send(encodeControlFrame('RESUME', { sessionId, lastSeq: 0, epoch: 1, auth: { alg: 'HMAC-SHA256', ts: Date.now(), nonce: 'AAAAAAAAAAAAAAAAAAAAAA==', proof: 'AAAA' } }));
    await new Promise<void>((r) => conn.once('close', () => r()));
    expect(b.pm.all()[0].connected).toBe(true);
    a.pm.all()[0].conn?.abort(new Error('link cut'));
    await until(() => a.pm.connectedCount === 1 && b.pm.connectedCount === 1);
    expect(a.pm.all()[0].session?.sessionId).toBe(sessionId);
    a.pm.send('b', msg(1));
    await until(() => b.got.length === 1);
  });

  it('keeps one link per pair when both sides dial each other', async () => {
    const urlA = `memory://sim-a-${++uniq}`;
    const urlB = `memory://sim-b-${++uniq}`;
    const [a, b] = await Promise.all([
      node('a', { url: urlA, peers: [{ id: 'b', url: urlB }] }),
      node('b', { url: urlB, peers: [{ id: 'a', url: urlA }] }),
    ]);
    await until(() => a.pm.connectedCount === 1 && b.pm.connectedCount === 1);
    await new Promise((r) => setTimeout(r, 100));
    // "a" < "b": the link dialled by a wins on both sides.
    expect(a.pm.list()[0]).toMatchObject({ state: 'connected', direction: 'outbound' });
    expect(b.pm.list()[0]).toMatchObject({ state: 'connected', direction: 'inbound' });
    for (let i = 0; i < 20; i++) {
      a.pm.send('b', msg(i));
      b.pm.send('a', msg(i, 'bob'));
    }
    await until(() => a.got.length === 20 && b.got.length === 20);
    expect(new Set(b.got.map((m) => m.uid)).size).toBe(20);
  });

  it('reload() dials peers that were added and forgets removed ones', async () => {
    const b = await node('b');
    const a = await node('a');
    expect(a.pm.has('b')).toBe(false);
    a.pm.reload([{ id: 'b', url: b.url }]);
    await until(() => a.pm.connectedCount === 1);
    a.pm.send('b', msg(1));
    await until(() => b.got.length === 1);
    a.pm.reload([]);
    a.pm.all()[0].conn?.abort(new Error('drop'));
    await until(() => a.pm.connectedCount === 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.pm.has('b')).toBe(false);
    expect(a.pm.list()[0].state).toBe('disconnected');
  });

  it('stop() flushes what is in flight before closing the link', async () => {
    const b = await node('b');
    const a = await node('a', { peers: [{ id: 'b', url: b.url }] });
    await until(() => a.pm.connectedCount === 1);
    for (let i = 0; i < 500; i++) a.pm.send('b', msg(i));
    const flushed = await a.pm.stop(5000);
    managers.splice(managers.indexOf(a.pm), 1);
    expect(flushed).toBe(true);
    expect(b.got.length).toBe(500);
    await until(() => b.pm.connectedCount === 0);
    expect(b.pm.all()[0].lastClose).toBe('peer closed: SERVER_SHUTDOWN');
  });
});
