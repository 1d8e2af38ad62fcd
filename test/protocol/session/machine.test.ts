import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { M2MError } from '../../../protocol/errors.js';
import type { Capabilities } from '../../../protocol/session/control.js';
import { FrameDecoder } from '../../../protocol/session/frame-decoder.js';
import { FrameType } from '../../../protocol/session/frames.js';
import { sessionMachine, type SessionEmitted, type SessionEvent, type SessionInput, type SessionTimers } from '../../../protocol/session/machine.js';
import { negotiate } from '../../../protocol/session/negotiate.js';
import { toSessionFrame } from '../../../protocol/session/endpoint.js';

const caps: Capabilities = {
  codecs: ['bytes+ctx', 'raw'],
  encodings: ['cl100k', 'o200k'],
  preferredEncoding: 'cl100k',
  maxFrameBytes: 1 << 20,
  security: { threatDetection: true, blocking: false, threshold: 0.8, modelVersion: null },
  streaming: true,
  dictionaries: [],
  extensions: {},
};
const agreed = (negotiate('1.0', caps, caps) as { agreed: import('../../../protocol/session/control.js').Agreement }).agreed;
// Distinct values so that each timer on a shortest path is the next one due.
const TIMERS: SessionTimers = { helloTimeoutMs: 3000, pingIntervalMs: 1000, pongTimeoutMs: 70, maxMissedPongs: 3, closingTimeoutMs: 5000, idleTimeoutMs: 20_000, ackDelayMs: 10 };

const raw = { type: FrameType.DATA, flags: 0, body: new Uint8Array([1, 0, 0, 0]) };
const frame = (f: import('../../../protocol/session/machine.js').SessionFrame): SessionEvent => ({ type: 'FRAME', frame: f });
const EVENTS: SessionEvent[] = [
  { type: 'START' },
  frame({ kind: 'HELLO', body: { version: '1.0', nodeId: 'peer', capabilities: caps } }),
  frame({ kind: 'HELLO', body: { version: '9.0', nodeId: 'peer', capabilities: caps } }),
  frame({ kind: 'ACCEPT', body: { version: '1.0', nodeId: 'peer', sessionId: 'sess-1', agreed } }),
  frame({ kind: 'ACCEPT', body: { version: '1.0', nodeId: 'peer', sessionId: 'sess-1', agreed: { ...agreed, codecs: ['tokens'] } } }),
  frame({ kind: 'REJECT', body: { code: 'SERVER_BUSY', message: 'busy' } }),
  frame({ kind: 'CLOSE', body: { reason: 'SERVER_SHUTDOWN' } }),
  frame({ kind: 'PING' }),
  frame({ kind: 'PONG' }),
  frame({ kind: 'DATA', raw }),
  frame({ kind: 'ACK', raw: { type: FrameType.ACK, flags: 0, body: new Uint8Array([1]) } }),
  frame({ kind: 'RESUME', body: { sessionId: 'sess-1', lastSeq: 0 } }),
  frame({ kind: 'RESUME', body: { sessionId: 'other', lastSeq: 0 } }),
  { type: 'LOCAL_SEND', bytes: new Uint8Array([6, 0, 0]) },
  { type: 'TIMEOUT' },
  { type: 'CLOSE', reason: 'CLIENT_SHUTDOWN' },
  { type: 'FAIL', error: new M2MError('MALFORMED_FRAME', 'bad bytes') },
  ...[
    'xstate.after.HELLO_TIMEOUT.m2m-session.helloSent',
    'xstate.after.HELLO_TIMEOUT.m2m-session.awaitingHello',
    'xstate.after.PING_INTERVAL.m2m-session.established.keepalive.waiting',
    'xstate.after.PONG_TIMEOUT.m2m-session.established.keepalive.awaitingPong',
    'xstate.after.IDLE_CHECK.m2m-session.established.idle.watching',
    'xstate.after.CLOSING_TIMEOUT.m2m-session.closing',
    'xstate.after.ACK_DELAY.m2m-session.established.acks.pending',
  ].map((type) => ({ type }) as unknown as SessionEvent),
  { type: 'ACK_PENDING' },
];

function input(role: 'initiator' | 'responder', now: () => number): SessionInput {
  return { role, nodeId: 'me', capabilities: caps, timers: TIMERS, activity: { last: 0 }, now, newSessionId: () => 'sess-1' };
}

