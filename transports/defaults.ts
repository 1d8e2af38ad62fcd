/** Default transport settings, each with its unit. */
import type { CommonOptions } from './transport.js';

const MiB = 1024 * 1024;

/** Largest message: the session frame limit (16 MiB body + 64 KiB headroom). */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * MiB + 64 * 1024;
/** Bytes buffered before send() returns false. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 1 * MiB;
/** Graceful close deadline before falling back to abort. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
/** QUIC idle timeout: a peer silent this long is gone. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
/** QUIC keepalive interval (must stay below the idle timeout). */
export const DEFAULT_KEEPALIVE_MS = 5_000;
/** Path used when a ws/https URL has none. */
export const DEFAULT_PATH = '/m2m';

/** Options with every default filled in. */
export interface ResolvedOptions {
  maxMessageBytes: number;
  highWaterMark: number;
  closeTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveMs: number;
}

/** Fill defaults and check the numbers are sane. @throws RangeError */
export function resolveOptions(opts: CommonOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    highWaterMark: opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK_BYTES,
    closeTimeoutMs: opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    keepAliveMs: opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS,
  };
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`transport option ${k} must be a positive integer, got ${v}`);
  }
  if (r.maxMessageBytes >= 0xffff_ffff) throw new RangeError('maxMessageBytes must be below 2^32 - 1 (reserved for control frames)');
  if (r.keepAliveMs >= r.idleTimeoutMs) throw new RangeError('keepAliveMs must be below idleTimeoutMs');
  return r;
}
