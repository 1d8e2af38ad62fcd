/**
 * The router: local agents by name, addressing `agent@node`, scanning every
 * body before it leaves and when it arrives, same-node delivery without the
 * network, and hand-off to the peer links for everything else.
 *
 * How to wire: `const r = new Router({ nodeId, classifier, policy, peers })`;
 * pass it to `createAgentServer({ host: r })`; peer links call
 * `r.receive(peerId, wireMessage)` for every DATA message that arrives.
 */
import { randomBytes } from 'node:crypto';
import { M2MError } from '../../protocol/errors.js';
import type { Classifier } from '../../inference/types.js';
import type { AgentHost, AgentSink, PeerSummary, PreparedSend, SendResult } from '../agent-api/host.js';
import type { ClientId, IncomingMsg, VerdictSummary } from '../agent-api/messages.js';
import { parseAddress, type Address } from './address.js';
import { OrderedRunner } from './ordered.js';
import { scanBody, scanBodyNow, type SecurityPolicy } from './scan.js';
import type { PeerDirectory, RouterEvents, WireMessage } from './types.js';

/** Messages kept for a local agent that is not connected. @default 1,000 */
export const DEFAULT_MAILBOX_CAPACITY = 1000;
/** Offline agent names with a mailbox; messages for further names are refused (logged). */
export const MAX_MAILBOXES = 1000;

export interface RouterOptions {
  nodeId: string;
  classifier: Classifier;
  policy: SecurityPolicy;
  peers: PeerDirectory;
  events?: RouterEvents;
  /** @default 1,000 */
  mailboxCapacity?: number;
  logger?: { warn(obj: object, msg?: string): void };
}

/** The first character code of `s` that is not JSON white space (NaN past the end). */
function firstNonSpace(s: string): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return Number.NaN;
}

type ScanResult = NonNullable<Awaited<ReturnType<typeof scanBody>>>;

/** An outgoing message between its checks and its scan. */
interface Outgoing {
  addr: Address;
  json: string;
  policy: SecurityPolicy;
  t0: number;
  /** What the scan reads, and its parsed value when it is JSON. */
  text: string;
  parsed: unknown;
}

interface Prepared extends PreparedSend {
  from: string;
  to: Address;
  id?: ClientId;
  body: unknown;
  json: string;
}

export class Router implements AgentHost {
  readonly nodeId: string;
  private readonly agents = new Map<string, AgentSink>();
  private readonly mailboxes = new Map<string, IncomingMsg[]>();
  private readonly inbound = new Map<string, OrderedRunner>();
  private readonly epoch = randomBytes(4).toString('hex');
  private counter = 0;
  private closing = false;
  private readonly startedAt = Date.now();
  private readonly stats = { sent: 0, received: 0, local: 0, blockedOut: 0, blockedIn: 0, mailboxDropped: 0 };

  constructor(private readonly opts: RouterOptions) {
    this.nodeId = opts.nodeId;
  }

  /** Replace thresholds and blocking mode (SIGHUP). */
  setPolicy(policy: SecurityPolicy): void {
    this.opts.policy = policy;
  }

  get policy(): SecurityPolicy {
    return this.opts.policy;
  }

  /**
   * The policy for traffic with a peer: this node's own, made stricter by what the peer's session
   * agreed (blocking OR-ed, the lower threshold). Scanning itself follows this node's setting: a
   * node with scanning off has no classifier to honour a peer's request with.
   */
  private policyWith(nodeId: string): SecurityPolicy {
    const own = this.opts.policy;
    const agreed = this.opts.peers.agreedSecurity?.(nodeId);
    if (!agreed || !own.enabled) return own;
    return { enabled: true, blocking: own.blocking || agreed.blocking, threshold: Math.min(own.threshold, agreed.threshold) };
  }

  /** Refuse new sends from now on (shutdown). */
  stopAccepting(): void {
    this.closing = true;
  }

  register(sink: AgentSink): void {
    const other = this.agents.get(sink.name);
    if (other && other !== sink) throw new M2MError('NAME_TAKEN', `agent name "${sink.name}" is already registered on ${this.nodeId}`);
    this.agents.set(sink.name, sink);
    const box = this.mailboxes.get(sink.name);
    if (box) {
      this.mailboxes.delete(sink.name);
      for (const m of box) sink.deliver(m);
    }
  }

  unregister(sink: AgentSink): void {
    if (this.agents.get(sink.name) === sink) this.agents.delete(sink.name);
  }