// State identity for the walk: value, missed PONGs and why it closed (so every way into `closed` is its own target).
const key = (s: { value: unknown; context: { missedPongs: number; closed: { reason: string; by: string; error?: { code: string } } | null } }): string =>
  JSON.stringify([s.value, s.context.missedPongs, s.context.closed?.reason, s.context.closed?.by, s.context.closed?.error?.code]);

describe.each(['initiator', 'responder'] as const)('session machine, %s: every shortest path under fake timers', (role) => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // The model's clock says "idle expired" whenever the idle check fires; the run below makes that true on demand.
  const paths = getShortestPaths(sessionMachine, { input: input(role, () => 1e15), events: EVENTS, serializeState: (s) => key(s as never) });

  it('reaches the states the design promises', () => {
    const values = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    expect(values).toContain('"closed"');
    expect(values).toContain('"closing"');
    expect(values).toContain(role === 'initiator' ? '"helloSent"' : '"awaitingHello"');
    expect([...values].some((v) => v.includes('awaitingPong'))).toBe(true);
    expect(paths.length).toBeGreaterThan(8);
  });

  it.each(paths.map((p) => [p.steps.map((s) => s.event.type.replace('xstate.after.', '⏱').split('.m2m')[0] + (s.event.type === 'FRAME' ? `:${(s.event as { frame: { kind: string } }).frame.kind}` : '')).join(' → ') || '(initial)', p] as const))(
    '%s',
    (_name, path) => {
      let clock = 0;
      const actor = createActor(sessionMachine, { input: input(role, () => clock) });
      const emitted: SessionEmitted[] = [];
      actor.on('*', (e) => emitted.push(e as SessionEmitted));
      actor.start();
      for (const step of path.steps) {
        const type = step.event.type;
        if (type.startsWith('xstate.after.')) {
          const due = Object.values(actor.system.getSnapshot()._scheduledEvents).find((s) => s.event.type === type);
          expect(due, `timer ${type} is scheduled`).toBeDefined();
          if (type.includes('IDLE_CHECK')) clock = 1e15;
          vi.advanceTimersByTime((due as { startedAt: number; delay: number }).startedAt + (due as { delay: number }).delay - Date.now());
        } else {
          actor.send(step.event);
        }
        expect(key(actor.getSnapshot())).toBe(key(step.state as never));
      }
      // Every frame the machine emitted is a well-formed frame.
      const decoder = new FrameDecoder();
      for (const e of emitted) {
        if (e.type !== 'send') continue;
        for (const f of decoder.push(e.bytes)) expect(() => toSessionFrame(f, 65536)).not.toThrow();
      }
      const closed = emitted.filter((e) => e.type === 'closed');
      expect(closed.length).toBe(actor.getSnapshot().status === 'done' ? 1 : 0);
      actor.stop();
    },
  );
});

