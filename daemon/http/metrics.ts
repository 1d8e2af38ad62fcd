/**
 * Prometheus metrics (prom-client, one private registry per daemon so tests and
 * several daemons in one process do not collide). Served as text by `GET /metrics`.
 *
 * How to wire me (network side):
 * ```ts
 * const metrics = createMetrics();
 * const router = new Router({ …, events: metrics.routerEvents });    // scans, routed, refused
 * metrics.messageOut(peerId, 'tokennative', wireBytes, jsonBytes);   // per DATA frame sent
 * metrics.messageIn(peerId, 'tokennative', wireBytes, jsonBytes);    // per DATA frame received
 * metrics.saved('tokennative', bytesSaved, tokensSaved);
 * metrics.sessionOpened('ws'); metrics.sessionClosed('ws');
 * metrics.setQueueDepth(peerId, queue.length);
 * ```
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PendingCounters, PendingObservations } from './metrics-pending.js';

/** Verdict fields the metrics look at (a classifier `Verdict` or the router's summary both fit). */
export interface VerdictLike {
  safe: boolean;
  blocked: boolean;
  threat: string | null;
}

export type Direction = 'in' | 'out' | 'local';

/** Scan latency buckets in seconds (sub-millisecond rules up to slow model runs). */
export const SCAN_LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export interface MetricsOptions {
  /** Also export Node process metrics (RSS, heap, event loop lag, …) with prefix `m2m_`. @default true */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'direction' | 'peer' | 'codec'>;
  private readonly wireBytes: Counter<'direction' | 'peer' | 'codec'>;
  private readonly jsonBytes: Counter<'direction' | 'peer' | 'codec'>;
  private readonly bytesSaved: Counter<'codec'>;
  private readonly tokensSaved: Counter<'codec'>;
  private readonly verdicts: Counter<'direction' | 'verdict' | 'threat'>;
  private readonly scanLatency: Histogram<'direction'>;
  private readonly sessions: Gauge<'transport'>;
  private readonly queueDepth: Gauge<'peer'>;
  private readonly httpRequests: Counter<'route' | 'status'>;
  // Per-message updates go through these (see metrics-pending.ts); prom-client sees them when it collects.
  private readonly pendingMessages = new PendingCounters();
  private readonly pendingSaved = new PendingCounters();
  private readonly pendingVerdicts = new PendingCounters();
  private readonly pendingLatency = new PendingObservations();
  private readonly directionLabels = new Map<string, { direction: string }>();

  /** Router callbacks (structurally the router's `RouterEvents`). */
  readonly routerEvents = {
    scanned: (direction: 'in' | 'out', verdict: VerdictLike, latencyMs: number): void => this.scan(direction, verdict, latencyMs),
    routed: (direction: Direction, peer: string, jsonBytes: number): void => {
      this.pendingMessages.add(`${direction}\0${peer}\0json`, () => ({ direction, peer, codec: 'json' }), 1, 0, jsonBytes);
    },
    refused: (): void => undefined,
  };

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    const messages = (): void => this.pendingMessages.flush();
    const saved = (): void => this.pendingSaved.flush();
    const verdicts = (): void => this.pendingVerdicts.flush();
    this.messages = new Counter({ name: 'm2m_messages_total', help: 'DATA messages by direction, peer and codec', labelNames: ['direction', 'peer', 'codec'], registers, collect: messages });
    this.wireBytes = new Counter({ name: 'm2m_wire_bytes_total', help: 'Bytes on the wire (compressed) by direction, peer and codec', labelNames: ['direction', 'peer', 'codec'], registers, collect: messages });
    this.jsonBytes = new Counter({ name: 'm2m_json_bytes_total', help: 'Message bytes before compression by direction, peer and codec', labelNames: ['direction', 'peer', 'codec'], registers, collect: messages });
    this.bytesSaved = new Counter({ name: 'm2m_bytes_saved_total', help: 'Bytes saved by compression', labelNames: ['codec'], registers, collect: saved });
    this.tokensSaved = new Counter({ name: 'm2m_tokens_saved_total', help: 'Tokens saved by compression', labelNames: ['codec'], registers, collect: saved });
    this.verdicts = new Counter({ name: 'm2m_scan_verdicts_total', help: 'Security scan verdicts (safe, unsafe, blocked)', labelNames: ['direction', 'verdict', 'threat'], registers, collect: verdicts });
    this.scanLatency = new Histogram({ name: 'm2m_scan_latency_seconds', help: 'Security scan latency', labelNames: ['direction'], buckets: SCAN_LATENCY_BUCKETS, registers, collect: () => this.pendingLatency.flush() });
    this.pendingMessages.bind([this.messages, this.wireBytes, this.jsonBytes]);
    this.pendingSaved.bind([this.bytesSaved, this.tokensSaved]);
    this.pendingVerdicts.bind([this.verdicts]);
    this.pendingLatency.bind(this.scanLatency);
    this.sessions = new Gauge({ name: 'm2m_sessions', help: 'Open peer sessions by transport', labelNames: ['transport'], registers });
    this.queueDepth = new Gauge({ name: 'm2m_queue_depth', help: 'Messages waiting for an unreachable peer', labelNames: ['peer'], registers });
    this.httpRequests = new Counter({ name: 'm2m_http_requests_total', help: 'HTTP API requests by route and status', labelNames: ['route', 'status'], registers });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'm2m_' });
  }

  /** A DATA frame sent to `peer` carrying `messages` messages (batched frames carry several). */
  messageOut(peer: string, codec: string, wireBytes: number, jsonBytes?: number, messages = 1): void {
    this.message('out', peer, codec, wireBytes, jsonBytes, messages);
  }

  /** A DATA frame received from `peer` carrying `messages` messages. */
  messageIn(peer: string, codec: string, wireBytes: number, jsonBytes?: number, messages = 1): void {
    this.message('in', peer, codec, wireBytes, jsonBytes, messages);
  }

  private message(direction: Direction, peer: string, codec: string, wire: number, json: number | undefined, messages: number): void {
    this.pendingMessages.add(`${direction}\0${peer}\0${codec}`, () => ({ direction, peer, codec }), messages, wire, json ?? 0);
  }

  /** Savings of one compression (negative values count as 0). */
  saved(codec: string, bytes: number, tokens = 0): void {
    if (bytes > 0 || tokens > 0) this.pendingSaved.add(codec, () => ({ codec }), Math.max(0, bytes), Math.max(0, tokens));
  }

  /** One scan verdict and its latency. `direction` is `in`, `out` or `http`. */
  scan(direction: string, verdict: VerdictLike, latencyMs: number): void {
    const kind = verdict.blocked ? 'blocked' : verdict.safe ? 'safe' : 'unsafe';
    const threat = verdict.threat ?? 'none';
    this.pendingVerdicts.add(`${direction}\0${kind}\0${threat}`, () => ({ direction, verdict: kind, threat }), 1);
    let labels = this.directionLabels.get(direction);
    if (labels === undefined) this.directionLabels.set(direction, (labels = { direction }));
    this.pendingLatency.observe(labels, latencyMs / 1000);
  }

  sessionOpened(transport: string): void {
    this.sessions.inc({ transport });
  }

  sessionClosed(transport: string): void {
    this.sessions.dec({ transport });
  }

  setSessions(transport: string, count: number): void {
    this.sessions.set({ transport }, count);
  }

  setQueueDepth(peer: string, depth: number): void {
    this.queueDepth.set({ peer }, depth);
  }

  httpRequest(route: string, status: number): void {
    this.httpRequests.inc({ route, status: String(status) });
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** A fresh metrics set with its own registry. */
export function createMetrics(options?: MetricsOptions): Metrics {
  return new Metrics(options);
}
