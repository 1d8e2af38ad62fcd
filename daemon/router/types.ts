/** Types shared by the router and the peer links. */
import type { ClientId, VerdictSummary } from '../agent-api/messages.js';
import type { PeerSummary } from '../agent-api/host.js';

/** A message as it travels between daemons. */
export interface WireMessage {
  /** Daemon-wide unique id given by the sending daemon; stable across resends. */
  uid: string;
  /** Sender agent name (its node is the session's peer). */
  from: string;
  /** Recipient agent name on the receiving node. */
  to: string;
  /** The sender's client message id. */
  id?: ClientId;
  /** The body as JSON text (what travels, byte-identical). */
  json: string;
  /** The parsed body, when already at hand. */
  body?: unknown;
  /** Scan verdict on the sending node, when it scanned. */
  verdict?: VerdictSummary;
}

/** The router's view of the peer links. */
export interface PeerDirectory {
  /** True when `nodeId` is a configured or connected peer. */
  has(nodeId: string): boolean;
  /**
   * Hand a message to the peer's session, or queue it while the peer is away.
   * @throws M2MError UNKNOWN_PEER, QUEUE_FULL
   */
  send(nodeId: string, msg: WireMessage): 'sent' | 'queued';
  list(): PeerSummary[];
  /**
   * The security policy both ends agreed in the peer's current session (scanning and blocking
   * OR-ed, the stricter threshold), or undefined when no session is up.
   */
  agreedSecurity?(nodeId: string): AgreedSecurity | undefined;
}

/** The security part of a session agreement, as the router uses it. */
export interface AgreedSecurity {
  threatDetection: boolean;
  blocking: boolean;
  threshold: number;
}

/** Counters the router reports (bound to Prometheus metrics by the daemon). */
export interface RouterEvents {
  scanned?(direction: 'out' | 'in', verdict: VerdictSummary, latencyMs: number): void;
  routed?(direction: 'local' | 'out' | 'in', peer: string, jsonBytes: number): void;
  refused?(direction: 'out' | 'in', peer: string, verdict: VerdictSummary): void;
}
