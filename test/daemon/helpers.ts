/** Shared helpers for daemon tests: a raw NDJSON socket client, temp dirs, fake peers, test classifiers. */
import { connect, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Classifier, Verdict } from '../../inference/types.js';
import type { AgreedSecurity, PeerDirectory, WireMessage } from '../../daemon/router/types.js';
import { M2MError } from '../../protocol/errors.js';

export function tempDir(prefix = 'm2m-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RawClient {
  socket: Socket;
  write(text: string): void;
  send(obj: object): void;
  next(): Promise<any>;
  close(): void;
}

/** Key of the raw text of each line a {@link rawClient} returns (`(await c.next())[RAW_LINE]`). */
export const RAW_LINE = Symbol('raw line');

export async function rawClient(path: string): Promise<RawClient> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const lines: any[] = [];
  const waiters: Array<(v: any) => void> = [];
  let buf = '';
  socket.on('data', (d) => {
    buf += d.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl);
      const obj = JSON.parse(line);
      // The line as it came, for tests about bytes (not enumerable: object matchers do not see it).
      if (obj !== null && typeof obj === 'object') Object.defineProperty(obj, RAW_LINE, { value: line });
      buf = buf.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(obj);
      else lines.push(obj);
    }
  });
  return {
    socket,
    write: (t) => socket.write(t),
    send: (o) => socket.write(`${JSON.stringify(o)}\n`),
    next: () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiters.push(r))),
    close: () => socket.destroy(),
  };
}

/** A peer directory that records what it is given. */
export class FakePeers implements PeerDirectory {
  sent: Array<{ node: string; msg: WireMessage }> = [];
  full = false;
  /** What each peer's session agreed on security (none: no session up). */
  agreed = new Map<string, AgreedSecurity>();
  agreedSecurity(node: string): AgreedSecurity | undefined {
    return this.agreed.get(node);
  }
  constructor(readonly known: string[] = ['n2']) {}
  has(n: string): boolean {
    return this.known.includes(n);
  }
  send(node: string, msg: WireMessage): 'sent' | 'queued' {
    if (this.full) throw new M2MError('QUEUE_FULL', 'full');
    this.sent.push({ node, msg });
    return 'sent';
  }
  list() {
    return this.known.map((id) => ({ id, state: 'connected' as const, queued: 0, inFlight: 0 }));
  }
}

/** Flags any text containing "IGNORE PREVIOUS" (case-insensitive) as an injection. */
export function keywordClassifier(delayMs?: (text: string) => number, opts: { now?: boolean } = {}): Classifier {
  const verdict = (text: string): Verdict => {
    const bad = /ignore (all )?previous/i.test(text);
    return {
      safe: !bad,
      threat: bad ? 'injection' : null,
      score: bad ? 0.97 : 0.02,
      confidence: bad ? 0.97 : 0.98,
      blocked: false,
      reasons: bad ? [{ kind: 'rule', id: 'injection.ignore-previous', category: 'injection', severity: 0.9 }] : [],
      latencyMs: 0,
    };
  };
  const c: Classifier = {
    async classify(text: string): Promise<Verdict> {
      const d = delayMs?.(text) ?? 0;
      if (d > 0) await new Promise((r) => setTimeout(r, d));
      return verdict(text);
    },
    async close() {},
  };
  // With `now`, texts without a delay are also answered synchronously (as an in-process model does).
  if (opts.now) c.classifyNow = (text: string) => ((delayMs?.(text) ?? 0) > 0 ? undefined : verdict(text));
  return c;
}
