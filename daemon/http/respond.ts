/** JSON responses and the mapping from stable error codes to HTTP statuses. */
import type { ServerResponse } from 'node:http';
import { M2MError, isM2MError, type ErrorCode } from '../../protocol/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BLOCKED: 403,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  UNKNOWN_AGENT: 404,
  UNKNOWN_PEER: 404,
  METHOD_NOT_ALLOWED: 405,
  INPUT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUEUE_FULL: 503,
  BACKPRESSURE: 503,
  SHUTTING_DOWN: 503,
  UNAVAILABLE: 503,
  ABORTED: 503,
  POOL_CLOSED: 503,
  WORKER_CRASHED: 500,
  INTERNAL: 500,
};

/** HTTP status for an error: its code's status, 400 for other M2MErrors, 500 otherwise. */
export function statusForError(e: unknown): number {
  if (!isM2MError(e)) return 500;
  return STATUS[e.code] ?? 400;
}

/** Error body: the reference's `{"error": message}` plus a stable `code` and details. */
export function errorBody(e: unknown): Record<string, unknown> {
  if (isM2MError(e)) return { error: e.message, code: e.code, ...(e.details ?? {}) };
  return { error: 'internal error', code: 'INTERNAL' };
}

/** What a handler returns: a status and a JSON-serialisable value, or a raw text body. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function send(res: ServerResponse, reply: Reply, encoded?: { contentType: string; body: string | Buffer }): void {
  let body: string | Buffer;
  let type: string;
  if (encoded) {
    body = encoded.body;
    type = encoded.contentType;
  } else if (reply.text !== undefined) {
    body = reply.text;
    type = reply.contentType ?? 'text/plain; charset=utf-8';
  } else {
    body = JSON.stringify(reply.json ?? null);
    type = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(reply.headers ?? {}),
  });
  res.end(body);
}

/** Shorthand for an error reply. */
export function failure(code: ErrorCode, message: string, details?: Record<string, unknown>): M2MError {
  return new M2MError(code, message, details);
}
