import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { Peer, type PeerHooks } from '../../../daemon/peers/peer.js';
import { LinkAuth } from '../../../daemon/peers/link-auth.js';
import { newLinkEndpoint, type LinkSettings } from '../../../daemon/peers/link-session.js';
import { MemoryPeerQueue } from '../../../daemon/queue/memory-queue.js';
import { FrameDecoder } from '../../../protocol/session/frame-decoder.js';
import { FrameType, decodeAckBody } from '../../../protocol/session/frames.js';
import type { SessionEndpoint } from '../../../protocol/session/endpoint.js';
import type { SecurityCaps } from '../../../protocol/session/control.js';
import type { Connection } from '../../../transports/transport.js';
import type { WireMessage } from '../../../daemon/router/types.js';

class FakeConn extends EventEmitter {
  transport = 'memory' as const;
  remote = { address: 'fake', authenticated: false };
  state: 'open' | 'closed' = 'open';
  outbox: Uint8Array[] = [];
  send(b: Uint8Array): boolean {
    this.outbox.push(b.slice());
    return true;
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
  abort(): void {
    this.state = 'closed';
  }
  pause(): void {}
  resume(): void {}
}

/** Node "a" scans without blocking at 0.5 with model m1; node "b" blocks at 0.3 without a model. */
const SECURITY: Record<string, SecurityCaps> = {
  a: { threatDetection: true, blocking: false, threshold: 0.5, modelVersion: 'm1' },
  b: { threatDetection: false, blocking: true, threshold: 0.3, modelVersion: null },
};

const settings = (nodeId: string, batch = true): LinkSettings => ({
  nodeId,
  batch,
  compress: true,
  cpuBudget: 0.2,
  security: () => SECURITY[nodeId],
  window: 64,
  handshakeTimeoutMs: 1000,
  keepalive: { intervalMs: 1000, timeoutMs: 500, missed: 2 },
  auth: new LinkAuth(nodeId),
  allowUnauthenticated: true,
  pskFor: () => undefined,
  acceptPeer: () => true,
});

interface Link {
  a: Peer;
  b: Peer;
  ca: FakeConn;
  cb: FakeConn;
  lost: string[];
  got: WireMessage[];
  done: Array<() => void>;
  /** DATA frames as the metrics hook saw them: direction and messages carried. */
  frames: Array<[string, number]>;
  /** Move every queued chunk across, both ways, until quiet. */
  flush(): void;
}

const frameTypes = (chunks: Uint8Array[]): number[] => chunks.flatMap((c) => new FrameDecoder().push(c).map((f) => f.type));
const acks = (chunks: Uint8Array[]): number[] => chunks.flatMap((c) => new FrameDecoder().push(c).filter((f) => f.type === FrameType.ACK).map((f) => decodeAckBody(f.body)));
const msg = (i: number, to = 'bob'): WireMessage => ({ uid: `u${i}`, from: 'alice', to, json: JSON.stringify({ i }) });
const dataFrames = (chunks: Uint8Array[]): number => frameTypes(chunks).filter((t) => t === FrameType.DATA).length;

/** Two peers joined by fake connections, after a real HELLO/ACCEPT exchange. */
function link(confirm = false, batchB = true): Link {
  const ca = new FakeConn();
  const cb = new FakeConn();
  const lost: string[] = [];
  const got: WireMessage[] = [];
  const done: Array<() => void> = [];
  const frames: Array<[string, number]> = [];
  const hooks = (): PeerHooks => ({
    data: (_p, dir, _codec, _frame, _json, messages) => void frames.push([dir, messages]),
    deliver: (_p, m, d) => {
      got.push(m);
      if (confirm) d();
      else done.push(d);
    },
    disconnected: (_p, why) => void lost.push(why),
  });
  const a = new Peer('b', new MemoryPeerQueue<WireMessage>('b', 100), hooks());
  const b = new Peer('a', new MemoryPeerQueue<WireMessage>('a', 100), hooks());
  // Peers send what they wrote in one turn of the event loop from a setImmediate (fake here).
  const flush = (): void => {
    for (let i = 0; i < 1000; i++) {
      vi.advanceTimersByTime(0);
      if (!ca.outbox.length && !cb.outbox.length) break;
      for (const c of ca.outbox.splice(0)) cb.emit('message', c);
      for (const c of cb.outbox.splice(0)) ca.emit('message', c);
    }
  };
  const epA = newLinkEndpoint(settings('a'), 'initiator', ca as unknown as Connection, 'b');
  const epB = newLinkEndpoint(settings('b', batchB), 'responder', cb as unknown as Connection);
  const wire = (ep: SessionEndpoint, own: FakeConn, other: FakeConn, peer: Peer, dir: 'inbound' | 'outbound'): void => {
    const feed = (bytes: Uint8Array): void => ep.receive(bytes);
    own.on('message', feed);
    ep.onSend = (bytes) => void own.send(bytes);
    ep.onEstablished = () => {
      own.off('message', feed);
      peer.bind(ep, own as unknown as Connection, dir);
    };
    void other;
  };
  wire(epA, ca, cb, a, 'outbound');
  wire(epB, cb, ca, b, 'inbound');
  epB.start();
  epA.start();
  flush();
  return { a, b, ca, cb, lost, got, done, frames, flush };
}

/** Give peer `a` a fresh established session on a new link (as after a reconnect); returns that link. */
async function moveToNewSession(a: Peer): Promise<Link> {
  const next = link(true);
  const ep = next.a.session as SessionEndpoint;
  next.a.detach();
  a.bind(ep, next.ca as unknown as Connection, 'outbound');
  await vi.advanceTimersByTimeAsync(0);
  next.flush();
  return next;
}

describe('peer link over a session endpoint', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces each node\'s own security policy and both ends agree on the stricter one', async () => {
    const l = link(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(l.a.connected && l.b.connected).toBe(true);
    const agreed = { threatDetection: true, blocking: true, threshold: 0.3, modelVersion: 'm1' };
    expect(l.a.agreedSecurity).toEqual(agreed);
    expect(l.b.agreedSecurity).toEqual(agreed);
  });

  it('PINGs an idle link, answers PING with PONG, and ends a silent session', async () => {
    const l = link(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(l.a.connected && l.b.connected).toBe(true);
    expect(l.a.codecs).toEqual(['bytes+ctx', 'brotli+ctx', 'raw']);
    await vi.advanceTimersByTimeAsync(1001);
    expect(frameTypes(l.ca.outbox)).toContain(FrameType.PING);
    l.flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(l.lost).toEqual([]);
    // From now on b hears nothing: a's PINGs go unanswered.
    for (let i = 0; i < 10; i++) {
      l.ca.outbox.length = 0;
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(l.lost.some((r) => r.includes('TIMEOUT'))).toBe(true);
    expect(l.a.connected).toBe(false);
    expect(l.a.session).toBeUndefined();
  });

  it('acknowledges only the contiguous prefix of messages whose delivery finished', async () => {
    const l = link(false);
    await vi.advanceTimersByTimeAsync(0);
    // Three routes: three DATA frames (a frame batches messages of one route only).
    for (let i = 1; i <= 3; i++) expect(l.a.send(msg(i, `bob${i}`))).toBe('sent');
    vi.advanceTimersByTime(0);
    // The three DATA frames leave together, as one transport message.
    expect(l.ca.outbox).toHaveLength(1);
    expect(frameTypes(l.ca.outbox)).toEqual([FrameType.DATA, FrameType.DATA, FrameType.DATA]);
    for (const c of l.ca.outbox.splice(0)) l.cb.emit('message', c);
    expect(l.got.map((m) => m.uid)).toEqual(['u1', 'u2', 'u3']);
    l.done[2]();
    l.done[1]();
    await vi.advanceTimersByTimeAsync(100);
    expect(acks(l.cb.outbox)).toEqual([]);
    expect(l.a.outstanding).toBe(3);
    l.done[0]();
    await vi.advanceTimersByTimeAsync(100);
    expect(acks(l.cb.outbox)).toEqual([3]);
    l.flush();
    expect(l.a.outstanding).toBe(0);
  });

  it('when the session ends, carries what was not acknowledged over to the next one (same uids)', async () => {
    const l = link(false);
    await vi.advanceTimersByTimeAsync(0);
    l.a.send(msg(1, 'bob'));
    l.a.send(msg(2, 'carol'));
    l.flush();
    l.done[0]();
    await vi.advanceTimersByTimeAsync(100);
    l.flush();
    expect(l.a.outstanding).toBe(1);
    // b's daemon goes away with u2 delivered but not acknowledged.
    const closing = l.b.closeLink('SERVER_SHUTDOWN', 500);
    l.flush();
    await vi.advanceTimersByTimeAsync(10);
    await closing;
    expect(l.lost).toContain('peer closed: SERVER_SHUTDOWN');
    expect(l.a.connected).toBe(false);
    expect(l.a.outstanding).toBe(1);
    expect(l.a.send(msg(3))).toBe('queued');
    const next = await moveToNewSession(l.a);
    expect(next.got.map((m) => m.uid)).toEqual(['u2', 'u3']);
    expect(l.a.stats.resent).toBe(1);
  });

  it('sends a burst of one route as one DATA frame, acknowledged once every message in it is delivered', async () => {
    const l = link(false);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 1; i <= 5; i++) expect(l.a.send(msg(i))).toBe('sent');
    l.a.send(msg(6, 'carol'));
    l.a.send(msg(7));
    vi.advanceTimersByTime(0);
    // bob ×5 | carol | bob: a new route starts a new frame.
    expect(dataFrames(l.ca.outbox)).toBe(3);
    for (const c of l.ca.outbox.splice(0)) l.cb.emit('message', c);
    expect(l.got.map((m) => m.uid)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
    expect(l.got[5].to).toBe('carol');
    for (let i = 0; i < 4; i++) l.done[i]();
    await vi.advanceTimersByTimeAsync(100);
    expect(acks(l.cb.outbox)).toEqual([]);
    expect(l.a.outstanding).toBe(7);
    l.done[4]();
    await vi.advanceTimersByTimeAsync(100);
    expect(acks(l.cb.outbox)).toEqual([1]);
    l.done[5]();
    l.done[6]();
    await vi.advanceTimersByTimeAsync(100);
    l.flush();
    expect(l.a.outstanding).toBe(0);
    expect(l.a.stats.msgsOut).toBe(7);
    expect(l.b.stats.msgsIn).toBe(7);
    // Metrics count messages, not frames.
    expect(l.frames.filter(([d]) => d === 'out')).toEqual([['out', 5], ['out', 1], ['out', 1]]);
    expect(l.frames.filter(([d]) => d === 'in')).toEqual([['in', 5], ['in', 1], ['in', 1]]);
  });

  it('a batch not yet framed when the link drops goes out first on the next session, in order', async () => {
    const l = link(true);
    await vi.advanceTimersByTimeAsync(0);
    l.a.send(msg(1));
    l.a.send(msg(2));
    expect(l.a.outstanding).toBe(2);
    // The connection goes before the end of the turn: nothing was framed.
    l.a.detach();
    expect(l.a.send(msg(3))).toBe('queued');
    const next = await moveToNewSession(l.a);
    expect(next.got.map((m) => m.uid)).toEqual(['u1', 'u2', 'u3']);
    expect(l.got).toEqual([]);
  });

  it('sends one DATA frame per message to a peer that does not offer batching', async () => {
    const l = link(true, false);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 1; i <= 4; i++) l.a.send(msg(i));
    vi.advanceTimersByTime(0);
    expect(dataFrames(l.ca.outbox)).toBe(4);
    l.flush();
    expect(l.got.map((m) => m.uid)).toEqual(['u1', 'u2', 'u3', 'u4']);
  });
});
