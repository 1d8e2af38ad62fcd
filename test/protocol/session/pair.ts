/**
 * In-memory transport pair for session tests: two SessionEndpoints joined by queues that a test
 * can pump one chunk at a time, split arbitrarily, or cut (dropping whatever is in flight).
 */
import { SessionEndpoint, type DeliveredMessage, type SessionEndpointOptions } from '../../../protocol/session/endpoint.js';

export interface Side {
  ep: SessionEndpoint;
  /** Chunks written by this side, not yet delivered to the other. */
  outbox: Uint8Array[];
  delivered: DeliveredMessage[];
  closed: unknown[];
  drains: number;
}

export interface Pair {
  a: Side;
  b: Side;
  /** Deliver queued chunks both ways until quiet (or `maxSteps`). */
  pump(maxSteps?: number): void;
  /** Deliver at most one chunk from `from` to the other side; false when none was queued. */
  step(from: 'a' | 'b'): boolean;
  /** Drop every chunk in flight and tell both sides the connection is lost. */
  cut(): void;
  /** New connection: a resumes, b reattaches on RESUME. */
  reconnect(): void;
}

export function makePair(optsA: Partial<SessionEndpointOptions> = {}, optsB: Partial<SessionEndpointOptions> = {}): Pair {
  const mk = (o: Partial<SessionEndpointOptions>, role: 'initiator' | 'responder', nodeId: string): Side => {
    const side: Side = { ep: new SessionEndpoint({ role, nodeId, newSessionId: () => 'sess-1', ...o }), outbox: [], delivered: [], closed: [], drains: 0 };
    side.ep.onSend = (bytes) => side.outbox.push(bytes.slice());
    side.ep.onDeliver = (m) => side.delivered.push({ ...m, payload: m.payload.slice() });
    side.ep.onClosed = (info) => side.closed.push(info);
    side.ep.onDrain = () => side.drains++;
    return side;
  };
  const a = mk(optsA, 'initiator', 'node-a');
  const b = mk(optsB, 'responder', 'node-b');
  let bNeedsReattach = false;
  const step = (from: 'a' | 'b'): boolean => {
    const src = from === 'a' ? a : b;
    const dst = from === 'a' ? b : a;
    const chunk = src.outbox.shift();
    if (chunk === undefined) return false;
    if (from === 'a' && bNeedsReattach) {
      bNeedsReattach = false;
      b.ep.reattach();
    }
    dst.ep.receive(chunk);
    return true;
  };
  return {
    a,
    b,
    step,
    pump(maxSteps = 1_000_000) {
      for (let i = 0; i < maxSteps; i++) {
        const x = step('a');
        const y = step('b');
        if (!x && !y) return;
      }
    },
    cut() {
      a.outbox.length = 0;
      b.outbox.length = 0;
      a.ep.connectionLost();
      b.ep.connectionLost();
    },
    reconnect() {
      bNeedsReattach = true;
      a.ep.resume();
    },
  };
}
