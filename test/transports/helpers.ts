/** Test helpers for transports: dev certs in a temp dir, message collection, backpressure-aware sending. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { CloseInfo, Connection, Listener } from '../../transports/transport.js';

export interface DevCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  client: (id: string) => { cert: string; key: string };
  wtCert: string;
  wtKey: string;
  wtHash: string;
  cleanup(): void;
}

/** Run certs/make-dev-certs.sh into a fresh temp dir (about 0.2 s). */
export function makeCerts(ids: string[] = ['node-a', 'node-b']): DevCerts {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-certs-'));
  execFileSync('bash', [join(import.meta.dirname, '../../certs/make-dev-certs.sh'), dir, ...ids], { stdio: 'pipe' });
  const r = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    ca: r('ca.crt'),
    serverCert: r('server.crt'),
    serverKey: r('server.key'),
    client: (id) => ({ cert: r(`client-${id}.crt`), key: r(`client-${id}.key`) }),
    wtCert: r('wt.crt'),
    wtKey: r('wt.key'),
    wtHash: r('wt.sha256').trim(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolve with the next `n` messages on `conn`. */
export function collect(conn: Connection, n: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const got: Uint8Array[] = [];
    const onMsg = (m: Uint8Array): void => {
      got.push(m);
      if (got.length === n) {
        conn.off('message', onMsg);
        conn.off('close', onClose);
        resolve(got);
      }
    };
    const onClose = (): void => reject(new Error(`closed after ${got.length}/${n} messages`));
    conn.on('message', onMsg);
    conn.once('close', onClose);
  });
}

/** Send every message, waiting for `drain` whenever send() says so. */
export async function sendAll(conn: Connection, msgs: Iterable<Uint8Array>): Promise<void> {
  for (const m of msgs) {
    if (!conn.send(m)) await once(conn, 'drain');
  }
}

/** Accept connections and echo every message back. */
export function echo(listener: Listener): void {
  listener.on('connection', (c) => c.on('message', (m) => c.state === 'open' && c.send(m)));
}

/** Next accepted connection. */
export async function nextConnection(listener: Listener): Promise<Connection> {
  const [c] = await once(listener, 'connection');
  return c as Connection;
}

/** A message of `size` bytes whose content depends on `seed` (cheap to check). */
export function pattern(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** The close info, without events.once (which would reject on the preceding 'error' event). */
export function closed(conn: Connection): Promise<CloseInfo> {
  return new Promise((resolve) => conn.once('close', resolve));
}
