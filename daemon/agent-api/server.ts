/**
 * The agent unix socket: newline-delimited JSON (see messages.ts and
 * docs/AGENT-API.md). One agent name per connection; a bad line gets an
 * `error` reply and the connection stays usable.
 *
 * How to wire: `const s = createAgentServer({ path, host: router }); await s.listen();`
 * … `await s.close()` on shutdown.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { chmod } from 'node:fs/promises';
import { isM2MError, M2MError } from '../../protocol/errors.js';
import { LineSplitter } from './line-splitter.js';
import { LineWriter } from './line-writer.js';
import { checkPromptMessage } from './prompt-body.js';
import { parseRequest, type AgentRequest, type ClientId, type ErrorReply, type IncomingMsg, type VerdictSummary } from './messages.js';
import { prepareSocketPath } from './socket-path.js';
import type { AgentHost, AgentSink, PreparedSend, SendResult } from './host.js';

/** Longest request line. @default 4 MiB */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Socket file mode. @default 0o660 */
export const DEFAULT_SOCKET_MODE = 0o660;
/** Requests in flight per connection before the daemon stops reading from it. @default 256 */
export const MAX_IN_FLIGHT = 256;

export interface AgentServerOptions {
  /** Socket path (see defaultAgentSocketPath). */
  path: string;
  host: AgentHost;
  /** @default 0o660 */
  mode?: number;
  /** @default 4 MiB */
  maxLineBytes?: number;
  /** Listen on an inherited file descriptor (systemd socket activation) instead of `path`. */
  fd?: number;
  logger?: { warn(obj: object, msg?: string): void; debug(obj: object, msg?: string): void };
}

export interface AgentServer {
  /** Start listening; replaces a stale socket file, refuses a live one. @throws M2MError SOCKET_IN_USE */
  listen(): Promise<string>;
  /** Stop accepting; with `force` also end every agent connection and wait for them to close. */
  close(force?: boolean): Promise<void>;
  /** Open agent connections. */
  readonly connections: number;
}

class AgentConnection implements AgentSink {
  name = '';
  private readonly splitter: LineSplitter;
  private readonly out: LineWriter;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(private readonly socket: Socket, private readonly host: AgentHost, maxLine: number) {
    this.splitter = new LineSplitter(maxLine);
    this.out = new LineWriter(socket);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
  }

  deliver(msg: IncomingMsg, written?: () => void): void {
    const bodyJson = msg.bodyJson;
    // A peer's JSON text may hold raw newlines (JSON whitespace) that would split the NDJSON line.
    // (A body that arrived from a peer may be known only as its text, which the router checked is JSON.)
    const json = bodyJson !== undefined && !hasLineBreak(bodyJson) ? bodyJson : JSON.stringify(msg.body === undefined && bodyJson !== undefined ? JSON.parse(bodyJson) : msg.body) ?? 'null';
    // Three pieces, not one joined string per message: the writer joins the whole turn's pieces once.
    this.out.write(msgLineHead(msg));
    this.out.write(json);
    this.out.write('}\n', written);
  }

  write(obj: object, written?: () => void): void {
    this.out.write(`${JSON.stringify(obj)}\n`, written);
  }

  end(): void {
    this.out.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
  }

  private onData(chunk: Buffer): void {
    for (const ev of this.splitter.push(chunk)) {
      if ('tooLong' in ev) this.write({ type: 'error', code: 'LINE_TOO_LONG', message: `line of ${ev.tooLong} bytes exceeds the limit; skipped` });
      else this.onLine(ev.line);
    }
  }

  private onLine(line: string): void {
    let req: AgentRequest;
    try {
      req = parseRequest(line);
    } catch (e) {
      this.fail(e, (e as M2MError).details?.id as ClientId | undefined);
      return;
    }
    switch (req.type) {
      case 'hello':
        return this.hello(req.agent, req.id);
      case 'peers':
        return this.ordered(async () => this.write({ type: 'peers', id: req.id, peers: this.host.peers() }));
      case 'status':
        return this.ordered(async () => this.write({ type: 'status', id: req.id, agent: this.name || undefined, ...this.host.status() }));
      case 'send': {
        if (!this.name) {
          this.fail(new M2MError('NOT_REGISTERED', 'send "hello" with an agent name first'), req.id);
          return;
        }
        let body = req.body;
        if (req.envelope) {
          try {
            body = checkPromptMessage(body);
          } catch (e) {
            this.fail(e, req.id);
            return;
          }
        }
        const id = req.id;
        if (this.inFlight === 0 && this.host.prepareNow) {
          // Nothing of this agent's is still in progress: a scan that answers at once is routed and
          // acknowledged in this turn, in order, without promises.
          try {
            const now = this.host.prepareNow(this.name, req.to, body, id, req.bodyJson);
            if (now !== undefined) return this.acked(this.host.commit(now), id);
          } catch (e) {
            return this.fail(e, id);
          }
        }
        // Scans run concurrently; routing happens in the agent's order.
        const prepared = this.host.prepare(this.name, req.to, body, req.id, req.bodyJson);
        prepared.catch(() => undefined);
        this.ordered(async () => {
          let p: PreparedSend;
          try {
            p = await prepared;
            this.acked(this.host.commit(p), id);
          } catch (e) {
            this.fail(e, id);
          }
        });
        return;
      }
    }
  }

  private acked(r: SendResult, id: ClientId | undefined): void {
    this.out.write(ackLine(r, id));
  }

