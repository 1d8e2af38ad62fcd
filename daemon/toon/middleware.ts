/**
 * TOON for plain `node:http`, Connect and Express: a `(req, res, next)`
 * middleware that decodes `application/toon+json` request bodies into
 * `req.body` and, when the client's `Accept` prefers TOON, re-encodes JSON
 * responses as TOON. Routes can be skipped.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { M2MError } from '../../protocol/errors.js';
import { ToonCodec, type ToonOptions } from '../../protocol/toon/codec.js';
import { TOON_MEDIA_TYPE } from '../../protocol/toon/tables.js';
import { type ToonMetrics, ToonMeter } from './metrics.js';
import { isJsonContentType, isToonContentType, prefersToon } from './negotiate.js';

/** Options for {@link createToonMiddleware} and the Fastify plugin. */
export interface ToonHttpOptions extends ToonOptions {
  /** Skip TOON for this request (both directions). Paths in `exclude` are skipped too. */
  skip?: (req: IncomingMessage) => boolean;
  /** Path prefixes that never use TOON, e.g. `['/health']`. @default [] */
  exclude?: string[];
  /** Largest request body read. @default 1 MiB */
  maxBodyBytes?: number;
  /** Largest response buffered for re-encoding; bigger ones pass through as JSON. @default 8 MiB */
  maxResponseBytes?: number;
  /** Token counter for `tokensSaved`, e.g. `getTokenizer('o200k').count`. */
  countTokens?: (text: string) => number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A Connect/Express-style middleware with its metrics. */
export interface ToonMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  metrics(): ToonMetrics;
}

/** True when the request's path is excluded or `skip` says so. */
export function skipped(req: IncomingMessage, opts: ToonHttpOptions): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return (opts.exclude ?? []).some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`)) || (opts.skip?.(req) ?? false);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return; // keep draining so the 413 reply can be read
      n += c.length;
      if (n > max) {
        over = true;
        chunks.length = 0;
        reject(new M2MError('INPUT_TOO_LARGE', `request body larger than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof M2MError ? e : new M2MError('TOON_INVALID_FORMAT', (e as Error).message);
  const status = err.code === 'INPUT_TOO_LARGE' ? 413 : 400;
  const body = JSON.stringify({ error: err.toJSON() });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(body);
}

/**
 * Create the middleware.
 * @throws M2MError BAD_INPUT for invalid custom mappings
 */
export function createToonMiddleware(options: ToonHttpOptions = {}): ToonMiddleware {
  const codec = new ToonCodec(options);
  const meter = new ToonMeter(options.countTokens);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxResponse = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const mw = ((req, res, next) => {
    if (skipped(req, options)) return next();
    meter.request();
    if (prefersToon(req.headers.accept) && codec.level !== 'none') interceptResponse(res, codec, meter, maxResponse);
    if (!isToonContentType(req.headers['content-type'])) return next();
    readBody(req, maxBody).then(
      (raw) => {
        try {
          const t0 = process.hrtime.bigint();
          const value = codec.decode(raw);
          const json = JSON.stringify(value);
          meter.body('received', json, raw, process.hrtime.bigint() - t0, raw[0] === 0x1f);
          const r = req as IncomingMessage & { body?: unknown; _body?: boolean };
          r.body = value;
          r._body = true; // body-parser convention: the body is already parsed
          req.headers['content-type'] = 'application/json';
          req.headers['content-length'] = String(Buffer.byteLength(json));
        } catch (e) {
          sendError(res, e);
          return;
        }
        next();
      },
      (e) => sendError(res, e),
    );
  }) as ToonMiddleware;
  mw.metrics = () => meter.snapshot();
  return mw;
}

type Head = [number, string | undefined, OutgoingHttpHeaders | unknown[] | undefined];

/** Buffer a JSON response and re-encode it as TOON at `end()`; anything else passes through untouched. */
function interceptResponse(res: ServerResponse, codec: ToonCodec, meter: ToonMeter, maxBytes: number): void {
  const orig = { writeHead: res.writeHead, write: res.write, end: res.end };
  const chunks: Buffer[] = [];
  let size = 0;
  let head: Head | undefined;
  let mode: 'undecided' | 'buffer' | 'pass' = 'undecided';
  res.setHeader('vary', [res.getHeader('vary'), 'Accept'].filter(Boolean).join(', '));

  const restore = (): void => {
    res.writeHead = orig.writeHead;
    res.write = orig.write;
    res.end = orig.end;
  };
  const applyHead = (): void => {
    if (!head) return;
    const [status, reason, headers] = head;
    res.statusCode = status;
    if (reason !== undefined) res.statusMessage = reason;
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as string);
    else if (headers) for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    head = undefined;
  };
  const decide = (): void => {
    if (mode !== 'undecided') return;
    applyHead();
    const ct = res.getHeader('content-type');
    mode = isJsonContentType(typeof ct === 'string' ? ct : undefined) && !res.getHeader('content-encoding') ? 'buffer' : 'pass';
    if (mode === 'pass') restore();
  };
  const toBuf = (chunk: unknown, enc?: BufferEncoding): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array as string, enc));
  const flushAsIs = (): void => {
    restore();
    const body = Buffer.concat(chunks);
    chunks.length = 0;
    if (!res.headersSent) res.removeHeader('content-length');
    if (body.length > 0) res.write(body);
  };

  res.writeHead = function (status: number, a?: unknown, b?: unknown) {
    head = typeof a === 'string' ? [status, a, b as Head[2]] : [status, undefined, a as Head[2]];
    return res;
  } as typeof res.writeHead;

  res.write = function (chunk: unknown, enc?: unknown, cb?: unknown) {
    decide();
    if (mode === 'pass') return res.write(chunk as string, enc as BufferEncoding, cb as () => void);
    const b = toBuf(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : undefined);
    chunks.push(b);
    size += b.length;
    if (size > maxBytes) flushAsIs();
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  } as typeof res.write;

  res.end = function (chunk?: unknown, enc?: unknown, cb?: unknown) {
    decide();
    if (mode === 'pass') return res.end(chunk as string, enc as BufferEncoding, cb as () => void);
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuf(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : undefined));
    restore();
    const done = [chunk, enc, cb].find((x) => typeof x === 'function') as (() => void) | undefined;
    const body = Buffer.concat(chunks);
    let out: Buffer = body;
    const noBody = res.statusCode === 204 || res.statusCode === 304 || body.length === 0;
    if (!noBody) {
      try {
        const text = body.toString('utf8');
        const t0 = process.hrtime.bigint();
        const wire = codec.encodeText(text);
        meter.body('sent', text, wire, process.hrtime.bigint() - t0, wire[0] === 0x1f);
        out = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
        res.setHeader('content-type', TOON_MEDIA_TYPE);
      } catch {
        out = body; // not JSON after all: send it unchanged
      }
    }
    if (!res.headersSent) res.setHeader('content-length', out.length);
    return res.end(out, done);
  } as typeof res.end;
}
