/**
 * `startDaemon(config)`: wires configuration, logging, the classifier, the
 * peer listeners and links, the router, the agent socket and (when enabled)
 * the HTTP API, and returns a handle whose `stop()` drains everything.
 * Signals are bound by the CLI (`m2m daemon`), not here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DaemonConfig } from './config/schema.js';
import { certHashes } from './config/load.js';
import { createLogger, type Logger } from './log.js';
import type { Classifier } from '../inference/types.js';
import { createClassifier } from '../inference/create-classifier.js';
import type { ListenOptions, TlsOptions } from '../transports/transport.js';
import { createAgentServer, type AgentServer } from './agent-api/server.js';
import { MemoryQueueStore } from './queue/memory-queue.js';
import { Router } from './router/router.js';
import { createAlwaysSafeClassifier, modelVersionOf, type SecurityPolicy } from './router/scan.js';
import type { RouterEvents, WireMessage } from './router/types.js';
import { PeerManager, type StaticPeer, type TransportApi } from './peers/manager.js';
import { builtinTransports } from './peers/transports.js';
import { listenFds } from './systemd/notify.js';
import { createCodecAdapter, createHttpApi, createMetrics, httpRouterFromAgentHost, type HttpApi, type HttpCodecs, type Metrics } from './http/index.js';

export interface DaemonExtras {
  /** Security classifier. @default createClassifier() with the configured model, threshold and mode */
  classifier?: Classifier;
  /** dial/listen by URL. @default the built-in transports */
  transports?: TransportApi;
  logger?: Logger;
  /** Client certificate presented when dialling peers (mutual TLS), PEM. */
  clientCert?: { cert: string | Uint8Array; key: string | Uint8Array };
  /** Accept unauthenticated peer links (tests on loopback only). @default false */
  allowUnauthenticated?: boolean;
  /** Extra router event hooks (metrics, benchmarks). */
  events?: RouterEvents;
  /** Start the HTTP API when `config.http.enabled`. @default true */
  http?: boolean;
  /** Codec engine for the HTTP API's /compress, /decompress, /analyze. */
  codecs?: HttpCodecs;
  /** Prometheus metrics. @default a fresh set */
  metrics?: Metrics;
}

export interface Daemon {
  readonly nodeId: string;
  readonly config: DaemonConfig;
  readonly logger: Logger;
  readonly router: Router;
  readonly peers: PeerManager;
  /** Where the agent socket listens. */
  readonly agentSocket: string;
  /** Peer listener URLs actually bound. */
  readonly listening: string[];
  /** HTTP API address, when it runs. */
  readonly httpUrl?: string;
  readonly metrics: Metrics;
  /** Re-read peers and thresholds from a new config (SIGHUP). */
  reload(config: DaemonConfig): void;
  /**
   * Stop accepting, flush queues and in-flight messages within `graceMs`, CLOSE peer links
   * with SERVER_SHUTDOWN, close agents and listeners.
   * @returns true when everything was flushed in time
   */
  stop(graceMs?: number): Promise<boolean>;
}

const read = (path: string): string | undefined => (path ? readFileSync(path, 'utf8') : undefined);

function policyOf(c: DaemonConfig): SecurityPolicy {
  return { enabled: c.security.enabled, blocking: c.security.blocking, threshold: c.security.block_threshold };
}

function staticPeers(c: DaemonConfig, extraCert?: DaemonExtras['clientCert']): StaticPeer[] {
  const defaultCa = read(c.listen.tls_ca);
  const clientCert = extraCert ?? (c.auth.client_cert ? { cert: read(c.auth.client_cert)!, key: read(c.auth.client_key)! } : undefined);
  return c.peers.map((p) => {
    const tls: TlsOptions = {};
    const ca = read(p.tls_ca) ?? defaultCa;
    if (ca) tls.ca = ca;
    if (p.server_name) tls.serverName = p.server_name;
    if (p.cert_sha256) tls.certHashes = certHashes(p.cert_sha256);
    if (clientCert) Object.assign(tls, clientCert);
    return { id: p.id, url: p.url, tls, ...(p.psk ? { psk: p.psk } : {}) };
  });
}

function pskOf(c: DaemonConfig): string | undefined {
  if (c.auth.psk) return c.auth.psk;
  if (c.auth.psk_file) return readFileSync(c.auth.psk_file, 'utf8').split('\n')[0].trim();
  return undefined;
}


/**
 * `auto` only when the package ships a model: loading the model runtime costs ~28 MB of RSS,
 * which a rules-only daemon should not pay.
 */
function modelChoice(path: string, logger: Logger): string {
  if (path) return path;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const models = join(dir, 'inference', 'models');
  const shipped = existsSync(models) && readdirSync(models).some((f) => f.endsWith('.onnx'));
  if (!shipped) logger.warn({ dir: models }, 'no security model shipped: scanning with rules only');
  return shipped ? 'auto' : 'none';
}

