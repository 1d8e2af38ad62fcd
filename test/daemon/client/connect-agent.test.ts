import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connectAgent } from '../../../daemon/client/connect-agent.js';
import { isM2MError } from '../../../protocol/errors.js';
import { msgLineHead } from '../../../daemon/agent-api/server.js';
import type { IncomingMsg } from '../../../daemon/agent-api/messages.js';
import { tempDir } from '../helpers.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A fake daemon that answers hello, echoes sends as errors or acks, and pushes scripted lines. */
async function fakeDaemon(script: (line: any, write: (o: object) => void) => void, rawLines = false): Promise<string> {
  const path = join(tempDir(), 'fake.sock');
  server = createServer((s) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        script(line, (o) => s.write(`${rawLines && 'raw' in o ? (o as { raw: string }).raw : JSON.stringify(o)}\n`));
      }
    });
  });
  await new Promise<void>((r) => server!.listen(path, () => r()));
  return path;
}

describe('connectAgent', () => {
  it('registers, matches replies by id, turns error replies into M2MError, drops repeated msgIds', async () => {
    const path = await fakeDaemon((l, write) => {
      if (l.type === 'hello') write({ type: 'ack', id: l.id, status: 'registered', address: `${l.agent}@n1` });
      if (l.type === 'send' && l.to === 'bad@n1') write({ type: 'error', id: l.id, code: 'BLOCKED', message: 'no', verdict: { blocked: true } });
      if (l.type === 'send' && l.to === 'ok@n1') {
        const m = { type: 'msg', from: 'x@n2', to: 'me@n1', msgId: 'u1', body: 1, verdict: null };
        write(m);
        write(m);
        write({ ...m, msgId: 'u2', body: 2 });
        write({ type: 'ack', id: l.id, status: 'sent', msgId: 'z' });
      }
      if (l.type === 'status') write({ type: 'status', id: l.id, node: 'n1' });
    });
    const c = await connectAgent({ agent: 'me', path });
    expect(c.address).toBe('me@n1');
    const got: unknown[] = [];
    c.on('message', (m) => got.push(m.body));
    await expect(c.send('bad@n1', 1)).rejects.toSatisfy((e: unknown) => isM2MError(e, 'BLOCKED') && (e.details?.verdict as { blocked: boolean }).blocked);
    expect(await c.send('ok@n1', 1)).toMatchObject({ status: 'sent' });
    expect(got).toEqual([1, 2]);
    expect(await c.status()).toMatchObject({ node: 'n1' });
    await c.close();
    await expect(c.send('ok@n1', 1)).rejects.toSatisfy((e: unknown) => isM2MError(e, 'NOT_CONNECTED'));
  });

  it('with rawBodies, hands each body over as the text the line carried, and the rest of the message parsed', async () => {
    const bodies = ['{ "a" : 1.0, "big": 12345678901234567890 }', '"x\\n\\"}"', '[1,{"body":2}]', 'null'];
    const path = await fakeDaemon((l, write) => {
      if (l.type === 'hello') write({ type: 'ack', id: l.id, status: 'registered', address: `${l.agent}@n1` });
      if (l.type === 'send') {
        bodies.forEach((b, i) => {
          const m = { type: 'msg' as const, from: 'x@n2', to: 'me@n1', id: i, msgId: `u${i}`, body: undefined, verdict: { safe: true, blocked: false, score: 0.1, threat: null, threats: [] } };
          write({ raw: `${msgLineHead(m)}${b}}` });
        });
        // Not the daemon's layout (body first): parsed whole, body included.
        write({ raw: '{"type":"msg","body":5,"from":"x@n2","to":"me@n1","msgId":"u9","verdict":null}' });
        write({ type: 'ack', id: l.id, status: 'sent', msgId: 'z' });
      }
    }, true);
    const c = await connectAgent({ agent: 'me', path, rawBodies: true });
    const got: IncomingMsg[] = [];
    c.on('message', (m) => got.push(m));
    await c.send('any@n2', 0);
    expect(got.map((m) => m.bodyJson)).toEqual([...bodies, undefined]);
    expect(got.slice(0, 4).every((m) => m.body === undefined && m.from === 'x@n2' && m.verdict?.score === 0.1)).toBe(true);
    expect(got.map((m) => m.id)).toEqual([0, 1, 2, 3, undefined]);
    expect(got[4].body).toBe(5);
    await c.close();
  });

  it('fails clearly when no daemon listens', async () => {
    await expect(connectAgent({ agent: 'me', path: join(tempDir(), 'none.sock') })).rejects.toSatisfy((e: unknown) => isM2MError(e, 'NOT_CONNECTED'));
  });
});
