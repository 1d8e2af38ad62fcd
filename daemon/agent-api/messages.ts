/**
 * The agent socket protocol: newline-delimited JSON, one object per line.
 * Requests (agent → daemon): `hello`, `send`, `peers`, `status`.
 * Replies and events (daemon → agent): `ack`, `error`, `msg`, `peers`, `status`.
 * See docs/AGENT-API.md for the full description with examples.
 */
import { M2MError } from '../../protocol/errors.js';
import { rawBodyText } from './raw-body.js';

/** Longest agent name (the part before `@`). */
export const MAX_AGENT_NAME = 64;
/** Longest client message id, in characters. */
export const MAX_CLIENT_ID = 128;
/** Agent and node names: letters, digits, `.`, `_`, `-`; must start with a letter or digit. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type ClientId = string | number;

export interface HelloRequest { type: 'hello'; agent: string; id?: ClientId }
/**
 * `envelope: true` marks the body as an M2M prompt message (WSP envelope, status report or
 * compact form, as a JSON object or YAML text): the daemon validates it before sending and
 * answers schema errors to the sender (`SCHEMA_INVALID` with `errors`).
 */
export interface SendRequest {
  type: 'send';
  to: string;
  body: unknown;
  id?: ClientId;
  envelope?: boolean;
  /** The body's JSON text as the agent wrote it (see raw-body.ts), when it could be cut out of the line. */
  bodyJson?: string;
}
export interface PeersRequest { type: 'peers'; id?: ClientId }
export interface StatusRequest { type: 'status'; id?: ClientId }
export type AgentRequest = HelloRequest | SendRequest | PeersRequest | StatusRequest;

/** The scan result as agents see it. */
export interface VerdictSummary {
  safe: boolean;
  blocked: boolean;
  score: number;
  threat: string | null;
  /** Ids of the rules or models that fired, e.g. `injection.ignore-previous`. */
  threats: string[];
}

/** Outcome of a `send`: delivered to a local agent, handed to a live peer session, or waiting for the peer. */
export type SendStatus = 'delivered' | 'sent' | 'queued';

export interface AckReply { type: 'ack'; id?: ClientId; status: SendStatus | 'registered'; msgId?: string; address?: string; verdict?: VerdictSummary }
export interface ErrorReply { type: 'error'; id?: ClientId; code: string; message: string; verdict?: VerdictSummary; errors?: { path: string; message: string }[] }
export interface IncomingMsg {
  type: 'msg';
  /** `agent@node` of the sender. */
  from: string;
  /** `agent@node` of the recipient. */
  to: string;
  /** The sender's client message id, when it gave one. */
  id?: ClientId;
  /** Daemon-wide unique id; stays the same across resends, so receivers can drop repeats. */
  msgId: string;
  /** The body; undefined when only its text ({@link IncomingMsg.bodyJson}) is known. */
  body: unknown;
  /**
   * The body's JSON text: inside the daemon when it has it already (written as is; not a member of the
   * line), and in the TS client with `rawBodies` (then `body` is undefined).
   */
  bodyJson?: string;
  /** Verdict of the scan on arrival (null when scanning is off). */
  verdict: VerdictSummary | null;
  /** Verdict of the scan on the sending node, when it scanned. */
  senderVerdict?: VerdictSummary;
}

function clientId(v: unknown): ClientId | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && v.length <= MAX_CLIENT_ID) return v;
  throw new M2MError('BAD_INPUT', `"id" must be a string of at most ${MAX_CLIENT_ID} characters or an integer`);
}

/**
 * Parse one request line.
 * @throws M2MError INVALID_JSON for bad JSON, BAD_INPUT for a wrong shape
 */
export function parseRequest(line: string): AgentRequest {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new M2MError('INVALID_JSON', `line is not JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new M2MError('BAD_INPUT', 'a request must be a JSON object');
  const o = v as Record<string, unknown>;
  const id = clientId(o.id);
  switch (o.type) {
    case 'hello':
      if (typeof o.agent !== 'string' || !NAME_RE.test(o.agent)) {
        throw new M2MError('BAD_INPUT', `"agent" must match ${NAME_RE} (letters, digits, . _ -, at most ${MAX_AGENT_NAME})`, id === undefined ? undefined : { id });
      }
      return { type: 'hello', agent: o.agent, id };
    case 'send':
      if (typeof o.to !== 'string') throw new M2MError('BAD_INPUT', '"to" must be a string "agent@node"', id === undefined ? undefined : { id });
      if (!('body' in o)) throw new M2MError('BAD_INPUT', '"body" is missing (any JSON value)', id === undefined ? undefined : { id });
      if (o.envelope !== undefined && typeof o.envelope !== 'boolean') throw new M2MError('BAD_INPUT', '"envelope" must be true or false', id === undefined ? undefined : { id });
      if (o.envelope === true) return { type: 'send', to: o.to, body: o.body, id, envelope: true };
      return { type: 'send', to: o.to, body: o.body, id, bodyJson: rawBodyText(line) };
    case 'peers':
      return { type: 'peers', id };
    case 'status':
      return { type: 'status', id };
    default:
      throw new M2MError('BAD_INPUT', `unknown request type ${JSON.stringify(o.type)} (expected hello, send, peers or status)`, id === undefined ? undefined : { id });
  }
}
