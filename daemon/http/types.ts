/**
 * What the HTTP API needs from the rest of the daemon. Each piece is a small
 * interface so tests pass fakes and the daemon passes adapters over the codec
 * engine, the classifier and the router.
 */
import type { Classifier } from '../../inference/types.js';
import type { DaemonConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

/** Codec names on the HTTP API (the reference's JSON names, plus `t1`). */
export type HttpAlgorithm = 'm2m' | 'tokennative' | 'brotli' | 't1' | 'none';

/** A compressed payload as the codec engine returns it. */
export interface CodecOutput {
  /** Wire string (`#TK|C|…`, `#M2M[v3.0]|DATA:…`, `#M2M|1|…`, or the input for `none`). */
  data: string;
  /** Codec actually used: `m2m`, `tokennative`, `brotli` or `none`. */
  algorithm: string;
  /** Token counts (cl100k unless the codec says otherwise), when the codec counted them. */
  originalTokens?: number;
  compressedTokens?: number;
}

/** Per-call options. */
export interface CompressCallOptions {
  /** Fill `originalTokens`/`compressedTokens` (costly for long inputs). */
  countTokens?: boolean;
}

/** The codec engine as the HTTP API uses it (sync or async). */
export interface HttpCodecs {
  /** @throws M2MError UNKNOWN_ALGORITHM, INPUT_TOO_LARGE, … */
  compress(content: string, algorithm: HttpAlgorithm, options?: CompressCallOptions): CodecOutput | Promise<CodecOutput>;
  /** Picks the codec (`brotli_threshold`, else the smallest). */
  compressAuto(content: string, options?: CompressCallOptions): CodecOutput | Promise<CodecOutput>;
  /** Decodes by prefix; unknown prefixes pass through. @throws M2MError on corrupt payloads */
  decompress(data: string): string | Promise<string>;
  /** Content analysis and per-codec comparison (JSON-serialisable). */
  analyze(content: string): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Result of handing a message to the router. */
export interface DeliveryReceipt {
  status: string;
  msgId?: string;
  verdict?: unknown;
}

/** Where `/message` DATA goes: the daemon's router. */
export interface HttpRouter {
  /**
   * Scan and route one decoded body from an HTTP session's agent to `to` (`agent@node`).
   * @throws M2MError BAD_ADDRESS, UNKNOWN_PEER, UNKNOWN_AGENT, BLOCKED (details.verdict), QUEUE_FULL, SHUTTING_DOWN
   */
  deliver(msg: { from: string; to: string; body: unknown; id?: string }): Promise<DeliveryReceipt>;
}

/** Peer-session view for `/status` (the network side's session table). */
export interface SessionsView {
  count(): number;
  list?(): unknown[];
}

/** Optional TOON content negotiation (the TOON middleware plugs in here). */
export interface ContentNegotiator {
  /** Turns a request body with a non-JSON content type into a JSON value; undefined = not handled. */
  decodeRequest?(contentType: string, body: Buffer): unknown | undefined;
  /** Encodes a JSON response for the request's `Accept` header; undefined = send JSON. */
  encodeResponse?(accept: string, value: unknown): { contentType: string; body: string | Buffer } | undefined;
}

export interface HttpApiDeps {
  config: DaemonConfig;
  logger: Logger;
  metrics: Metrics;
  /** Needed by `/scan` and by scanning in `/compress`; without it those answer 503 UNAVAILABLE. */
  classifier?: Classifier;
  /** Needed by `/compress*`, `/decompress`, `/analyze` and DATA decoding; without it they answer 503. */
  codecs?: HttpCodecs;
  /** Needed by `/message` DATA; without it DATA answers 503. */
  router?: HttpRouter;
  sessions?: SessionsView;
  /** Extra fields for `/status` (agents, peers, queues) from the network side. */
  status?: () => Record<string, unknown>;
  negotiator?: ContentNegotiator;
  /** Version reported by `/health` and `/status`. @default package version */
  version?: string;
}
