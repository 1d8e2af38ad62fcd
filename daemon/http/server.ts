/**
 * The daemon's HTTP API on node:http (default 127.0.0.1:3000).
 *
 * How to wire me (daemon/daemon.ts):
 * ```ts
 * const metrics = createMetrics();
 * const api = createHttpApi({
 *   config, logger: componentLogger(root, 'http'), metrics, classifier,
 *   codecs: codecEngineAdapter(),                   // ./codec-adapter.ts
 *   router: httpRouterFromAgentHost(router),         // ./router-adapter.ts: prepare + commit
 *   sessions: { count: () => peerLinks.sessionCount() },
 *   status: () => router.status(),                   // merged into GET /status
 * });
 * if (config.http.enabled) log.info(await api.listen(), 'http api listening');
 * // SIGHUP: api.reload(newConfig)   SIGTERM: await api.close(graceMs)
 * ```
 * Routes: GET /health, /status, /metrics; POST /compress, /compress/auto,
 * /decompress, /scan, /analyze, /message. Errors are JSON `{error, code, …}`.
 * With `http.token` set, everything but GET /health needs `Authorization: Bearer <token>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { M2MError } from '../../protocol/errors.js';
import type { DaemonConfig } from '../config/schema.js';
import { parseBody, readBody } from './body.js';
import type { Handler, RouteContext } from './context.js';
import { serverCapabilities } from './envelope.js';
import { HttpSessionTable } from './http-sessions.js';
import { errorBody, send, statusForError, type Reply } from './respond.js';
import { analyze, compress, compressAuto, decompress, scan } from './routes-codec.js';
import { message } from './routes-message.js';
import { createToonNegotiator } from './toon-negotiator.js';
import { modelVersionOf } from '../router/scan.js';
import type { HttpApiDeps } from './types.js';

/** Version reported when the caller gives none. */
export const API_VERSION = '0.1.0';
/** Time allowed to receive a whole request. @default 30 s */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Time allowed to receive the headers. @default 10 s */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Idle keep-alive connections are closed after this. @default 5 s */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Concurrent connections accepted. @default 1024 */
export const MAX_CONNECTIONS = 1024;

export interface HttpApi {
  /** Starts listening on `config.http.host:port`. @throws the listen error (e.g. EADDRINUSE) */
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops connections. */
  close(graceMs?: number): Promise<void>;
  /** Swaps in a reloaded config (thresholds, blocking, body limit, session idle time). */
  reload(config: DaemonConfig): void;
  /** The underlying server (for tests and socket activation). */
  readonly server: Server;
}

const health: Handler = async (ctx) => ({ status: 200, json: { status: 'ok', version: ctx.version } });

const status: Handler = async (ctx) => {
  const c = ctx.config();
  const peerSessions = ctx.deps.sessions?.count() ?? 0;
  return {
    status: 200,
    json: {
      status: 'ok',
      version: ctx.version,
      node: c.node.id,
      uptime_secs: Math.floor((Date.now() - ctx.startedAt) / 1000),
      active_sessions: peerSessions + ctx.sessions.size,
      http_sessions: ctx.sessions.size,
      peer_sessions: peerSessions,
      security: { enabled: c.security.enabled, blocking: c.security.blocking, block_threshold: c.security.block_threshold, classifier: ctx.deps.classifier !== undefined },
      capabilities: serverCapabilities(c, ctx.serverId, undefined, modelVersionOf(ctx.deps.classifier)),
      ...(ctx.deps.status?.() ?? {}),
    },
  };
};

const metrics: Handler = async (ctx) => ({ status: 200, text: await ctx.deps.metrics.text(), contentType: ctx.deps.metrics.contentType });

const ROUTES: Readonly<Record<string, Partial<Record<'GET' | 'POST', Handler>>>> = {
  '/health': { GET: health },
  '/status': { GET: status },
  '/metrics': { GET: metrics },
  '/compress': { POST: compress },
  '/compress/auto': { POST: compressAuto },
  '/decompress': { POST: decompress },
  '/scan': { POST: scan },
  '/analyze': { POST: analyze },
  '/message': { POST: message },
};

/** Constant-time check of `Authorization: Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (t: string): Buffer => createHash('sha256').update(t).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}

/** Builds the HTTP API; nothing listens until {@link HttpApi.listen}. */
export function createHttpApi(deps: HttpApiDeps): HttpApi {
  let config = deps.config;
  const ctx: RouteContext = {
    deps,
    config: () => config,
    sessions: new HttpSessionTable(config.session.idle_timeout_ms),
    startedAt: Date.now(),
    serverId: randomUUID(),
    version: deps.version ?? API_VERSION,
  };
  const log = deps.logger;
  // The TOON negotiator follows the current config (rebuilt on reload); an injected one wins.
  let toon = config.toon.enabled ? (deps.negotiator ?? createToonNegotiator(config.toon)) : undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const route = ROUTES[path];
    const routeLabel = route ? path : 'unmatched';
    let reply: Reply;
    try {
      if (!route) throw new M2MError('NOT_FOUND', `no route ${path}`);
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (config.http.token !== '' && !(path === '/health' && method === 'GET') && !bearerMatches(req.headers.authorization, config.http.token)) {
        res.setHeader('www-authenticate', 'Bearer realm="m2m"');
        throw new M2MError('UNAUTHORIZED', 'missing or wrong bearer token (Authorization: Bearer <http.token>)');
      }
      const handler = route[method as 'GET' | 'POST'];
      if (!handler) {
        const allow = Object.keys(route).join(', ');
        res.setHeader('allow', allow);
        throw new M2MError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path} (use ${allow})`);
      }
      let body: unknown;
      if (method === 'POST') body = parseBody(req.headers['content-type'], await readBody(req, config.http.body_limit), toon);
      reply = await handler(ctx, body);
    } catch (e) {
      reply = { status: statusForError(e), json: errorBody(e) };
      if (reply.status >= 500) log.error({ err: e, path }, 'http request failed');
      else log.debug({ code: (e as M2MError).code, path }, 'http request refused');
    }
    deps.metrics.httpRequest(routeLabel, reply.status);
    if (reply.status === 413) reply.headers = { ...(reply.headers ?? {}), connection: 'close' };
    const accept = req.headers.accept;
    let encoded: { contentType: string; body: string | Buffer } | undefined;
    if (toon && reply.json !== undefined) {
      reply.headers = { ...(reply.headers ?? {}), vary: 'Accept' };
      try {
        encoded = accept ? toon.encodeResponse?.(accept, reply.json) : undefined;
      } catch (e) {
        log.warn({ err: e, path }, 'TOON encoding failed; answering JSON');
      }
    }
    send(res, reply, encoded);
  }

  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((e) => {
      log.error({ err: e }, 'http handler crashed');
      if (!res.headersSent) send(res, { status: 500, json: errorBody(e) });
      else res.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;

  return {
    server,
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        server.once('error', onError);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close(graceMs = config.shutdown.grace_ms) {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
    reload(next) {
      config = next;
      toon = next.toon.enabled ? (deps.negotiator ?? createToonNegotiator(next.toon)) : undefined;
      ctx.sessions.setIdle(next.session.idle_timeout_ms);
    },
  };
}
