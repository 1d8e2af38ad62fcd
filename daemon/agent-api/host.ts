/**
 * What the agent socket server needs from the rest of the daemon (the router
 * implements it). Kept small so the server can be tested with a fake.
 */
import type { ClientId, IncomingMsg, SendStatus, VerdictSummary } from './messages.js';

/** One connected, registered agent as the router sees it. */
export interface AgentSink {
  readonly name: string;
  /** Hand a message to the agent; `written` runs once the bytes reached the kernel (or the agent is gone). */
  deliver(msg: IncomingMsg, written?: () => void): void;
}

/** A `send` after scanning, ready to be routed; routing order = commit order. */
export interface PreparedSend {
  readonly msgId: string;
  readonly verdict?: VerdictSummary;
}

export interface SendResult {
  status: SendStatus;
  msgId: string;
  verdict?: VerdictSummary;
}

export interface PeerSummary {
  id: string;
  url?: string;
  state: 'connected' | 'connecting' | 'disconnected';
  direction?: 'inbound' | 'outbound';
  queued: number;
  inFlight: number;
}

export interface AgentHost {
  readonly nodeId: string;
  /** @throws M2MError NAME_TAKEN when another connection holds the name */
  register(sink: AgentSink): void;
  unregister(sink: AgentSink): void;
  /**
   * Scan a message (may run concurrently with other prepares).
   * @param json `body`'s JSON text when the caller has it (sent on as is); else the body is serialised
   * @throws M2MError BAD_ADDRESS, UNKNOWN_PEER, BLOCKED (details.verdict)
   */
  prepare(from: string, to: string, body: unknown, id?: ClientId, json?: string): Promise<PreparedSend>;
  /**
   * {@link prepare} done now, when the scan can answer without waiting; undefined when it cannot (then
   * call `prepare`). Optional.
   * @throws M2MError as `prepare` rejects
   */
  prepareNow?(from: string, to: string, body: unknown, id?: ClientId, json?: string): PreparedSend | undefined;
  /**
   * Route a prepared message; called in the order the agent sent them.
   * @throws M2MError QUEUE_FULL, UNKNOWN_AGENT, UNKNOWN_PEER, SHUTTING_DOWN
   */
  commit(prepared: PreparedSend): SendResult;
  peers(): PeerSummary[];
  status(): Record<string, unknown>;
}
