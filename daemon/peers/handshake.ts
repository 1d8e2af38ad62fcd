/**
 * The HELLO exchange on a fresh connection. The dialer speaks first; the
 * listener checks who it is (mutual TLS identity and/or the PSK proof) and
 * answers with its own HELLO or a REJECT. Attaching happens synchronously in
 * the message handler, so no frame that follows a HELLO can be missed.
 */
import type { Connection } from '../../transports/transport.js';
import { M2MError } from '../../protocol/errors.js';
import { decodeLinkFrame, encodeHello, encodeReject, LINK_VERSION, type HelloBody } from './link-codec.js';
import { randomBytes } from 'node:crypto';
import { signHello, type LinkAuth } from './link-auth.js';
import type { CodecOffer } from './payload-codec.js';

/** How long a new connection may take to complete its HELLO exchange. @default 10 s */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface HandshakeContext {
  nodeId: string;
  epoch: string;
  psk?: string;
  /** Accept peers that are neither mTLS-verified nor PSK-proven (tests and single-host dev only). */
  allowUnauthenticated: boolean;
  auth: LinkAuth;
  timeoutMs: number;
  /** What we know of a peer's stream, for our HELLO. */
  recvState(peerId: string): { recvEpoch: string; recvSeq: number };
  /** Whether a node id that is not configured may connect. */
  acceptPeer(peerId: string): boolean;
  /** DATA codecs we offer. */
  offer: CodecOffer;
}

const newNonce = (): string => randomBytes(16).toString('base64url');

export type Established = (peerId: string, hello: HelloBody) => void;

function onFirstFrame(conn: Connection, timeoutMs: number, fail: (e: Error) => void, handle: (bytes: Uint8Array) => void): void {
  const timer = setTimeout(() => {
    conn.off('message', first);
    fail(new M2MError('PROTOCOL_ERROR', `no HELLO within ${timeoutMs} ms`));
  }, timeoutMs);
  timer.unref?.();
  const first = (bytes: Uint8Array): void => {
    clearTimeout(timer);
    conn.off('message', first);
    handle(bytes);
  };
  conn.on('message', first);
  conn.once('close', () => clearTimeout(timer));
}

function reject(conn: Connection, code: string, message: string): M2MError {
  try {
    conn.send(encodeReject(code, message));
  } catch {
    // the connection is already gone
  }
  void conn.close(code);
  return new M2MError(code === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : 'NEGOTIATION_FAILED', message);
}

/** Listener side: wait for the dialer's HELLO, authenticate it, answer, then call `established`. */
export function acceptHandshake(conn: Connection, ctx: HandshakeContext, established: Established, failed: (e: Error) => void): void {
  onFirstFrame(conn, ctx.timeoutMs, (e) => {
    conn.abort(e);
    failed(e);
  }, (bytes) => {
    let f;
    try {
      f = decodeLinkFrame(bytes);
    } catch (e) {
      return failed(reject(conn, 'PROTOCOL_ERROR', (e as Error).message));
    }
    if (f.t !== 'hello') return failed(reject(conn, 'PROTOCOL_ERROR', 'expected HELLO'));
    const h = f.hello;
    if (h.v !== LINK_VERSION) return failed(reject(conn, 'VERSION_MISMATCH', `link version ${h.v} not supported (want ${LINK_VERSION})`));
    if (h.node === ctx.nodeId) return failed(reject(conn, 'UNAUTHORIZED', 'a node cannot peer with itself'));
    const certNode = conn.remote.authenticated ? conn.remote.nodeId : undefined;
    if (certNode !== undefined && certNode !== h.node) {
      return failed(reject(conn, 'UNAUTHORIZED', `HELLO node "${h.node}" does not match the client certificate ("${certNode}")`));
    }
    if (ctx.psk !== undefined) {
      try {
        ctx.auth.verify(ctx.psk, h);
      } catch (e) {
        reject(conn, 'UNAUTHORIZED', 'authentication failed');
        return failed(e as Error);
      }
    } else if (certNode === undefined && !ctx.allowUnauthenticated) {
      return failed(reject(conn, 'UNAUTHORIZED', 'peer is not authenticated (no client certificate, no PSK configured)'));
    }
    if (!ctx.acceptPeer(h.node)) return failed(reject(conn, 'UNAUTHORIZED', `node "${h.node}" is not a known peer`));
    const mine: HelloBody = { v: LINK_VERSION, node: ctx.nodeId, epoch: ctx.epoch, ...ctx.recvState(h.node), nonce: newNonce(), ...ctx.offer };
    if (ctx.psk !== undefined) mine.auth = signHello(ctx.psk, mine, h.node, h.nonce);
    try {
      conn.send(encodeHello(mine));
    } catch (e) {
      return failed(e as Error);
    }
    established(h.node, h);
  });
}

/** Dialer side: send our HELLO to `peerId`, wait for its HELLO, check it, then call `established`. */
export function dialHandshake(conn: Connection, peerId: string, ctx: HandshakeContext, established: Established, failed: (e: Error) => void): void {
  const mine: HelloBody = { v: LINK_VERSION, node: ctx.nodeId, epoch: ctx.epoch, ...ctx.recvState(peerId), nonce: newNonce(), ...ctx.offer };
  if (ctx.psk !== undefined) mine.auth = signHello(ctx.psk, mine, peerId);
  onFirstFrame(conn, ctx.timeoutMs, (e) => {
    conn.abort(e);
    failed(e);
  }, (bytes) => {
    let f;
    try {
      f = decodeLinkFrame(bytes);
    } catch (e) {
      conn.abort(e as Error);
      return failed(e as Error);
    }
    if (f.t === 'reject') {
      void conn.close(f.code);
      return failed(new M2MError(f.code === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : 'NEGOTIATION_FAILED', `peer ${peerId} rejected us: ${f.code} ${f.message}`));
    }
    if (f.t !== 'hello') return failed(reject(conn, 'PROTOCOL_ERROR', 'expected HELLO'));
    const h = f.hello;
    if (h.node !== peerId) return failed(reject(conn, 'UNAUTHORIZED', `dialled "${peerId}" but "${h.node}" answered`));
    if (ctx.psk !== undefined) {
      try {
        ctx.auth.verify(ctx.psk, h, mine.nonce);
      } catch (e) {
        reject(conn, 'UNAUTHORIZED', 'authentication failed');
        return failed(new Error(`peer ${peerId} failed the HELLO proof: ${(e as Error).message}`));
      }
    }
    if (ctx.psk === undefined && !conn.remote.authenticated && !ctx.allowUnauthenticated) {
      return failed(reject(conn, 'UNAUTHORIZED', `peer ${peerId} is not authenticated (no verified certificate, no PSK configured)`));
    }
    established(peerId, h);
  });
  try {
    conn.send(encodeHello(mine));
  } catch (e) {
    failed(e as Error);
  }
}
