/**
 * What a {@link Peer} reports to its owner (the peer manager): deliveries, link state, protocol
 * errors and the byte and codec counts behind the metrics.
 */
import type { WireMessage } from '../router/types.js';
import type { Peer } from './peer.js';

export interface PeerHooks {
  /** A DATA message arrived in order; call `done` once it is delivered (or refused). */
  deliver(peerId: string, msg: WireMessage, done: () => void): void;
  /** The peer's connection or session ended (not called when replaced on purpose). */
  disconnected(peer: Peer, reason: string): void;
  /** Bytes arrived on a freshly attached connection (the link works). */
  alive?(peer: Peer): void;
  /** A malformed message or a protocol violation. */
  protocolError?(peer: Peer, err: Error): void;
  wire?(peerId: string, direction: 'in' | 'out', bytes: number): void;
  /** One DATA frame sent or received: its codec, frame bytes, its bodies' JSON bytes and how many messages it carries. */
  data?(peerId: string, direction: 'in' | 'out', codec: string, frameBytes: number, jsonBytes: number, messages: number): void;
}
