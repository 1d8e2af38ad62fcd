/**
 * TOON as a Fastify plugin: a content-type parser for `application/toon+json`
 * request bodies and an `onSend` hook that re-encodes JSON replies as TOON
 * when the client's `Accept` prefers it. Routes opt out with
 * `{ config: { toon: false } }` or the `exclude`/`skip` options.
 *
 * Fastify is only a dev dependency: the types below are the few structural
 * pieces the plugin touches, so the package imports without Fastify installed.
 */
import type { IncomingMessage } from 'node:http';
import { M2MError } from '../../protocol/errors.js';
import { ToonCodec } from '../../protocol/toon/codec.js';
import { TOON_MEDIA_TYPE } from '../../protocol/toon/tables.js';
import { DEFAULT_MAX_BODY_BYTES, skipped, type ToonHttpOptions } from './middleware.js';
import { type ToonMetrics, ToonMeter } from './metrics.js';
import { isJsonContentType, prefersToon } from './negotiate.js';

/** The parts of a Fastify request the plugin reads. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
  routeOptions?: { config?: { toon?: boolean } };
}

/** The parts of a Fastify reply the plugin uses. */
export interface FastifyReplyLike {
  getHeader(name: string): unknown;
  header(name: string, value: unknown): unknown;
  statusCode: number;
}

/**
 * The parts of a Fastify instance the plugin registers on. Loosely typed on
 * purpose: Fastify's overloaded signatures must be assignable to it.
 */
export interface FastifyInstanceLike {
  addContentTypeParser(...args: any[]): unknown;
  addHook(...args: any[]): unknown;
}

type ContentTypeParser = (req: FastifyRequestLike, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void;
type OnSendHook = (req: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown) => Promise<unknown>;

/** The plugin function, shaped so Fastify applies it to the parent scope (as fastify-plugin does). */
export interface ToonFastifyPlugin {
  (fastify: FastifyInstanceLike, opts: ToonHttpOptions, done: (err?: Error) => void): void;
  /** Metrics of the most recently registered instance. */
  metrics(): ToonMetrics;
}

function httpError(e: unknown): Error {
  const err = e instanceof M2MError ? e : new M2MError('TOON_INVALID_FORMAT', (e as Error).message);
  return Object.assign(err, { statusCode: err.code === 'INPUT_TOO_LARGE' ? 413 : 400 });
}

/**
 * Create the plugin: `fastify.register(createToonFastifyPlugin(), { level: 'standard' })`.
 * Decode errors reply 400 with the TOON error code.
 */
export function createToonFastifyPlugin(): ToonFastifyPlugin {
  let meter = new ToonMeter();
  const plugin = ((fastify, opts, done) => {
    let codec: ToonCodec;
    try {
      codec = new ToonCodec(opts);
    } catch (e) {
      done(e as Error);
      return;
    }
    meter = new ToonMeter(opts.countTokens);
    const m = meter;
    const off = (req: FastifyRequestLike): boolean => req.routeOptions?.config?.toon === false || skipped(req.raw, opts);

    const parser: ContentTypeParser = (req, body, cb) => {
      if (off(req)) {
        cb(Object.assign(new M2MError('BAD_INPUT', `this route does not accept ${TOON_MEDIA_TYPE}`), { statusCode: 415 }));
        return;
      }
      try {
        const t0 = process.hrtime.bigint();
        const value = codec.decode(body);
        m.body('received', JSON.stringify(value), body, process.hrtime.bigint() - t0, body[0] === 0x1f);
        cb(null, value);
      } catch (e) {
        cb(httpError(e));
      }
    };
    fastify.addContentTypeParser(TOON_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }, parser);

    const onSend: OnSendHook = async (req, reply, payload) => {
      if (off(req)) return payload;
      m.request();
      if (codec.level === 'none' || !prefersToon(req.headers.accept)) return payload;
      const vary = reply.getHeader('vary');
      reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
      const ct = reply.getHeader('content-type');
      if (typeof payload !== 'string' || !isJsonContentType(typeof ct === 'string' ? ct : undefined) || reply.statusCode === 204) return payload;
      try {
        const t0 = process.hrtime.bigint();
        const wire = codec.encodeText(payload);
        m.body('sent', payload, wire, process.hrtime.bigint() - t0, wire[0] === 0x1f);
        reply.header('content-type', TOON_MEDIA_TYPE);
        return Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
      } catch {
        return payload;
      }
    };
    fastify.addHook('onSend', onSend);
    done();
  }) as ToonFastifyPlugin;
  plugin.metrics = () => meter.snapshot();
  const p = plugin as unknown as Record<symbol, unknown>;
  p[Symbol.for('skip-override')] = true;
  p[Symbol.for('fastify.display-name')] = 'm2m-toon';
  return plugin;
}
