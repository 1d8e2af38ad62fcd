/**
 * TypeScript client for the agent socket.
 *
 * ```ts
 * const alice = await connectAgent({ agent: 'alice' });           // default socket path
 * alice.on('message', (m) => console.log(m.from, m.body, m.verdict));
 * const ack = await alice.send('bob@node-b', { task: 'summarise' }); // { status: 'sent', msgId, verdict }
 * await alice.close();
 * ```
 * Messages that arrive twice (a peer daemon restarted before acknowledging
 * them) are dropped by `msgId`, so the agent sees each message once.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { M2MError, type ErrorCode } from '../../protocol/errors.js';
import { LineSplitter } from '../agent-api/line-splitter.js';
import { LineWriter } from '../agent-api/line-writer.js';
import { rawBodySpan } from '../agent-api/raw-body.js';
import { defaultAgentSocketPath } from '../agent-api/socket-path.js';
import type { AckReply, ClientId, ErrorReply, IncomingMsg } from '../agent-api/messages.js';
import type { PeerSummary } from '../agent-api/host.js';

/** Recent message ids remembered to drop repeats. @default 65,536 */
export const DEDUPE_WINDOW = 65_536;
const MAX_REPLY_LINE = 64 * 1024 * 1024;

export interface ConnectAgentOptions {
  /** Agent name to register (`hello`). */
  agent: string;
  /** Socket path. @default defaultAgentSocketPath() */
  path?: string;
  /** Give up connecting after this many ms. @default 5000 */
  timeoutMs?: number;
  /** Message ids already seen; pass the previous client's `seen` when reconnecting so repeats stay dropped. */
  seen?: Set<string>;
  /** Drop repeated message ids. @default true (benchmarks turn it off to count duplicates) */
  dedupe?: boolean;
  /**
   * Leave incoming bodies unparsed: each message's `bodyJson` holds the body's JSON text exactly as the
   * sending agent wrote it (the daemons forward it byte for byte) and `body` is undefined. For agents that
   * store, forward or hash bodies, or parse them with their own reviver: it saves parsing every body.
   * @default false
   */
  rawBodies?: boolean;
}

export interface AgentClientEvents {
  message: [msg: IncomingMsg];
  /** An error reply that answers no request (e.g. LINE_TOO_LONG). */
  error: [err: M2MError];
  close: [];
}

export interface AgentClient extends EventEmitter<AgentClientEvents> {
  /** `agent@node` as the daemon registered it. */
  readonly address: string;
  /** Recently seen message ids (bounded); hand it to the next connectAgent() after a reconnect. */
  readonly seen: Set<string>;
  /**
   * Send a JSON body to `agent@node`.
   * @throws M2MError with the daemon's code (BLOCKED with `details.verdict`, QUEUE_FULL, UNKNOWN_PEER, …)
   */
  /** `envelope: true` marks `body` as an M2M prompt message; the daemon validates it (SCHEMA_INVALID). */
  send(to: string, body: unknown, opts?: { id?: ClientId; envelope?: boolean }): Promise<AckReply>;
  peers(): Promise<PeerSummary[]>;
  status(): Promise<Record<string, unknown>>;
  /** Async iterator over incoming messages (ends when the connection closes). */
  messages(): AsyncIterableIterator<IncomingMsg>;
  close(): Promise<void>;
}

class Client extends EventEmitter<AgentClientEvents> implements AgentClient {
  address = '';
  private seq = 0;
  private readonly waiting = new Map<string, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  readonly seen: Set<string>;
  private readonly splitter = new LineSplitter(MAX_REPLY_LINE);
  private closed = false;
  private readonly out: LineWriter;

