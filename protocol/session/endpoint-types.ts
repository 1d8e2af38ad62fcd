/** The host-facing types of SessionEndpoint (endpoint.ts) and the capabilities it offers by default. */
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import type { AcceptBody, Agreement, Capabilities, HelloBody } from './control.js';
import { localDictionaryIds, type CodecChoice, type DataCodecOptions } from './data-codec.js';
import type { CodecName } from './frames.js';
import type { HelloVerifier, SessionTimers } from './machine-types.js';
import type { ResendLimits } from './resend-buffer.js';

export interface OutgoingMessage {
  from: string;
  to: string;
  payload: Uint8Array | string;
  /** @default 'auto' */
  codec?: CodecChoice;
}

export interface DeliveredMessage {
  seq: number;
  from: string;
  to: string;
  codec: CodecName;
  /** The sender's bytes. For `raw`/`text` this may be a view of the received chunk. */
  payload: Uint8Array;
}

export interface EstablishedInfo {
  sessionId: string;
  agreed: Agreement;
  peerNodeId: string;
}

export interface SessionEndpointOptions {
  role: 'initiator' | 'responder';
  nodeId: string;
  /** Overrides of {@link defaultCapabilities}. */
  capabilities?: Partial<Capabilities>;
  timers?: Partial<SessionTimers>;
  limits?: Limits;
  codec?: DataCodecOptions;
  resend?: Partial<ResendLimits>;
  /** Send a cumulative ACK after this many DATA frames (else after `ackDelayMs`). @default 32 */
  ackEvery?: number;
  /**
   * Deferred acknowledgement: a received DATA counts as acknowledged only once the host calls
   * `ack(seq)` after delivering it (cumulative ACKs advance over the contiguous delivered prefix), so
   * an acknowledged message has always been handed on. @default false (acknowledge on receipt)
   */
  deferAck?: boolean;
  auth?: unknown;
  verifyHello?: HelloVerifier;
  /** Responder: proof to put in ACCEPT, made from the HELLO and the new session id. */
  acceptAuth?: (hello: HelloBody, sessionId: string) => unknown;
  /** Initiator: return why an ACCEPT's proof is refused (the session closes with PROTOCOL_ERROR), or undefined. */
  verifyAccept?: (accept: AcceptBody) => string | undefined;
  /** @default Date.now */
  now?: () => number;
  /** @default crypto.randomUUID */
  newSessionId?: () => string;
}

/** What this build offers by default: every codec (context codecs first), all encodings, the built-in dictionary. */
export function defaultCapabilities(codec: DataCodecOptions = {}, limits: Limits = DEFAULT_LIMITS): Capabilities {
  return {
    codecs: ['bytes+ctx', 'tokens+ctx', 'brotli', 'tokens', 'raw', 'text'],
    encodings: ['cl100k', 'o200k', 'llama3'],
    preferredEncoding: 'cl100k',
    maxFrameBytes: limits.maxFrameBytes,
    security: { threatDetection: true, blocking: false, threshold: 0.8, modelVersion: null },
    streaming: true,
    dictionaries: localDictionaryIds(codec),
    extensions: {},
  };
}
