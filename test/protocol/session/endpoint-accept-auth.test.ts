import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makePair } from './pair.js';
import { FrameDecoder } from '../../../protocol/session/frame-decoder.js';
import { FrameType } from '../../../protocol/session/frames.js';
import { decodeAccept, type AcceptBody } from '../../../protocol/session/control.js';
import type { ClosedInfo } from '../../../protocol/session/machine.js';

describe('ACCEPT proofs (acceptAuth / verifyAccept)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("puts the responder's proof in ACCEPT and lets the initiator check it once", () => {
    const seen: AcceptBody[] = [];
    const p = makePair(
      { auth: { n: 'hello-nonce' }, verifyAccept: (a) => void seen.push(a) },
      { acceptAuth: (h, sessionId) => ({ answers: (h.auth as { n: string }).n, sessionId }) },
    );
    p.a.ep.start();
    p.b.ep.start();
    p.step('a');
    const accept = new FrameDecoder().push(p.b.outbox[0].slice()).find((f) => f.type === FrameType.ACCEPT);
    expect(decodeAccept((accept as { body: Uint8Array }).body).auth).toEqual({ answers: 'hello-nonce', sessionId: 'sess-1' });
    p.pump();
    expect(p.a.ep.state).toBe('established');
    expect(seen.map((a) => a.auth)).toEqual([{ answers: 'hello-nonce', sessionId: 'sess-1' }]);
  });

  it('closes with PROTOCOL_ERROR when verifyAccept refuses', () => {
    const p = makePair({ verifyAccept: () => 'bad proof' });
    p.a.ep.start();
    p.b.ep.start();
    p.pump();
    expect(p.a.ep.state).toBe('closed');
    const info = p.a.closed[0] as ClosedInfo;
    expect(info.reason).toBe('PROTOCOL_ERROR');
    expect(info.error?.message).toBe('bad proof');
    expect(p.b.ep.state).not.toBe('established');
    vi.advanceTimersByTime(10_000);
  });
});
