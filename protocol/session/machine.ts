/**
 * The session state machine (xstate v5). It does no I/O and owns no sockets: it consumes
 * START / FRAME / LOCAL_SEND / TIMEOUT / CLOSE / ACK_PENDING / FAIL events and emits
 * `send` (frame bytes), `deliver` (a DATA frame), `established`, `ack`, `resume`,
 * `flushAck` and `closed`. Timers are named xstate delays (all configurable through input);
 * nothing here runs per DATA frame: the idle timer reads a shared `activity.last` clock that
 * the host bumps, and re-arms itself only when it fires.
 *
 * initial ─START→ helloSent (initiator) | awaitingHello (responder) → established → closing → closed
 */
import { assign, emit, enqueueActions, setup, type ActorRefFrom } from 'xstate';
import { M2MError, type ErrorCode } from '../errors.js';
import type { AcceptBody, Agreement, CloseBody, CloseReason, HelloBody, RejectBody, ResumeBody } from './control.js';
import { encodeControlFrame } from './control.js';
import { FrameType, encodeEmptyFrame, type RawFrame } from './frames.js';
import { DEFAULT_TIMERS, type SessionContext, type SessionEmitted, type SessionEvent, type SessionFrame, type SessionInput } from './machine-types.js';
import { PROTOCOL_VERSION, checkAgreement, majorVersion, negotiate, type NegotiationResult } from './negotiate.js';

const close = (reason: CloseReason, message?: string): Uint8Array => encodeControlFrame('CLOSE', message === undefined ? { reason } : { reason, message });
const frameKind = (e: SessionEvent): string | undefined => (e.type === 'FRAME' ? e.frame.kind : undefined);
const bodyOf = <T>(e: SessionEvent): T => (e as unknown as { frame: { body: T } }).frame.body;

// verifyHello may count (rate limits), so a HELLO is judged once per session and the verdict reused by
// guard and action. Keyed by the session's own activity object, which is unique per actor.
const verdicts = new WeakMap<object, WeakMap<HelloBody, NegotiationResult>>();
function helloVerdict(context: SessionContext, hello: HelloBody): NegotiationResult {
  let mine = verdicts.get(context.activity);
  if (mine === undefined) verdicts.set(context.activity, (mine = new WeakMap()));
  let v = mine.get(hello);
  if (v === undefined) {
    const refused = context.verifyHello?.(hello);
    v = refused ? { ok: false, reject: refused } : negotiate(hello.version, hello.capabilities, context.capabilities);
    mine.set(hello, v);
  }
  return v;
}

// verifyAccept may record proofs (replay caches): judge each ACCEPT once, reuse the verdict.
const acceptVerdicts = new WeakMap<AcceptBody, { problem: string | undefined }>();

/** Why an ACCEPT is unacceptable to the initiator, or undefined when it is fine. */
function acceptProblem(context: SessionContext, body: AcceptBody): string | undefined {
  if (majorVersion(body.version) !== majorVersion(PROTOCOL_VERSION)) return `ACCEPT speaks version ${body.version}, this node speaks ${PROTOCOL_VERSION}`;
  let v = acceptVerdicts.get(body);
  if (v === undefined) {
    v = { problem: checkAgreement(context.capabilities, body.agreed) ?? context.verifyAccept?.(body) };
    acceptVerdicts.set(body, v);
  }
  return v.problem;
}

type CloseParams = { reason: CloseReason; code?: ErrorCode; message?: string };
const closing = (params: CloseParams) => [{ type: 'closeWith' as const, params }, 'emitClose' as const];

