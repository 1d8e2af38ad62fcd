/**
 * Typed errors for everything the protocol layer decodes or negotiates.
 * Every error carries a stable string `code` (for logs, HTTP bodies and tests)
 * and a human message. Codes never change meaning once published.
 */
export type ErrorCode =
  // generic input
  | 'BAD_INPUT'
  | 'INVALID_JSON'
  | 'INVALID_UTF8'
  | 'INVALID_BASE64'
  // varint
  | 'VARINT_TRUNCATED'
  | 'VARINT_OVERLONG'
  | 'VARINT_OVERFLOW'
  // codecs
  | 'UNKNOWN_ALGORITHM'
  | 'UNKNOWN_TOKENIZER'
  | 'INVALID_TOKEN'
  | 'CORRUPT_PAYLOAD'
  | 'CHECKSUM_MISMATCH'
  | 'DECOMPRESS_FAILED'
  | 'DECOMPRESSED_TOO_LARGE'
  | 'TOO_MANY_TOKENS'
  | 'TOO_DEEP'
  | 'ARRAY_TOO_LONG'
  | 'INPUT_TOO_LARGE'
  | 'UNSUPPORTED_SECURITY_MODE'
  // frames and sessions
  | 'FRAME_TOO_LARGE'
  | 'BUFFER_OVERFLOW'
  | 'UNKNOWN_FRAME_TYPE'
  | 'MALFORMED_FRAME'
  | 'PROTOCOL_ERROR'
  | 'NEGOTIATION_FAILED'
  | 'SESSION_NOT_ESTABLISHED'
  | 'BACKPRESSURE'
  | 'UNAUTHORIZED'
  | 'WRONG_SESSION'
  | 'SESSION_TIMEOUT'
  | 'SESSION_CLOSED'
  | 'SEQUENCE_GAP'
  | 'PEER_REJECTED'
  // TOON / prompts
  | 'TOON_INVALID_FORMAT'
  | 'TOON_DECOMPRESS_FAILED'
  | 'TOON_UNKNOWN_KEY'
  | 'SCHEMA_INVALID'
  // daemon: agent API, routing, peers
  | 'LINE_TOO_LONG'
  | 'NOT_REGISTERED'
  | 'ALREADY_REGISTERED'
  | 'NAME_TAKEN'
  | 'BAD_ADDRESS'
  | 'UNKNOWN_PEER'
  | 'UNKNOWN_AGENT'
  | 'QUEUE_FULL'
  | 'BLOCKED'
  | 'SOCKET_IN_USE'
  | 'SHUTTING_DOWN'
  | 'NOT_CONNECTED'
  // learned models and the inference worker pool
  | 'MODEL_INVALID'
  | 'MODEL_NOT_FOUND'
  | 'ABORTED'
  | 'WORKER_CRASHED'
  | 'POOL_CLOSED'
  // daemon: configuration and HTTP API
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'SESSION_NOT_FOUND'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** An error with a stable machine-readable code. */
export class M2MError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'M2MError';
    this.code = code;
    this.details = details;
  }

  /** Plain-object form for JSON APIs: `{ code, message, ...details }`. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ?? {}) };
  }
}

/** True when `e` is an {@link M2MError}, optionally with the given code. */
export function isM2MError(e: unknown, code?: ErrorCode): e is M2MError {
  return e instanceof M2MError && (code === undefined || e.code === code);
}
