/**
 * The reference implementation's JSON session envelope, as `/message` speaks it:
 * `{"type", "session_id"?, "payload", "timestamp"}` with reference-shaped
 * capabilities in HELLO/ACCEPT and `{code, message}` in REJECT.
 */
import { M2MError } from '../../protocol/errors.js';
import { NODE_ID_PATTERN, type DaemonConfig } from '../config/schema.js';

export const ENVELOPE_TYPES = ['HELLO', 'ACCEPT', 'REJECT', 'DATA', 'PING', 'PONG', 'CLOSE'] as const;
export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];

export interface Envelope {
  type: EnvelopeType;
  session_id?: string;
  payload: Record<string, unknown>;
  timestamp: number;
}

/** Codecs the HTTP session API offers, in preference order (reference names). */
export const HTTP_ALGORITHMS = ['m2m', 'tokennative', 'brotli', 'none'] as const;
/** Protocol majors accepted in HELLO: the reference's "3.x" and the spec's "1.x". */
export const ACCEPTED_MAJORS = ['3', '1'];
/**
 * Prefix of the sender names of HTTP sessions, so an HTTP client cannot pass as an
 * agent connected to the unix socket (`alice` via HTTP is `http.alice`).
 */
export const HTTP_AGENT_PREFIX = 'http.';
/** Version this server answers with (the reference's, for wire compatibility). */
export const ENVELOPE_VERSION = '3.0';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an envelope's shape. `timestamp` is required, as in the reference.
 * @throws M2MError BAD_INPUT
 */
export function parseEnvelope(value: unknown): Envelope {
  if (!isObject(value)) throw new M2MError('BAD_INPUT', 'message must be a JSON object');
  const { type, session_id, payload, timestamp } = value;
  if (typeof type !== 'string' || !(ENVELOPE_TYPES as readonly string[]).includes(type)) {
    throw new M2MError('BAD_INPUT', `"type" must be one of ${ENVELOPE_TYPES.join(', ')}`, { field: 'type' });
  }
  if (session_id !== undefined && session_id !== null && typeof session_id !== 'string') throw new M2MError('BAD_INPUT', '"session_id" must be a string', { field: 'session_id' });
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) throw new M2MError('BAD_INPUT', '"timestamp" (unix milliseconds) is required', { field: 'timestamp' });
  if (payload !== undefined && payload !== null && !isObject(payload)) throw new M2MError('BAD_INPUT', '"payload" must be an object', { field: 'payload' });
  return { type: type as EnvelopeType, ...(typeof session_id === 'string' ? { session_id } : {}), payload: (payload as Record<string, unknown> | undefined) ?? {}, timestamp };
}

/** Builds an envelope stamped now; `session_id` is omitted when undefined (as the reference does). */
export function envelope(type: EnvelopeType, sessionId: string | undefined, payload: Record<string, unknown> = {}, now = Date.now()): Envelope {
  return { type, ...(sessionId !== undefined ? { session_id: sessionId } : {}), payload, timestamp: now };
}

/** Reference-shaped capabilities of this server for HELLO/ACCEPT and `/status`. */
export function serverCapabilities(config: DaemonConfig, agentId: string, algorithms: readonly string[] = HTTP_ALGORITHMS, modelVersion: string | null = null): Record<string, unknown> {
  return {
    version: ENVELOPE_VERSION,
    agent_id: agentId,
    agent_type: 'm2m-ts',
    compression: {
      algorithms: [...algorithms],
      max_payload: config.http.body_limit,
      streaming: false,
      ml_routing: false,
      encodings: ['Cl100kBase', 'O200kBase', 'LlamaBpe'],
      preferred_encoding: { cl100k: 'Cl100kBase', o200k: 'O200kBase', llama3: 'LlamaBpe' }[config.compression.encoding],
    },
    security: {
      threat_detection: config.security.enabled,
      model_version: modelVersion,
      blocking_mode: config.security.blocking,
      block_threshold: config.security.block_threshold,
    },
    extensions: {},
  };
}

export type HelloOutcome = { ok: true; algorithms: string[]; agentName?: string } | { ok: false; code: 'VERSION_MISMATCH' | 'NO_COMMON_ALGORITHM'; message: string };

/** Version check and algorithm intersection (in the client's order) for a HELLO payload. */
export function negotiateHello(payload: Record<string, unknown>): HelloOutcome {
  const version = typeof payload.version === 'string' ? payload.version : ENVELOPE_VERSION;
  const major = version.split('.')[0];
  if (!ACCEPTED_MAJORS.includes(major)) return { ok: false, code: 'VERSION_MISMATCH', message: `unsupported protocol version ${JSON.stringify(version)}; this server speaks ${ENVELOPE_VERSION}` };
  const comp = isObject(payload.compression) ? payload.compression : {};
  const offered = Array.isArray(comp.algorithms) ? comp.algorithms.filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase()) : [...HTTP_ALGORITHMS];
  const algorithms = offered.filter((a, i) => (HTTP_ALGORITHMS as readonly string[]).includes(a) && offered.indexOf(a) === i);
  if (algorithms.length === 0) return { ok: false, code: 'NO_COMMON_ALGORITHM', message: `no common algorithm: offered ${offered.join(', ') || '(none)'}, supported ${HTTP_ALGORITHMS.join(', ')}` };
  const name = typeof payload.agent_id === 'string' && NODE_ID_PATTERN.test(`${HTTP_AGENT_PREFIX}${payload.agent_id}`) ? `${HTTP_AGENT_PREFIX}${payload.agent_id}` : undefined;
  return { ok: true, algorithms, ...(name ? { agentName: name } : {}) };
}
