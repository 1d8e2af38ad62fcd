/**
 * A `fetch`-based TOON client (seed `003` Transport): base URL, level,
 * per-request timeout, TOON request bodies, `Accept` negotiation and metrics.
 */
import { ToonCodec, type ToonOptions } from '../../protocol/toon/codec.js';
import { TOON_MEDIA_TYPE } from '../../protocol/toon/tables.js';
import { type ToonMetrics, ToonMeter } from './metrics.js';
import { isToonContentType, TOON_ACCEPT } from './negotiate.js';

/** Options for {@link ToonClient}. */
export interface ToonClientOptions extends ToonOptions {
  /** e.g. `http://127.0.0.1:8080/v1`; request paths are appended. */
  baseUrl: string;
  /** Per-request timeout in milliseconds. @default 30,000 */
  timeoutMs?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Token counter for `tokensSaved`, e.g. `getTokenizer('o200k').count`. */
  countTokens?: (text: string) => number;
  /** `fetch` to use (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** One request. */
export interface ToonRequest {
  method: string;
  path: string;
  /** JSON value sent as TOON (level `none`: as JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A decoded response. */
export interface ToonResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Decoded body (TOON or JSON), or the text when it is neither, or undefined when empty. */
  data: T;
  /** True when the server answered in TOON. */
  toon: boolean;
}

export const DEFAULT_TOON_TIMEOUT_MS = 30_000;

export class ToonClient {
  private readonly codec: ToonCodec;
  private readonly meter: ToonMeter;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  /** @throws M2MError BAD_INPUT for invalid custom mappings */
  constructor(private readonly options: ToonClientOptions) {
    this.codec = new ToonCodec(options);
    this.meter = new ToonMeter(options.countTokens);
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /**
   * Send a request. HTTP error statuses are returned, not thrown.
   * @throws DOMException TimeoutError after `timeoutMs`, AbortError when `signal` aborts;
   *   M2MError TOON_* when a TOON response does not decode
   */
  async do<T = unknown>(req: ToonRequest): Promise<ToonResponse<T>> {
    this.meter.request();
    const useToon = this.codec.level !== 'none';
    const headers: Record<string, string> = { accept: useToon ? TOON_ACCEPT : 'application/json', ...this.options.headers, ...req.headers };
    let body: Uint8Array | undefined;
    if (req.body !== undefined) {
      const json = JSON.stringify(req.body);
      const t0 = process.hrtime.bigint();
      body = useToon ? this.codec.encode(req.body) : new TextEncoder().encode(json);
      this.meter.body('sent', json, body, process.hrtime.bigint() - t0, body[0] === 0x1f);
      headers['content-type'] = useToon ? TOON_MEDIA_TYPE : 'application/json';
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TOON_TIMEOUT_MS);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const res = await this.fetchFn(`${this.base}${req.path.startsWith('/') ? '' : '/'}${req.path}`, { method: req.method, headers, body, signal });
    const raw = new Uint8Array(await res.arrayBuffer());
    const ct = res.headers.get('content-type') ?? undefined;
    const toon = isToonContentType(ct);
    let data: unknown;
    if (raw.length === 0) data = undefined;
    else if (toon) {
      const t0 = process.hrtime.bigint();
      data = this.codec.decode(raw);
      this.meter.body('received', JSON.stringify(data), raw, process.hrtime.bigint() - t0, raw[0] === 0x1f);
    } else {
      const text = new TextDecoder().decode(raw);
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    return { status: res.status, headers: res.headers, data: data as T, toon };
  }

  get<T = unknown>(path: string, init: Omit<ToonRequest, 'method' | 'path' | 'body'> = {}): Promise<ToonResponse<T>> {
    return this.do<T>({ ...init, method: 'GET', path });
  }

  post<T = unknown>(path: string, body: unknown, init: Omit<ToonRequest, 'method' | 'path' | 'body'> = {}): Promise<ToonResponse<T>> {
    return this.do<T>({ ...init, method: 'POST', path, body });
  }

  put<T = unknown>(path: string, body: unknown, init: Omit<ToonRequest, 'method' | 'path' | 'body'> = {}): Promise<ToonResponse<T>> {
    return this.do<T>({ ...init, method: 'PUT', path, body });
  }

  delete<T = unknown>(path: string, init: Omit<ToonRequest, 'method' | 'path' | 'body'> = {}): Promise<ToonResponse<T>> {
    return this.do<T>({ ...init, method: 'DELETE', path });
  }

  /** A copy of the counters. */
  metrics(): ToonMetrics {
    return this.meter.snapshot();
  }
}
