/**
 * Errors raised by transports. `transports/` may not import `protocol/`, so this is its own
 * class; the daemon maps it onto M2MError where it crosses into the session layer.
 */
export type TransportErrorCode =
  | 'INVALID_ADDRESS'
  | 'UNSUPPORTED_SCHEME'
  | 'UNSUPPORTED'
  | 'LISTEN_FAILED'
  | 'DIAL_FAILED'
  | 'DIAL_ABORTED'
  | 'TLS_FAILED'
  | 'CONNECTION_CLOSED'
  | 'CONNECTION_LOST'
  | 'MESSAGE_TOO_LARGE'
  | 'PROTOCOL_VIOLATION'
  | 'ABORTED'
  | 'TIMEOUT';

/** A transport failure with a stable string code. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }
}

/** True when `e` is a {@link TransportError}, optionally with the given code. */
export function isTransportError(e: unknown, code?: TransportErrorCode): e is TransportError {
  return e instanceof TransportError && (code === undefined || e.code === code);
}

/** The error a dial rejects with when its signal fires. */
export function dialAborted(signal: AbortSignal): TransportError {
  return new TransportError('DIAL_ABORTED', 'dial aborted', { cause: signal.reason });
}
