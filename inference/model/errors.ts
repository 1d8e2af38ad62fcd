import type { ErrorCode } from '../../protocol/errors.js';

/**
 * Typed error for model loading and the inference pool. It mirrors `M2MError`
 * (same `code` union, `details`, `toJSON`) because `inference/` may import only
 * types from `protocol/`; callers test `err.code`, not the class.
 */
export class ModelError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    // Abort errors keep the conventional name so `err.name === 'AbortError'` checks work.
    this.name = code === 'ABORTED' ? 'AbortError' : 'M2MError';
    this.code = code;
    this.details = details;
  }

  /** Plain-object form for JSON APIs: `{ code, message, ...details }`. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ?? {}) };
  }
}

/** True when `e` carries the given stable error code (ModelError or M2MError alike). */
export function hasErrorCode(e: unknown, code: ErrorCode): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

/** The error a scan rejects with when its AbortSignal fires. */
export function abortError(signal?: AbortSignal): ModelError {
  const reason: unknown = signal?.reason;
  const detail = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
  return new ModelError('ABORTED', detail ? `scan aborted: ${detail}` : 'scan aborted', undefined, { cause: reason });
}
