import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineWriter, MAX_JOIN_CHARS } from '../../../daemon/agent-api/line-writer.js';

/** A connected unix socket pair: `client` writes, everything `server` reads is collected in `received()`. */
async function pair(): Promise<{ client: Socket; received: () => string; serverEnded: Promise<void>; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-lw-'));
  const path = join(dir, 's.sock');
  let text = '';
  let ended!: () => void;
  const serverEnded = new Promise<void>((r) => (ended = r));
  const server: Server = createServer((s) => {
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('end', () => ended());
  });
  await new Promise<void>((r) => server.listen(path, r));
  const client = connect(path);
  await new Promise<void>((r) => client.once('connect', () => r()));
  return {
    client,
    received: () => text,
    serverEnded,
    close: () => {
      client.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Count the socket's write() calls. */
function countWrites(s: Socket): { n: number } {
  const c = { n: 0 };
  const orig = s.write.bind(s) as (...a: unknown[]) => boolean;
  (s as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
    c.n++;
    return orig(...a);
  };
  return c;
}

const until = async (f: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('LineWriter', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it("joins one turn's pieces into one socket write, in order, and runs every callback after it", async () => {
    const p = await pair();
    cleanup = p.close;
    const writes = countWrites(p.client);
    const w = new LineWriter(p.client);
    const order: number[] = [];
    for (let i = 0; i < 50; i++) {
      w.write(`{"n":${i},"s":"é✓"`);
      w.write('}\n', () => order.push(i));
    }
    expect(writes.n).toBe(0);
    expect(order).toEqual([]);
    await until(() => order.length === 50);
    expect(writes.n).toBe(1);
    expect(order).toEqual([...Array(50).keys()]);
    await until(() => p.received().split('\n').length === 51);
    expect(p.received().trim().split('\n').map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([...Array(50).keys()]);
    // The next turn is another write.
    w.write('{"n":50}\n');
    await until(() => writes.n === 2);
    expect(writes.n).toBe(2);
  });

  it('writes a busy turn in pieces of about MAX_JOIN_CHARS, in order, lines intact', async () => {
    const p = await pair();
    cleanup = p.close;
    const writes = countWrites(p.client);
    const w = new LineWriter(p.client);
    const body = JSON.stringify({ text: 'x'.repeat(1000) });
    const lines = Math.ceil((3 * MAX_JOIN_CHARS) / body.length);
    let done = 0;
    let expected = '';
    for (let i = 0; i < lines; i++) {
      w.write(`{"n":${i},"body":`);
      w.write(body);
      w.write('}\n', () => done++);
      expected += `{"n":${i},"body":${body}}\n`;
    }
    // Three joins went out during the turn; the rest waits for its end.
    expect(writes.n).toBe(3);
    await until(() => done === lines);
    expect(writes.n).toBe(4);
    await until(() => p.received().length >= expected.length);
    expect(p.received()).toBe(expected);
  });

  it('end() writes what is queued before ending; later writes are dropped with their callbacks run', async () => {
    const p = await pair();
    cleanup = p.close;
    const w = new LineWriter(p.client);
    const done: string[] = [];
    w.write('{"last":true}\n', () => done.push('queued'));
    w.end();
    w.write('{"after":true}\n', () => done.push('after'));
    expect(done).toEqual(['after']);
    await p.serverEnded;
    expect(p.received()).toBe('{"last":true}\n');
    expect(done).toEqual(['after', 'queued']);
  });

  it('runs the callbacks of a turn whose socket was destroyed before the flush, and writes nothing', async () => {
    const p = await pair();
    cleanup = p.close;
    const writes = countWrites(p.client);
    const w = new LineWriter(p.client);
    const done: number[] = [];
    w.write('{"a":1}\n', () => done.push(1));
    p.client.destroy();
    w.write('{"b":2}\n', () => done.push(2));
    expect(done).toEqual([2]);
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toEqual([2, 1]);
    expect(writes.n).toBe(0);
  });
});
