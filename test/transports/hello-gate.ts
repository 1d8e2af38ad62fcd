/**
 * What the daemon does with HELLO auth, reduced to a test double: the listener reads the first
 * message as a HELLO frame, checks its proof with HelloAuthVerifier, and answers a bad one with
 * REJECT UNAUTHORIZED and a close (nothing else). Used by the conformance suite on every transport.
 */
import { readVarint } from '../../protocol/varint.js';
import { decodeHello, decodeReject, encodeControlFrame } from '../../protocol/session/control.js';
import { FrameType } from '../../protocol/session/frames.js';
import { defaultCapabilities } from '../../protocol/session/endpoint.js';
import { HelloAuthVerifier, createHelloAuth, helloAuthHook, helloParams } from '../../protocol/hello-auth.js';
import type { Connection, Listener } from '../../transports/transport.js';

export const PSK = new Uint8Array(32).fill(0x42);

function body(frame: Uint8Array): { type: number; body: Uint8Array } {
  const len = readVarint(frame, 2);
  return { type: frame[0], body: frame.subarray(len.next, len.next + len.value) };
}

/** Gate every accepted connection behind a HELLO proof; good peers get their messages echoed. */
export function helloGate(listener: Listener): void {
  const hook = helloAuthHook(new HelloAuthVerifier({ keys: PSK, audience: 'server' }));
  listener.on('connection', (c) => {
    let authed = false;
    c.on('message', (m) => {
      if (authed) {
        c.send(m);
        return;
      }
      let refused: { code: 'UNAUTHORIZED'; message: string } | undefined = { code: 'UNAUTHORIZED', message: 'authentication failed' };
      try {
        const f = body(m);
        if (f.type === FrameType.HELLO) refused = hook(decodeHello(f.body));
      } catch {
        // malformed HELLO: refused as unauthorized
      }
      if (refused) {
        c.send(encodeControlFrame('REJECT', refused));
        void c.close('unauthorized');
        return;
      }
      authed = true;
      c.send(Uint8Array.of(0xac));
    });
  });
}

/** A HELLO frame from `nodeId` whose proof uses `key`. */
export function helloFrame(key: Uint8Array, nodeId = 'client'): Uint8Array {
  const hello = { version: '3.0', nodeId, capabilities: defaultCapabilities() };
  const auth = createHelloAuth(key, { nodeId, params: helloParams(hello), audience: 'server' });
  return encodeControlFrame('HELLO', { ...hello, auth });
}

/** Decode a REJECT frame's code, or undefined when `m` is not a REJECT. */
export function rejectCode(m: Uint8Array): string | undefined {
  const f = body(m);
  return f.type === FrameType.REJECT ? decodeReject(f.body).code : undefined;
}

export type { Connection };