/** Start a daemon from a validated config. @throws M2MError SOCKET_IN_USE, transport listen errors */
export async function startDaemon(config: DaemonConfig, extras: DaemonExtras = {}): Promise<Daemon> {
  const logger = extras.logger ?? createLogger({ level: config.log.level, format: config.log.format, name: config.node.id });
  let current = config;
  const classifier = extras.classifier ?? (config.security.enabled
    ? await createClassifier({
        model: modelChoice(config.security.model_path, logger),
        threshold: config.security.block_threshold,
        blocking: config.security.blocking,
        ...(config.security.pool_threads > 0 ? { scanPool: { threads: config.security.pool_threads } } : {}),
        logger: logger.child({ component: 'security' }),
      })
    : createAlwaysSafeClassifier());
  const transports = extras.transports ?? builtinTransports;
  const metrics = extras.metrics ?? createMetrics();
  const events: RouterEvents = {
    scanned: (d, v, ms) => {
      metrics.routerEvents.scanned(d, v, ms);
      extras.events?.scanned?.(d, v, ms);
    },
    routed: (d, p, n) => {
      metrics.routerEvents.routed(d, p, n);
      extras.events?.routed?.(d, p, n);
    },
    refused: (d, p, v) => extras.events?.refused?.(d, p, v),
  };
  const listenTls: TlsOptions | undefined = config.listen.tls_cert ? { cert: read(config.listen.tls_cert), key: read(config.listen.tls_key), ca: read(config.listen.tls_ca) } : undefined;
  const listenOpts: ListenOptions = listenTls ? { tls: listenTls } : {};
  // Client certificates are asked for on wss:// and quic:// only; WebTransport has none (HELLO proves the peer).
  const mtls = (url: string): ListenOptions => (config.listen.require_client_cert && !url.startsWith('https:') ? { ...listenOpts, requireClientCert: true } : listenOpts);
  const listen = [config.listen.ws, config.listen.quic, config.listen.webtransport].filter((u) => u).map((url) => ({ url, opts: mtls(url) }));
  const queue = new MemoryQueueStore<WireMessage>(config.queue.max_per_peer);
  const log = (component: string) => logger.child({ component });
  // eslint-disable-next-line prefer-const
  let router: Router;
  const peers = new PeerManager({
    nodeId: config.node.id,
    peers: staticPeers(config, extras.clientCert),
    transports,
    queue,
    listen,
    psk: pskOf(config),
    allowUnauthenticated: extras.allowUnauthenticated,
    backoff: { initialMs: config.session.reconnect_initial_ms, maxMs: config.session.reconnect_max_ms },
    handshakeTimeoutMs: Math.min(config.session.hello_timeout_ms, 30_000),
    compress: config.compression.enabled,
    linkCpuBudget: config.compression.link_cpu_budget,
    // What HELLO announces: this node's real policy (re-read per session, so SIGHUP changes reach new sessions).
    security: () => ({
      threatDetection: current.security.enabled,
      blocking: current.security.blocking,
      threshold: current.security.block_threshold,
      modelVersion: modelVersionOf(classifier),
    }),
    keepalive: { intervalMs: config.session.ping_interval_ms, timeoutMs: config.session.pong_timeout_ms, missed: config.session.max_missed_pongs },
    deliver: (peer, msg, done) => router.receive(peer, msg, done),
    logger: log('peers'),
    data: (peer, dir, codec, frameBytes, jsonBytes, messages) => {
      if (dir === 'out') {
        metrics.messageOut(peer, codec, frameBytes, jsonBytes, messages);
        metrics.saved(codec, jsonBytes - frameBytes);
      } else {
        metrics.messageIn(peer, codec, frameBytes, jsonBytes, messages);
      }
    },
    sessionsChanged: () => {
      const by = new Map<string, number>();
      for (const p of peers.all()) if (p.conn) by.set(p.conn.transport, (by.get(p.conn.transport) ?? 0) + 1);
      for (const t of ['ws', 'quic', 'webtransport', 'memory']) metrics.setSessions(t, by.get(t) ?? 0);
    },
  });
  router = new Router({ nodeId: config.node.id, classifier, policy: policyOf(config), peers, events, logger: log('router') });
  const http: HttpApi | undefined = config.http.enabled && extras.http !== false
    ? createHttpApi({
      config,
      logger: log('http'),
      metrics,
      classifier,
      codecs: extras.codecs ?? createCodecAdapter(() => current),
      router: httpRouterFromAgentHost(router),
      sessions: { count: () => peers.connectedCount, list: () => peers.list() },
      status: () => router.status(),
    })
    : undefined;
  const depthTimer = setInterval(() => {
    for (const [peer, n] of Object.entries(queue.depths())) metrics.setQueueDepth(peer, n);
  }, 1000);
  depthTimer.unref();
  const agents: AgentServer = createAgentServer({
    path: config.agent.socket_path,
    mode: config.agent.socket_mode,
    maxLineBytes: config.agent.max_line_bytes,
    host: router,
    fd: (listenFds().find((f) => f.name === 'agent') ?? listenFds()[0])?.fd,
  });
  let listening: string[];
  let httpUrl: string | undefined;
  try {
    listening = await peers.start();
    await agents.listen();
    if (http) {
      const a = await http.listen();
      httpUrl = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    }
  } catch (e) {
    clearInterval(depthTimer);
    await agents.close(true);
    await peers.stop(0);
    await http?.close(0);
    throw e;
  }
  logger.info({ agentSocket: config.agent.socket_path, listening, http: httpUrl, peers: config.peers.map((p) => p.id) }, 'daemon started');
  return {
    nodeId: config.node.id,
    get config() {
      return current;
    },
    logger,
    router,
    peers,
    agentSocket: config.agent.socket_path,
    listening,
    httpUrl,
    metrics,
    reload(next: DaemonConfig) {
      current = next;
      http?.reload(next);
      router.setPolicy(policyOf(next));
      peers.reload(staticPeers(next, extras.clientCert));
      logger.info({ peers: next.peers.map((p) => p.id), security: policyOf(next) }, 'configuration reloaded');
    },
    async stop(graceMs = config.shutdown.grace_ms) {
      router.stopAccepting();
      await agents.close(false);
      const httpClosed = http?.close(Math.min(graceMs, 2000));
      const flushed = await peers.stop(graceMs);
      await router.idle();
      await agents.close(true);
      await httpClosed;
      clearInterval(depthTimer);
      await classifier.close();
      await queue.close();
      logger.info({ flushed }, 'daemon stopped');
      return flushed;
    },
  };
}