  async prepare(from: string, to: string, body: unknown, id?: ClientId, bodyJson?: string): Promise<PreparedSend> {
    const s = this.outgoing(to, body, bodyJson);
    return this.prepared(s, await scanBody(this.opts.classifier, s.policy, s.text, s.parsed), from, body, id);
  }

  /** {@link prepare} without a promise when the classifier answers at once (see `Classifier.classifyNow`); else undefined. */
  prepareNow(from: string, to: string, body: unknown, id?: ClientId, bodyJson?: string): PreparedSend | undefined {
    const s = this.outgoing(to, body, bodyJson);
    const scan = scanBodyNow(this.opts.classifier, s.policy, s.text, s.parsed);
    return scan === undefined ? undefined : this.prepared(s, scan, from, body, id);
  }

  /** The checks before an outgoing scan, and what it scans. */
  private outgoing(to: string, body: unknown, bodyJson: string | undefined): Outgoing {
    if (this.closing) throw new M2MError('SHUTTING_DOWN', `node ${this.nodeId} is shutting down`);
    const addr = parseAddress(to, this.nodeId);
    if (addr.node !== this.nodeId && !this.opts.peers.has(addr.node)) {
      throw new M2MError('UNKNOWN_PEER', `no peer "${addr.node}" is configured or connected on ${this.nodeId}`);
    }
    const json = bodyJson ?? JSON.stringify(body) ?? 'null';
    const policy = addr.node === this.nodeId ? this.opts.policy : this.policyWith(addr.node);
    // A string body is scanned as its text; anything else as its JSON, whose parsed value is `body`.
    const str = typeof body === 'string';
    return { addr, json, policy, t0: performance.now(), text: str ? body : json, parsed: str ? undefined : body };
  }

  /** The outgoing scan's outcome: the message ready to commit, or BLOCKED. */
  private prepared(s: Outgoing, scan: ScanResult | null, from: string, body: unknown, id: ClientId | undefined): Prepared {
    const verdict = scan?.summary;
    if (verdict) this.opts.events?.scanned?.('out', verdict, performance.now() - s.t0);
    if (verdict?.blocked) {
      this.stats.blockedOut++;
      this.opts.events?.refused?.('out', s.addr.node, verdict);
      throw new M2MError('BLOCKED', `message refused by the security scan (${verdict.threat}, score ${verdict.score}${verdict.threats.length ? `: ${verdict.threats.join(', ')}` : ''})`, { verdict });
    }
    return { msgId: `${this.nodeId}.${this.epoch}.${(++this.counter).toString(36)}`, verdict, from, to: s.addr, id, body, json: s.json };
  }

  commit(prepared: PreparedSend): SendResult {
    const p = prepared as Prepared;
    if (p.to.node === this.nodeId) {
      const sink = this.agents.get(p.to.agent);
      if (!sink) throw new M2MError('UNKNOWN_AGENT', `no agent "${p.to.agent}" is connected to ${this.nodeId}`);
      sink.deliver({ type: 'msg', from: `${p.from}@${this.nodeId}`, to: `${p.to.agent}@${this.nodeId}`, id: p.id, msgId: p.msgId, body: p.body, bodyJson: p.json, verdict: p.verdict ?? null });
      this.stats.local++;
      this.opts.events?.routed?.('local', this.nodeId, Buffer.byteLength(p.json));
      return { status: 'delivered', msgId: p.msgId, verdict: p.verdict };
    }
    // No parsed body: the wire needs only the JSON text, and a queued message should hold as little as possible.
    const wire: WireMessage = { uid: p.msgId, from: p.from, to: p.to.agent, json: p.json };
    if (p.id !== undefined) wire.id = p.id;
    if (p.verdict) wire.verdict = p.verdict;
    const status = this.opts.peers.send(p.to.node, wire);
    this.stats.sent++;
    this.opts.events?.routed?.('out', p.to.node, Buffer.byteLength(p.json));
    return { status, msgId: p.msgId, verdict: p.verdict };
  }