  constructor(
    private readonly socket: Socket,
    seen?: Set<string>,
    private readonly dedupe = true,
    private readonly rawBodies = false,
  ) {
    super();
    this.seen = seen ?? new Set<string>();
    this.out = new LineWriter(socket);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.splitter.push(chunk)) if ('line' in ev) this.onLine(ev.line);
    });
    socket.on('close', () => {
      this.closed = true;
      const err = new M2MError('NOT_CONNECTED', 'agent socket closed');
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
      this.emit('close');
    });
    socket.on('error', () => undefined);
  }

  request<T>(obj: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new M2MError('NOT_CONNECTED', 'agent socket closed'));
    const id = obj.id ?? `c${++this.seq}`;
    const key = JSON.stringify(id);
    if (this.waiting.has(key)) return Promise.reject(new M2MError('BAD_INPUT', `request id ${key} is already in flight`));
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      if (obj.id === undefined) obj.id = id;
      // The turn's lines go out joined, in one write (line-writer.ts).
      this.out.write(JSON.stringify(obj));
      this.out.write('\n');
    });
  }

  send(to: string, body: unknown, opts: { id?: ClientId; envelope?: boolean } = {}): Promise<AckReply> {
    const req: Record<string, unknown> = { type: 'send', to, body };
    if (opts.id !== undefined) req.id = opts.id;
    if (opts.envelope) req.envelope = true;
    return this.request<AckReply>(req);
  }

  async peers(): Promise<PeerSummary[]> {
    return (await this.request<{ peers: PeerSummary[] }>({ type: 'peers' })).peers;
  }

  status(): Promise<Record<string, unknown>> {
    return this.request<Record<string, unknown>>({ type: 'status' });
  }

  async *messages(): AsyncIterableIterator<IncomingMsg> {
    const buf: IncomingMsg[] = [];
    let wake: (() => void) | undefined;
    const onMsg = (m: IncomingMsg): void => {
      buf.push(m);
      wake?.();
    };
    const onClose = (): void => wake?.();
    this.on('message', onMsg);
    this.on('close', onClose);
    try {
      for (;;) {
        while (buf.length) yield buf.shift()!;
        if (this.closed) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      this.off('message', onMsg);
      this.off('close', onClose);
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.out.end();
    });
  }

  private onLine(line: string): void {
    let m: any;
    try {
      m = (this.rawBodies ? parseRawMsg(line) : undefined) ?? JSON.parse(line);
    } catch {
      return;
    }
    if (m.type === 'msg') {
      const msg = m as IncomingMsg;
      if (!this.dedupe) return void this.emit('message', msg);
      if (this.seen.has(msg.msgId)) return;
      this.seen.add(msg.msgId);
      if (this.seen.size > DEDUPE_WINDOW) this.seen.delete(this.seen.values().next().value as string);
      this.emit('message', msg);
      return;
    }
    const key = m.id === undefined ? undefined : JSON.stringify(m.id);
    const w = key === undefined ? undefined : this.waiting.get(key);
    if (!w) {
      if (m.type === 'error') this.emit('error', toError(m as ErrorReply));
      return;
    }
    this.waiting.delete(key!);
    if (m.type === 'error') w.reject(toError(m as ErrorReply));
    else w.resolve(m);
  }
}

/**
 * A `msg` line with its body left as text: the line without the body is parsed, the body's text is cut
 * out (the daemon writes it as the last member). Undefined for any other line, which is then parsed whole.
 */
function parseRawMsg(line: string): IncomingMsg | undefined {
  if (!line.startsWith('{"type":"msg"')) return undefined;
  const span = rawBodySpan(line);
  if (span === undefined) return undefined;
  const [start, end] = span;
  if (end !== line.length - 1 || line.charCodeAt(end) !== 0x7d || !line.endsWith('"body":', start)) return undefined;
  const m = JSON.parse(`${line.slice(0, start)}null}`) as IncomingMsg;
  m.body = undefined;
  m.bodyJson = line.slice(start, end);
  return m;
}

function toError(e: ErrorReply): M2MError {
  return new M2MError(e.code as ErrorCode, e.message, e.verdict ? { verdict: e.verdict } : undefined);
}

/**
 * Connect to the daemon's agent socket and register `agent`.
 * @throws M2MError NAME_TAKEN, NOT_CONNECTED (no daemon at the path)
 */
export async function connectAgent(opts: ConnectAgentOptions): Promise<AgentClient> {
  const path = opts.path ?? defaultAgentSocketPath();
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path);
    const t = setTimeout(() => {
      s.destroy();
      reject(new M2MError('NOT_CONNECTED', `no answer from the daemon at ${path}`));
    }, opts.timeoutMs ?? 5000);
    s.once('connect', () => {
      clearTimeout(t);
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      reject(new M2MError('NOT_CONNECTED', `cannot connect to the daemon at ${path}: ${e.code ?? e.message}`));
    });
  });
  const c = new Client(socket, opts.seen, opts.dedupe ?? true, opts.rawBodies ?? false);
  try {
    const ack = await c.request<AckReply>({ type: 'hello', agent: opts.agent });
    c.address = ack.address ?? opts.agent;
  } catch (e) {
    socket.destroy();
    throw e;
  }
  return c;
}