  private hello(agent: string, id?: ClientId): void {
    if (this.name) {
      this.fail(new M2MError('ALREADY_REGISTERED', `this connection is already registered as "${this.name}"; one agent per connection`), id);
      return;
    }
    try {
      this.name = agent;
      this.host.register(this);
      this.write({ type: 'ack', id, status: 'registered', address: `${agent}@${this.host.nodeId}` });
    } catch (e) {
      this.name = '';
      this.fail(e, id);
    }
  }

  private ordered(task: () => Promise<void>): void {
    this.inFlight++;
    if (this.inFlight >= MAX_IN_FLIGHT) this.socket.pause();
    this.chain = this.chain.then(task).finally(() => {
      this.inFlight--;
      if (this.inFlight < MAX_IN_FLIGHT / 2 && this.socket.isPaused()) this.socket.resume();
    });
  }

  private fail(e: unknown, id?: ClientId): void {
    if (isM2MError(e)) {
      const verdict = e.details?.verdict as VerdictSummary | undefined;
      const errors = e.details?.errors as ErrorReply['errors'];
      this.write({ type: 'error', id, code: e.code, message: e.message, ...(verdict ? { verdict } : {}), ...(errors ? { errors } : {}) });
    } else {
      this.write({ type: 'error', id, code: 'INTERNAL', message: (e as Error)?.message ?? String(e) });
    }
  }

  closed(): void {
    if (this.name) this.host.unregister(this);
  }
}

const q = JSON.stringify;

/**
 * The `msg` line up to its body: `{"type":"msg","from":…,"to":…[,"id":…],"msgId":…,"verdict":…[,"senderVerdict":…],"body":`.
 * Written field by field rather than as `JSON.stringify` of a copy without the body: the object rest
 * copy and generic serialisation cost ~1–2 µs per delivered message. The body always comes last, so an
 * agent can cut its text out of the line (see docs/AGENT-API.md).
 */
export function msgLineHead(m: IncomingMsg): string {
  return `{"type":"msg","from":${str(m.from)},"to":${str(m.to)}${m.id === undefined ? '' : `,"id":${q(m.id)}`},"msgId":${str(m.msgId)}${m.verdict === undefined ? '' : `,"verdict":${m.verdict === null ? 'null' : verdictJson(m.verdict)}`}${m.senderVerdict === undefined ? '' : `,"senderVerdict":${verdictJson(m.senderVerdict)}`},"body":`;
}

/** The `ack` line of a send (with its newline): `JSON.stringify({ type, id, status, msgId, verdict })`, written field by field. */
export function ackLine(r: SendResult, id: ClientId | undefined): string {
  return `{"type":"ack"${id === undefined ? '' : `,"id":${q(id)}`},"status":${str(r.status)}${r.msgId === undefined ? '' : `,"msgId":${str(r.msgId)}`}${r.verdict === undefined ? '' : `,"verdict":${verdictJson(r.verdict)}`}}\n`;
}

/** Characters JSON.stringify escapes in a string (quote, backslash, controls, and any surrogate, as a lone one would be). */
// eslint-disable-next-line no-control-regex -- the control characters are what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)` for a string: names and ids rarely need escapes, and then quoting them is all it takes. */
function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? q(s) : `"${s}"`;
}

/**
 * `JSON.stringify(v)` for a verdict summary, which every producer (the scan's `summarize`, the peer
 * link's decoder) builds with the same members in the same order. Generic serialisation of the
 * verdicts was half of a `msg` line's head (~1 µs per delivered message).
 */
export function verdictJson(v: VerdictSummary): string {
  const threats = v.threats.length === 0 ? '[]' : q(v.threats);
  return `{"safe":${v.safe},"blocked":${v.blocked},"score":${Number.isFinite(v.score) ? v.score : 'null'},"threat":${v.threat === null ? 'null' : str(v.threat)},"threats":${threats}}`;
}

/**
 * Whether `s` holds a raw CR, LF, U+2028 or U+2029 (which would break or confuse the NDJSON line).
 * Four native scans: ~4× cheaper than the equivalent character-class regex on 1 KB bodies.
 */
export function hasLineBreak(s: string): boolean {
  return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\u2028') >= 0 || s.indexOf('\u2029') >= 0;
}

/** Create the agent socket server (not yet listening). */
export function createAgentServer(opts: AgentServerOptions): AgentServer {
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const conns = new Set<AgentConnection>();
  let closed: Promise<void> = Promise.resolve();
  const server: Server = createServer((socket) => {
    const c = new AgentConnection(socket, opts.host, maxLine);
    conns.add(c);
    socket.on('close', () => {
      conns.delete(c);
      c.closed();
    });
  });
  return {
    get connections() {
      return conns.size;
    },
    async listen() {
      if (opts.fd !== undefined) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ fd: opts.fd }, () => resolve());
        });
        return `fd:${opts.fd}`;
      }
      await prepareSocketPath(opts.path);
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          reject(e.code === 'EADDRINUSE' ? new M2MError('SOCKET_IN_USE', `${opts.path} is in use`) : e));
        server.listen(opts.path, () => resolve());
      });
      await chmod(opts.path, opts.mode ?? DEFAULT_SOCKET_MODE);
      return opts.path;
    },
    async close(force = false) {
      if (server.listening) closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (!force) return;
      for (const c of conns) c.end();
      await closed;
    },
  };
}