  /**
   * A DATA message arrived from a peer: scan it, then deliver it in arrival order.
   * Refused messages (blocking mode) are logged and counted, never delivered.
   */
  receive(peerId: string, msg: WireMessage, done?: () => void): void {
    let runner = this.inbound.get(peerId);
    if (!runner) {
      runner = new OrderedRunner();
      this.inbound.set(peerId, runner);
    }
    const t0 = performance.now();
    // A string body is parsed (its text is what gets scanned); any other body stays text: the scan reads
    // its string values from the text, and a verdict that did so proves it is JSON. Only bodies the scan
    // did not read as JSON (scanning off, a classifier that does not say, limits) are parsed to check.
    let body = msg.body;
    const isString = body === undefined ? firstNonSpace(msg.json) === 0x22 : typeof body === 'string';
    if (body === undefined && isString && (body = this.parseIncoming(peerId, msg)) === undefined) return done?.();
    const policy = this.policyWith(peerId);
    const scanned = (scan: ScanResult | null): void => {
      if (body === undefined && scan?.verdict.json !== true && (body = this.parseIncoming(peerId, msg)) === undefined) return done?.();
      const verdict: VerdictSummary | null = scan?.summary ?? null;
      if (verdict) this.opts.events?.scanned?.('in', verdict, performance.now() - t0);
      if (verdict?.blocked) {
        this.stats.blockedIn++;
        this.opts.events?.refused?.('in', peerId, verdict);
        this.opts.logger?.warn({ peer: peerId, from: msg.from, to: msg.to, msgId: msg.uid, verdict }, 'incoming message refused by the security scan');
        return done?.();
      }
      this.accept(peerId, msg, body, verdict, done);
    };
    const failed = (e: unknown): void => {
      // A scanner failure fails closed in blocking mode and open otherwise.
      this.opts.logger?.warn({ peer: peerId, msgId: msg.uid, err: (e as Error)?.message }, 'incoming message could not be scanned');
      if (policy.blocking || (body === undefined && (body = this.parseIncoming(peerId, msg)) === undefined)) return done?.();
      this.accept(peerId, msg, body, null, done);
    };
    // As on the sending side: a string body as its text, anything else as its JSON.
    const text = isString ? (body as string) : msg.json;
    const parsed = isString ? undefined : body;
    if (runner.size === 0) {
      // Nothing from this peer is still waiting for its scan: a scan that answers at once is delivered in this turn.
      let now: ScanResult | null | undefined;
      try {
        now = scanBodyNow(this.opts.classifier, policy, text, parsed);
      } catch (e) {
        return failed(e);
      }
      if (now !== undefined) return scanned(now);
    }
    runner.run(scanBody(this.opts.classifier, policy, text, parsed), scanned, failed);
  }

  /** The body of an incoming message parsed, or undefined (logged) when it is not JSON. */
  private parseIncoming(peerId: string, msg: WireMessage): unknown {
    try {
      return JSON.parse(msg.json) as unknown;
    } catch {
      this.opts.logger?.warn({ peer: peerId, msgId: msg.uid }, 'incoming message body is not JSON; dropped');
      return undefined;
    }
  }

  /** Deliver to the local agent; `done` runs once the agent's socket took the bytes (the peer's ACK waits for it). */
  private accept(peerId: string, msg: WireMessage, body: unknown, verdict: VerdictSummary | null, done?: () => void): void {
    this.stats.received++;
    this.opts.events?.routed?.('in', peerId, Buffer.byteLength(msg.json));
    const m: IncomingMsg = { type: 'msg', from: `${msg.from}@${peerId}`, to: `${msg.to}@${this.nodeId}`, id: msg.id, msgId: msg.uid, body, bodyJson: msg.json, verdict };
    if (msg.verdict) m.senderVerdict = msg.verdict;
    this.deliverLocal(m, done);
  }

  private deliverLocal(m: IncomingMsg, done?: () => void): void {
    const name = m.to.slice(0, m.to.indexOf('@'));
    const sink = this.agents.get(name);
    if (sink) return sink.deliver(m, done);
    done?.();
    let box = this.mailboxes.get(name);
    if (!box) {
      if (this.mailboxes.size >= MAX_MAILBOXES) {
        this.stats.mailboxDropped++;
        this.opts.logger?.warn({ agent: name, msgId: m.msgId }, 'too many offline agents with mailboxes: message dropped');
        return;
      }
      box = [];
      this.mailboxes.set(name, box);
    }
    if (box.length >= (this.opts.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY)) {
      box.shift();
      this.stats.mailboxDropped++;
      this.opts.logger?.warn({ agent: name }, 'mailbox of an offline agent is full: oldest message dropped');
    }
    box.push(m);
  }

  /** Resolves when every inbound message received so far has been scanned and delivered. */
  async idle(): Promise<void> {
    await Promise.all([...this.inbound.values()].map((r) => r.idle()));
  }

  peers(): PeerSummary[] {
    return this.opts.peers.list();
  }

  status(): Record<string, unknown> {
    return {
      node: this.nodeId,
      uptimeSec: Math.round((Date.now() - this.startedAt) / 1000),
      agents: [...this.agents.keys()].sort(),
      security: this.opts.policy,
      messages: { ...this.stats },
      peers: this.opts.peers.list(),
    };
  }
}
