/**
 * The shared transport conformance suite (as js-libp2p does): every transport's test file calls
 * `conformance(name, makeHarness)`. It asserts behaviour, never speed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Connection, DialOptions, Listener, ListenOptions, Transport } from '../../transports/transport.js';
import { isTransportError } from '../../transports/errors.js';
import { closed, collect, echo, nextConnection, pattern, sendAll } from './helpers.js';
import { PSK, helloFrame, helloGate, rejectCode } from './hello-gate.js';

export interface RejectCase {
  name: string;
  dialOpts: Omit<DialOptions, 'signal'>;
  listenOpts?: ListenOptions;
}

export interface Harness {
  transport: Transport;
  /** URL to listen on (port 0 where ports apply). */
  listenUrl: string;
  listenOpts: ListenOptions;
  dialOpts: Omit<DialOptions, 'signal'>;
  /** Size of the single big message. @default 16 MiB */
  bigMessageBytes?: number;
  /** Node id the listener must see for the dialer (mutual TLS), if any. */
  expectClientNodeId?: string;
  /** Dials the listener must refuse (wrong CA, no client cert, wrong pinned hash …). */
  rejects?: RejectCase[];
  /** Spawn a child process that connects with the bare library and sends one message, then idles. */
  spawnPeer?: (url: string) => ChildProcess;
  /** Why the paused-reader backpressure test cannot pass on this transport (it is skipped with this reason). */
  backpressureGap?: string;
  /** Upper bound for noticing a killed peer, in ms. */
  deadPeerBoundMs?: number;
}

const MiB = 1024 * 1024;

