/**
 * Types and timer defaults of the session machine (machine.ts): its events, what it emits,
 * its input and context.
 */
import type { M2MError } from '../errors.js';
import type { AcceptBody, Agreement, Capabilities, CloseBody, CloseReason, HelloBody, RejectBody, RejectCode, ResumeBody } from './control.js';
import type { RawFrame } from './frames.js';

/** Session timers in milliseconds. */
export interface SessionTimers {
  /** Time for the peer's HELLO (responder) or ACCEPT/REJECT (initiator). @default 30000 */
  helloTimeoutMs: number;
  /** Time between PINGs. @default 60000 */
  pingIntervalMs: number;
  /** Time for a PONG before the PING counts as missed. @default 10000 */
  pongTimeoutMs: number;
  /** Missed PONGs in a row that close the session with TIMEOUT. @default 3 */
  maxMissedPongs: number;
  /** Time in `closing` before giving up on the peer's CLOSE. @default 5000 */
  closingTimeoutMs: number;
  /** No DATA either way for this long closes the session with TIMEOUT. @default 300000 */
  idleTimeoutMs: number;
  /** Longest a received DATA frame waits for a cumulative ACK. @default 200 */
  ackDelayMs: number;
}

export const DEFAULT_TIMERS: Readonly<SessionTimers> = Object.freeze({
  helloTimeoutMs: 30_000,
  pingIntervalMs: 60_000,
  pongTimeoutMs: 10_000,
  maxMissedPongs: 3,
  closingTimeoutMs: 5_000,
  idleTimeoutMs: 300_000,
  ackDelayMs: 200,
});

/** A control frame already decoded by the host (see endpoint.ts), or a raw DATA/ACK frame. */
export type SessionFrame =
  | { kind: 'HELLO'; body: HelloBody }
  | { kind: 'ACCEPT'; body: AcceptBody }
  | { kind: 'REJECT'; body: RejectBody }
  | { kind: 'CLOSE'; body: CloseBody }
  | { kind: 'RESUME'; body: ResumeBody }
  | { kind: 'PING' }
  | { kind: 'PONG' }
  | { kind: 'DATA'; raw: RawFrame }
  | { kind: 'ACK'; raw: RawFrame };

export type SessionEvent =
  | { type: 'START' }
  | { type: 'FRAME'; frame: SessionFrame }
  | { type: 'LOCAL_SEND'; bytes: Uint8Array }
  | { type: 'TIMEOUT' }
  | { type: 'CLOSE'; reason?: CloseReason; message?: string }
  | { type: 'ACK_PENDING' }
  | { type: 'FAIL'; error: M2MError };

export interface ClosedInfo {
  /** A CLOSE reason, or the REJECT code when the handshake was refused. */
  reason: CloseReason | RejectCode;
  by: 'local' | 'peer';
  error?: M2MError;
}

export type SessionEmitted =
  | { type: 'send'; bytes: Uint8Array }
  | { type: 'deliver'; raw: RawFrame }
  | { type: 'ack'; raw: RawFrame }
  | { type: 'resume'; body: ResumeBody }
  | { type: 'flushAck' }
  | { type: 'established'; sessionId: string; agreed: Agreement; peerNodeId: string }
  | { type: 'closed'; info: ClosedInfo }
  | { type: 'error'; error: M2MError };

/** The host's check of a HELLO (auth proof, rate limits, policy): return a REJECT to refuse it. */
export type HelloVerifier = (hello: HelloBody) => RejectBody | undefined;

export interface SessionInput {
  role: 'initiator' | 'responder';
  nodeId: string;
  capabilities: Capabilities;
  timers?: Partial<SessionTimers>;
  /** Shared activity clock: the host sets `last` when DATA moves; the idle timer reads it. */
  activity: { last: number };
  now: () => number;
  newSessionId: () => string;
  /** Initiator: auth proof put in HELLO (opaque, see the transports issue). */
  auth?: unknown;
  verifyHello?: HelloVerifier;
  /** Responder: proof to put in ACCEPT for this HELLO and session id (undefined = none). */
  acceptAuth?: (hello: HelloBody, sessionId: string) => unknown;
  /** Initiator: why the ACCEPT (its proof) is refused, or undefined to take it. */
  verifyAccept?: (accept: AcceptBody) => string | undefined;
}

export interface SessionContext extends Omit<SessionInput, 'timers'> {
  timers: SessionTimers;
  sessionId: string | null;
  agreed: Agreement | null;
  peerNodeId: string | null;
  /** Responder: the proof its ACCEPT carries. */
  acceptProof?: unknown;
  missedPongs: number;
  closed: ClosedInfo | null;
}