describe('session machine timers and outputs', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function run(role: 'initiator' | 'responder', timers: Partial<SessionTimers> = {}) {
    const activity = { last: 0 };
    const actor = createActor(sessionMachine, { input: { ...input(role, () => Date.now()), activity, timers: { ...TIMERS, ...timers } } });
    const emitted: SessionEmitted[] = [];
    actor.on('*', (e) => emitted.push(e as SessionEmitted));
    actor.start();
    actor.send({ type: 'START' });
    return { actor, emitted, activity, sent: () => emitted.filter((e) => e.type === 'send').map((e) => (e as { bytes: Uint8Array }).bytes[0]) };
  }
  const establish = (r: ReturnType<typeof run>) => r.actor.send(EVENTS[3]);

  it('defaults: HELLO 30 s, PING 60 s, PONG 10 s ×3, CLOSING 5 s, idle 300 s', async () => {
    const { DEFAULT_TIMERS } = await import('../../../protocol/session/machine.js');
    expect(DEFAULT_TIMERS).toMatchObject({ helloTimeoutMs: 30_000, pingIntervalMs: 60_000, pongTimeoutMs: 10_000, maxMissedPongs: 3, closingTimeoutMs: 5_000, idleTimeoutMs: 300_000 });
  });

  it('initiator sends HELLO, then closes with TIMEOUT when no ACCEPT comes in time', () => {
    const r = run('initiator');
    expect(r.sent()).toEqual([FrameType.HELLO]);
    vi.advanceTimersByTime(TIMERS.helloTimeoutMs - 1);
    expect(r.actor.getSnapshot().value).toBe('helloSent');
    vi.advanceTimersByTime(1);
    expect(r.actor.getSnapshot().value).toBe('closed');
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'TIMEOUT', by: 'local' } });
  });

  it('three missed PONGs close the session with TIMEOUT; a PONG resets the count', () => {
    const r = run('initiator', { idleTimeoutMs: 1e9 });
    establish(r);
    vi.advanceTimersByTime(TIMERS.pingIntervalMs + TIMERS.pongTimeoutMs); // miss 1
    vi.advanceTimersByTime(TIMERS.pingIntervalMs);
    r.actor.send(frame({ kind: 'PONG' }));
    expect(r.actor.getSnapshot().context.missedPongs).toBe(0);
    for (let i = 0; i < 2; i++) vi.advanceTimersByTime(TIMERS.pingIntervalMs + TIMERS.pongTimeoutMs);
    expect(r.actor.getSnapshot().matches('established')).toBe(true);
    vi.advanceTimersByTime(TIMERS.pingIntervalMs + TIMERS.pongTimeoutMs);
    expect(r.actor.getSnapshot().value).toBe('closing');
    expect(r.sent().filter((t) => t === FrameType.PING)).toHaveLength(5);
    vi.advanceTimersByTime(TIMERS.closingTimeoutMs);
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'TIMEOUT' } });
  });

  it('idle expiry follows the shared activity clock, not per-DATA timers', () => {
    const r = run('initiator', { pingIntervalMs: 1e9 });
    establish(r);
    vi.advanceTimersByTime(15_000);
    r.activity.last = Date.now();
    vi.advanceTimersByTime(19_999);
    expect(r.actor.getSnapshot().matches('established')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(r.actor.getSnapshot().value).toBe('closing');
  });

  it('answers PING with PONG and a peer CLOSE with CLOSE', () => {
    const r = run('responder');
    r.actor.send(EVENTS[1]);
    expect(r.sent()).toEqual([FrameType.ACCEPT]);
    r.actor.send(frame({ kind: 'PING' }));
    r.actor.send(frame({ kind: 'CLOSE', body: { reason: 'CLIENT_SHUTDOWN' } }));
    expect(r.sent()).toEqual([FrameType.ACCEPT, FrameType.PONG, FrameType.CLOSE]);
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'CLIENT_SHUTDOWN', by: 'peer' } });
  });

  it('responder REJECTs a major version mismatch and a HELLO the host refuses', () => {
    const r = run('responder');
    r.actor.send(EVENTS[2]);
    expect(r.sent()).toEqual([FrameType.REJECT]);
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'VERSION_MISMATCH' } });
    const actor = createActor(sessionMachine, { input: { ...input('responder', Date.now), verifyHello: () => ({ code: 'UNAUTHORIZED', message: 'bad proof' }) } });
    const got: SessionEmitted[] = [];
    actor.on('*', (e) => got.push(e as SessionEmitted));
    actor.start();
    actor.send({ type: 'START' });
    actor.send(EVENTS[1]);
    expect(got.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'UNAUTHORIZED', error: { code: 'UNAUTHORIZED' } } });
  });

  it('the initiator closes on an ACCEPT of another major version', () => {
    const r = run('initiator');
    r.actor.send(frame({ kind: 'ACCEPT', body: { version: '2.0', nodeId: 'peer', sessionId: 'sess-1', agreed } }));
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'PROTOCOL_ERROR', error: { message: expect.stringContaining('version 2.0') } } });
  });

  it('DATA before established, or a RESUME for another session, closes with PROTOCOL_ERROR', () => {
    const r = run('responder');
    r.actor.send(frame({ kind: 'DATA', raw }));
    expect(r.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'PROTOCOL_ERROR', error: { code: 'PROTOCOL_ERROR' } } });
    const s = run('initiator');
    establish(s);
    s.actor.send(EVENTS[12]);
    expect(s.emitted.find((e) => e.type === 'closed')).toMatchObject({ info: { reason: 'PROTOCOL_ERROR', error: { code: 'WRONG_SESSION' } } });
  });
});