export function conformance(name: string, make: () => Promise<Harness> | Harness): void {
  describe(`${name} transport conformance`, () => {
    const cleanups: Array<() => unknown> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    async function setup(extra: ListenOptions = {}): Promise<{ h: Harness; listener: Listener; dialOpts: () => DialOptions }> {
      const h = await make();
      const listener = await h.transport.listen(h.listenUrl, { ...h.listenOpts, ...extra });
      cleanups.push(() => listener.close());
      const dialOpts = (): DialOptions => ({ ...h.dialOpts, signal: AbortSignal.timeout(10_000) });
      return { h, listener, dialOpts };
    }

    async function dial(h: Harness, listener: Listener, opts: DialOptions): Promise<Connection> {
      const c = await h.transport.dial(listener.url, opts);
      cleanups.push(() => c.abort());
      return c;
    }

    it('listens, dials and echoes binary messages (including empty ones)', async () => {
      const { h, listener, dialOpts } = await setup();
      echo(listener);
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, dialOpts());
      expect(c.transport).toBe(h.transport.name);
      expect(c.state).toBe('open');
      const msgs = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.from(Buffer.from('00ff10', 'hex'))];
      const got = collect(c, msgs.length);
      for (const m of msgs) c.send(m);
      expect((await got).map((m) => Buffer.from(m).toString('hex'))).toEqual(['010203', '', '00ff10']);
      const server = await accepted;
      if (h.expectClientNodeId) {
        expect(server.remote.authenticated).toBe(true);
        expect(server.remote.nodeId).toBe(h.expectClientNodeId);
      }
      expect(listener.connections.has(server)).toBe(true);
    });

    it('carries 10k small writes in order', async () => {
      const { h, listener, dialOpts } = await setup();
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, dialOpts());
      const server = await accepted;
      const n = 10_000;
      const got = collect(server, n);
      await sendAll(c, (function* () {
        for (let i = 0; i < n; i++) {
          const m = new Uint8Array(4 + (i % 61));
          new DataView(m.buffer).setUint32(0, i);
          yield m;
        }
      })());
      const msgs = await got;
      msgs.forEach((m, i) => {
        expect(m.byteLength).toBe(4 + (i % 61));
        expect(new DataView(m.buffer, m.byteOffset).getUint32(0)).toBe(i);
      });
    });

    it('carries one big message intact', async () => {
      const { h, listener, dialOpts } = await setup();
      echo(listener);
      const c = await dial(h, listener, dialOpts());
      const size = h.bigMessageBytes ?? 16 * MiB;
      const big = pattern(size, 7);
      const got = collect(c, 1);
      c.send(big);
      const [back] = await got;
      expect(back.byteLength).toBe(size);
      expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
    });

    it('honours backpressure: a paused reader stops the sender, resume drains in order', async (ctx) => {
      const { h, listener, dialOpts } = await setup({ highWaterMark: 256 * 1024 });
      if (h.backpressureGap) ctx.skip(h.backpressureGap);
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, { ...dialOpts(), highWaterMark: 256 * 1024 });
      const server = await accepted;
      server.pause();
      const chunk = 32 * 1024;
      const cap = 64 * MiB;
      let sent = 0;
      // Keep sending whenever the transport says so. Buffers along the path (pipes, kernel, flow-control
      // windows) absorb some data, but with the reader paused the sender must stall well before the cap.
      for (;;) {
        while (sent < cap && c.send(pattern(chunk, sent / chunk))) sent += chunk;
        if (sent >= cap) break;
        sent += chunk;
        const drained = await Promise.race([once(c, 'drain').then(() => true), new Promise((r) => setTimeout(r, 300, false))]);
        if (!drained) break;
      }
      expect(sent).toBeLessThan(cap);
      const n = sent / chunk;
      const got = collect(server, n);
      const drain = once(c, 'drain');
      server.resume();
      await drain;
      const msgs = await got;
      expect(msgs.length).toBe(n);
      msgs.forEach((m, i) => expect(m.byteLength === chunk && m[0] === pattern(1, i)[0]).toBe(true));
    });

    it('close() flushes queued messages and both sides see a graceful close', async () => {
      const { h, listener, dialOpts } = await setup();
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, dialOpts());
      const server = await accepted;
      const got = collect(server, 100);
      const serverClosed = closed(server);
      const clientClosed = closed(c);
      for (let i = 0; i < 100; i++) c.send(pattern(1000, i));
      await c.close('done');
      expect(c.state).toBe('closed');
      expect((await got).length).toBe(100);
      const si = await serverClosed;
      const ci = await clientClosed;
      expect(ci).toMatchObject({ local: true, graceful: true });
      expect(si).toMatchObject({ local: false, graceful: true });
      expect(() => c.send(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'CONNECTION_CLOSED' }));
      await c.close();
    });

    it('abort() ends at once and the peer sees a non-graceful close', async () => {
      const { h, listener, dialOpts } = await setup();
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, dialOpts());
      const server = await accepted;
      const serverClosed = closed(server);
      const clientClosed = closed(c);
      c.abort(new Error('boom'));
      expect(c.state).toBe('closed');
      const ci = await clientClosed;
      expect(ci).toMatchObject({ local: true, graceful: false });
      expect(ci.error?.message).toBe('boom');
      const si = await serverClosed;
      expect(si).toMatchObject({ local: false, graceful: false });
      expect(() => c.send(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'CONNECTION_CLOSED' }));
    });

    it('rejects a message over maxMessageBytes without sending it', async () => {
      const { h, listener, dialOpts } = await setup();
      const c = await dial(h, listener, { ...dialOpts(), maxMessageBytes: 1024 });
      expect(() => c.send(new Uint8Array(1025))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
      expect(c.state).toBe('open');
    });

    it('closes the connection when the peer sends a message over our maxMessageBytes', async () => {
      const { h, listener, dialOpts } = await setup({ maxMessageBytes: 1024 });
      const accepted = nextConnection(listener);
      const c = await dial(h, listener, dialOpts());
      const server = await accepted;
      const got: Uint8Array[] = [];
      server.on('message', (m) => got.push(m));
      const sc = closed(server);
      const cc = closed(c);
      c.send(new Uint8Array(4096));
      expect((await sc).graceful).toBe(false);
      expect((await cc).graceful).toBe(false);
      expect(got).toEqual([]);
    });

    it('a dial is cancelled by its AbortSignal', async () => {
      const { h, listener } = await setup();
      await expect(h.transport.dial(listener.url, { ...h.dialOpts, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'DIAL_ABORTED' });
      const ac = new AbortController();
      const p = h.transport.dial(listener.url, { ...h.dialOpts, signal: ac.signal });
      ac.abort();
      await expect(p).rejects.toMatchObject({ code: 'DIAL_ABORTED' });
    });

    it('stopping the listener closes live connections and refuses new dials', async () => {
      const { h, listener, dialOpts } = await setup();
      const a = await dial(h, listener, dialOpts());
      const b = await dial(h, listener, dialOpts());
      const closedP = [closed(a), closed(b)];
      await listener.close();
      const infos = await Promise.all(closedP);
      for (const i of infos) expect(i.local).toBe(false);
      expect(listener.connections.size).toBe(0);
      const err = await h.transport.dial(listener.url, { ...h.dialOpts, signal: AbortSignal.timeout(3000) }).then(
        (c) => {
          c.abort();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(isTransportError(err)).toBe(true);
    });

    it('refuses unauthenticated or mis-authenticated peers', async (ctx) => {
      const h = await make();
      if (!h.rejects?.length) ctx.skip();
      for (const r of h.rejects ?? []) {
        const listener = await h.transport.listen(h.listenUrl, { ...h.listenOpts, ...r.listenOpts });
        cleanups.push(() => listener.close());
        let accepted = 0;
        listener.on('connection', () => accepted++);
        const err = await h.transport.dial(listener.url, { ...r.dialOpts, signal: AbortSignal.timeout(8000) }).then(
          (c) => {
            c.abort();
            return new Error(`${r.name}: dial succeeded`);
          },
          (e: unknown) => e,
        );
        expect(isTransportError(err), `${r.name}: ${String(err)}`).toBe(true);
        expect(['TLS_FAILED', 'DIAL_FAILED']).toContain((err as { code: string }).code);
        expect(accepted, r.name).toBe(0);
      }
    });

    it('answers a bad HELLO proof with REJECT UNAUTHORIZED and a close, and nothing else', async () => {
      const { h, listener, dialOpts } = await setup();
      helloGate(listener);
      const bad = await dial(h, listener, dialOpts());
      const badClosed = closed(bad);
      const got: Uint8Array[] = [];
      bad.on('message', (m) => got.push(m));
      bad.send(helloFrame(new Uint8Array(32).fill(1)));
      const info = await badClosed;
      expect(info.local).toBe(false);
      expect(got.map(rejectCode)).toEqual(['UNAUTHORIZED']);
      const good = await dial(h, listener, dialOpts());
      const reply = collect(good, 2);
      good.send(helloFrame(PSK));
      good.send(Uint8Array.of(5));
      expect((await reply).map((m) => Buffer.from(m).toString('hex'))).toEqual(['ac', '05']);
    });

    it('sees a killed peer process as a non-graceful close within the keepalive bound', async (ctx) => {
      const h = await make();
      if (!h.spawnPeer) ctx.skip();
      const listener = await h.transport.listen(h.listenUrl, h.listenOpts);
      cleanups.push(() => listener.close());
      const accepted = nextConnection(listener);
      const child = (h.spawnPeer as NonNullable<Harness['spawnPeer']>)(listener.url);
      cleanups.push(() => child.kill('SIGKILL'));
      const server = await accepted;
      await collect(server, 1);
      const closedP = closed(server);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      const bound = h.deadPeerBoundMs ?? 5000;
      const info = await Promise.race([
        closedP,
        new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`no close within ${bound} ms`)), bound)),
      ]);
      expect(info.graceful).toBe(false);
      expect(Date.now() - killedAt).toBeLessThan(bound);
    });
  });
}
