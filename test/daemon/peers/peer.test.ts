import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { Peer } from '../../../daemon/peers/peer.js';
import { MemoryPeerQueue } from '../../../daemon/queue/memory-queue.js';
import { decodeLinkFrame, encodeData, PING_FRAME } from '../../../daemon/peers/link-codec.js';
import type { Connection } from '../../../transports/transport.js';
import type { WireMessage } from '../../../daemon/router/types.js';

class FakeConn extends EventEmitter {
  transport = 'memory' as const;
  remote = { address: 'fake', authenticated: false };
  state: 'open' | 'closed' = 'open';
  bufferedAmount = 0;
  sent: Uint8Array[] = [];
  aborted: Error | undefined;
  send(b: Uint8Array): boolean {
    this.sent.push(b);
    return true;
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
  abort(e?: Error): void {
    this.aborted = e;
    this.state = 'closed';
  }
  pause(): void {}
  resume(): void {}
}

afterEach(() => {
  vi.useRealTimers();
});

const hello = { v: 1, node: 'b', epoch: 'eb', recvEpoch: '', recvSeq: 0, nonce: 'n' };

describe('peer keepalive', () => {
  it('PINGs an idle link, answers PING with PONG, and drops a silent link', () => {
    vi.useFakeTimers();
    const lost: string[] = [];
    const peer = new Peer('b', new MemoryPeerQueue<WireMessage>('b', 10), { deliver: () => undefined, disconnected: (_p, why) => void lost.push(why) }, undefined, 16, { intervalMs: 1000, timeoutMs: 500, missed: 2 });
    const conn = new FakeConn();
    peer.attach(conn as unknown as Connection, 'outbound', hello, 'ea');
    vi.advanceTimersByTime(1100);
    expect(conn.sent.map((b) => decodeLinkFrame(b).t)).toContain('ping');
    conn.sent = [];
    conn.emit('message', PING_FRAME);
    expect(conn.sent.map((b) => decodeLinkFrame(b).t)).toEqual(['pong']);
    vi.advanceTimersByTime(1600);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1500);
    expect(lost).toEqual(['keepalive timeout']);
    expect(conn.aborted?.message).toBe('keepalive timeout');
    expect(peer.connected).toBe(false);
  });

  it('stays up while frames keep arriving', () => {
    vi.useFakeTimers();
    const lost: string[] = [];
    const peer = new Peer('b', new MemoryPeerQueue<WireMessage>('b', 10), { deliver: () => undefined, disconnected: (_p, why) => void lost.push(why) }, undefined, 16, { intervalMs: 1000, timeoutMs: 500, missed: 2 });
    const conn = new FakeConn();
    peer.attach(conn as unknown as Connection, 'outbound', hello, 'ea');
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(900);
      conn.emit('message', PING_FRAME);
    }
    expect(lost).toEqual([]);
    expect(peer.connected).toBe(true);
    peer.detach();
  });
});

describe('peer acknowledgements', () => {
  it('acknowledges only the contiguous prefix of messages whose delivery finished', async () => {
    const done: Array<() => void> = [];
    const peer = new Peer('b', new MemoryPeerQueue<WireMessage>('b', 10), { deliver: (_p, _m, d) => void done.push(d), disconnected: () => undefined });
    const conn = new FakeConn();
    peer.attach(conn as unknown as Connection, 'inbound', hello, 'ea');
    for (let seq = 1; seq <= 3; seq++) {
      const json = JSON.stringify({ seq });
      conn.emit('message', encodeData(seq, { uid: `u${seq}`, from: 'x', to: 'y', json }, 0, Buffer.from(json)));
    }
    expect(done.length).toBe(3);
    const acks = () => conn.sent.map((b) => decodeLinkFrame(b)).filter((f) => f.t === 'ack').map((f) => (f as { seq: number }).seq);
    done[2]();
    done[1]();
    await new Promise((r) => setImmediate(r));
    expect(acks()).toEqual([]);
    done[0]();
    await new Promise((r) => setImmediate(r));
    expect(acks()).toEqual([3]);
    expect(peer.recvState().recvSeq).toBe(3);
    peer.detach();
  });
});