export const sessionMachine = setup({
  types: {} as { context: SessionContext; events: SessionEvent; input: SessionInput; emitted: SessionEmitted },
  delays: {
    HELLO_TIMEOUT: ({ context }) => context.timers.helloTimeoutMs,
    PING_INTERVAL: ({ context }) => context.timers.pingIntervalMs,
    PONG_TIMEOUT: ({ context }) => context.timers.pongTimeoutMs,
    CLOSING_TIMEOUT: ({ context }) => context.timers.closingTimeoutMs,
    ACK_DELAY: ({ context }) => context.timers.ackDelayMs,
    IDLE_CHECK: ({ context }) => Math.max(0, context.activity.last + context.timers.idleTimeoutMs - context.now()),
  },
  guards: {
    isInitiator: ({ context }) => context.role === 'initiator',
    isFrame: ({ event }, params: { kind: SessionFrame['kind'] }) => frameKind(event) === params.kind,
    acceptValid: ({ context, event }) => frameKind(event) === 'ACCEPT' && acceptProblem(context, bodyOf<AcceptBody>(event)) === undefined,
    helloAcceptable: ({ context, event }) => frameKind(event) === 'HELLO' && helloVerdict(context, bodyOf<HelloBody>(event)).ok,
    resumeForOtherSession: ({ context, event }) => frameKind(event) === 'RESUME' && bodyOf<ResumeBody>(event).sessionId !== context.sessionId,
    pongsExhausted: ({ context }) => context.missedPongs + 1 >= context.timers.maxMissedPongs,
    idleExpired: ({ context }) => context.now() - context.activity.last >= context.timers.idleTimeoutMs,
  },
  actions: {
    sendHello: emit(({ context }) => {
      const hello: HelloBody = { version: PROTOCOL_VERSION, nodeId: context.nodeId, capabilities: context.capabilities };
      if (context.auth !== undefined) hello.auth = context.auth;
      return { type: 'send' as const, bytes: encodeControlFrame('HELLO', hello) };
    }),
    adoptAccept: assign(({ event }) => {
      const b = bodyOf<AcceptBody>(event);
      return { sessionId: b.sessionId, agreed: b.agreed, peerNodeId: b.nodeId };
    }),
    adoptHello: assign(({ context, event }) => {
      const hello = bodyOf<HelloBody>(event);
      const v = helloVerdict(context, hello);
      const sessionId = context.newSessionId();
      return { sessionId, agreed: v.ok ? v.agreed : null, peerNodeId: hello.nodeId, acceptProof: context.acceptAuth?.(hello, sessionId) };
    }),
    sendAccept: emit(({ context }) => {
      const accept: AcceptBody = { version: PROTOCOL_VERSION, nodeId: context.nodeId, sessionId: context.sessionId as string, agreed: context.agreed as Agreement };
      if (context.acceptProof !== undefined) accept.auth = context.acceptProof;
      return { type: 'send' as const, bytes: encodeControlFrame('ACCEPT', accept) };
    }),
    rejectHello: enqueueActions(({ context, event, enqueue }) => {
      const v = helloVerdict(context, bodyOf<HelloBody>(event));
      const reject: RejectBody = v.ok ? { code: 'UNKNOWN', message: 'rejected' } : v.reject;
      const code: ErrorCode = reject.code === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : 'NEGOTIATION_FAILED';
      enqueue.assign({ closed: { reason: reject.code, by: 'local', error: new M2MError(code, reject.message, { rejectCode: reject.code }) } });
      enqueue.emit({ type: 'send', bytes: encodeControlFrame('REJECT', reject) });
    }),
    peerRejected: assign(({ event }) => {
      const r = bodyOf<RejectBody>(event);
      return { closed: { reason: r.code, by: 'peer' as const, error: new M2MError('PEER_REJECTED', `peer rejected the session: ${r.code}: ${r.message}`, { rejectCode: r.code }) } };
    }),
    peerClosed: assign(({ event }) => ({ closed: { reason: bodyOf<CloseBody>(event).reason, by: 'peer' as const } })),
    badAccept: assign(({ context, event }) => ({
      closed: { reason: 'PROTOCOL_ERROR' as const, by: 'local' as const, error: new M2MError('PROTOCOL_ERROR', acceptProblem(context, bodyOf<AcceptBody>(event)) ?? 'bad ACCEPT') },
    })),
    unexpectedFrame: assign(({ event }) => ({ closed: { reason: 'PROTOCOL_ERROR' as const, by: 'local' as const, error: new M2MError('PROTOCOL_ERROR', `unexpected ${frameKind(event)} frame in this state`) } })),
    wrongSession: assign(({ context, event }) => ({
      closed: { reason: 'PROTOCOL_ERROR' as const, by: 'local' as const, error: new M2MError('WRONG_SESSION', `RESUME for session ${bodyOf<ResumeBody>(event).sessionId}, this is ${context.sessionId}`) },
    })),
    failed: assign(({ event }) => ({ closed: { reason: 'PROTOCOL_ERROR' as const, by: 'local' as const, error: (event as { error: M2MError }).error } })),
    localClose: assign(({ event }) => ({ closed: { reason: (event as { reason?: CloseReason }).reason ?? 'NORMAL', by: 'local' as const } })),
    sendPing: emit({ type: 'send', bytes: encodeEmptyFrame(FrameType.PING) }),
    sendPong: emit({ type: 'send', bytes: encodeEmptyFrame(FrameType.PONG) }),
    sendCloseNormal: emit({ type: 'send', bytes: close('NORMAL') }),
    sendLocal: emit(({ event }) => ({ type: 'send' as const, bytes: (event as { bytes: Uint8Array }).bytes })),
    notSent: emit(() => ({ type: 'error' as const, error: new M2MError('SESSION_NOT_ESTABLISHED', 'DATA cannot be sent before the session is established') })),
    deliver: emit(({ event }) => ({ type: 'deliver' as const, raw: (event as { frame: { raw: RawFrame } }).frame.raw })),
    ack: emit(({ event }) => ({ type: 'ack' as const, raw: (event as { frame: { raw: RawFrame } }).frame.raw })),
    resume: emit(({ event }) => ({ type: 'resume' as const, body: bodyOf<ResumeBody>(event) })),
    flushAck: emit({ type: 'flushAck' }),
    missPong: assign({ missedPongs: ({ context }) => context.missedPongs + 1 }),
    clearMisses: assign({ missedPongs: 0 }),
    closeWith: assign((_, params: CloseParams) => ({
      closed: { reason: params.reason, by: 'local' as const, error: params.code ? new M2MError(params.code, params.message ?? params.reason) : undefined },
    })),
    emitClose: emit(({ context }) => ({ type: 'send' as const, bytes: close((context.closed?.reason as CloseReason) ?? 'NORMAL', context.closed?.error?.message) })),
    emitClosed: emit(({ context }) => ({ type: 'closed' as const, info: context.closed ?? { reason: 'NORMAL' as const, by: 'local' as const } })),
  },
}).createMachine({
  id: 'm2m-session',
  initial: 'initial',
  context: ({ input }) => ({
    ...input,
    timers: { ...DEFAULT_TIMERS, ...(input.timers ?? {}) },
    sessionId: null,
    agreed: null,
    peerNodeId: null,
    missedPongs: 0,
    closed: null,
  }),
  states: {
    initial: {
      on: {
        START: [{ guard: 'isInitiator', target: 'helloSent', actions: 'sendHello' }, { target: 'awaitingHello' }],
        CLOSE: { target: 'closed', actions: 'localClose' },
        FRAME: { target: 'closed', actions: ['unexpectedFrame', 'emitClose'] },
        LOCAL_SEND: { actions: 'notSent' },
      },
    },
    helloSent: {
      after: { HELLO_TIMEOUT: { target: 'closed', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'no ACCEPT within the HELLO timeout' }) } },
      on: {
        FRAME: [
          { guard: 'acceptValid', target: 'established', actions: 'adoptAccept' },
          { guard: { type: 'isFrame', params: { kind: 'ACCEPT' } }, target: 'closed', actions: ['badAccept', 'emitClose'] },
          { guard: { type: 'isFrame', params: { kind: 'REJECT' } }, target: 'closed', actions: 'peerRejected' },
          { guard: { type: 'isFrame', params: { kind: 'CLOSE' } }, target: 'closed', actions: 'peerClosed' },
          { target: 'closed', actions: ['unexpectedFrame', 'emitClose'] },
        ],
        LOCAL_SEND: { actions: 'notSent' },
        CLOSE: { target: 'closed', actions: ['localClose', 'emitClose'] },
        TIMEOUT: { target: 'closed', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'host timeout' }) },
        FAIL: { target: 'closed', actions: ['failed', 'emitClose'] },
      },
    },
    awaitingHello: {
      after: { HELLO_TIMEOUT: { target: 'closed', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'no HELLO within the HELLO timeout' }) } },
      on: {
        FRAME: [
          { guard: 'helloAcceptable', target: 'established', actions: ['adoptHello', 'sendAccept'] },
          { guard: { type: 'isFrame', params: { kind: 'HELLO' } }, target: 'closed', actions: 'rejectHello' },
          { target: 'closed', actions: ['unexpectedFrame', 'emitClose'] },
        ],
        LOCAL_SEND: { actions: 'notSent' },
        CLOSE: { target: 'closed', actions: ['localClose', 'emitClose'] },
        TIMEOUT: { target: 'closed', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'host timeout' }) },
        FAIL: { target: 'closed', actions: ['failed', 'emitClose'] },
      },
    },
    established: {
      type: 'parallel',
      entry: emit(({ context }) => ({ type: 'established' as const, sessionId: context.sessionId as string, agreed: context.agreed as Agreement, peerNodeId: context.peerNodeId as string })),
      states: {
        keepalive: {
          initial: 'waiting',
          states: {
            waiting: { after: { PING_INTERVAL: { target: 'awaitingPong', actions: 'sendPing' } } },
            awaitingPong: {
              after: {
                PONG_TIMEOUT: [
                  { guard: 'pongsExhausted', target: '#m2m-session.closing', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'peer missed too many PONGs' }) },
                  { target: 'waiting', actions: 'missPong' },
                ],
              },
              on: { FRAME: { guard: { type: 'isFrame', params: { kind: 'PONG' } }, target: 'waiting', actions: 'clearMisses' } },
            },
          },
        },
        idle: {
          initial: 'watching',
          states: {
            watching: {
              after: {
                IDLE_CHECK: [
                  { guard: 'idleExpired', target: '#m2m-session.closing', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'session idle for too long' }) },
                  { target: 'watching', reenter: true },
                ],
              },
            },
          },
        },
        acks: {
          initial: 'clear',
          states: {
            clear: { on: { ACK_PENDING: 'pending' } },
            pending: { after: { ACK_DELAY: { target: 'clear', actions: 'flushAck' } } },
          },
        },
      },
      on: {
        FRAME: [
          { guard: { type: 'isFrame', params: { kind: 'DATA' } }, actions: 'deliver' },
          { guard: { type: 'isFrame', params: { kind: 'ACK' } }, actions: 'ack' },
          { guard: { type: 'isFrame', params: { kind: 'PING' } }, actions: 'sendPong' },
          { guard: { type: 'isFrame', params: { kind: 'PONG' } }, actions: 'clearMisses' },
          { guard: 'resumeForOtherSession', target: 'closed', actions: ['wrongSession', 'emitClose'] },
          { guard: { type: 'isFrame', params: { kind: 'RESUME' } }, actions: 'resume' },
          { guard: { type: 'isFrame', params: { kind: 'CLOSE' } }, target: 'closed', actions: ['peerClosed', 'sendCloseNormal'] },
          { target: 'closed', actions: ['unexpectedFrame', 'emitClose'] },
        ],
        LOCAL_SEND: { actions: 'sendLocal' },
        CLOSE: { target: 'closing', actions: ['localClose', 'emitClose'] },
        TIMEOUT: { target: 'closing', actions: closing({ reason: 'TIMEOUT', code: 'SESSION_TIMEOUT', message: 'host timeout' }) },
        FAIL: { target: 'closed', actions: ['failed', 'emitClose'] },
      },
    },
    closing: {
      after: { CLOSING_TIMEOUT: 'closed' },
      on: {
        FRAME: { guard: { type: 'isFrame', params: { kind: 'CLOSE' } }, target: 'closed' },
        TIMEOUT: 'closed',
        FAIL: 'closed',
      },
    },
    closed: { type: 'final', entry: 'emitClosed' },
  },
});

export type SessionActor = ActorRefFrom<typeof sessionMachine>;
export { DEFAULT_TIMERS };
export type { ClosedInfo, HelloVerifier, SessionContext, SessionEmitted, SessionEvent, SessionFrame, SessionInput, SessionTimers } from './machine-types.js';
