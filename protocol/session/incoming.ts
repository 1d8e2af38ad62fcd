/** Turning received raw frames into machine events, and spotting a RESUME on a new connection. */
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { decodeAccept, decodeClose, decodeHello, decodeReject, decodeResume, type ResumeBody } from './control.js';
import { FrameDecoder } from './frame-decoder.js';
import { FrameType, type RawFrame } from './frames.js';
import type { SessionFrame } from './machine-types.js';

/**
 * The session id of a RESUME frame at the start of `chunk` (a new connection's first bytes), or
 * undefined when the chunk does not start with a complete, valid RESUME frame.
 */
export function resumeTarget(chunk: Uint8Array, limits: Limits = DEFAULT_LIMITS): string | undefined {
  return resumeRequest(chunk, limits)?.sessionId;
}

/** The whole RESUME body at the start of `chunk` (e.g. to check its `auth` first), or undefined as for {@link resumeTarget}. */
export function resumeRequest(chunk: Uint8Array, limits: Limits = DEFAULT_LIMITS): ResumeBody | undefined {
  try {
    const first = new FrameDecoder(limits).push(chunk.slice())[0];
    return first?.type === FrameType.RESUME ? decodeResume(first.body, limits.maxControlBodyBytes) : undefined;
  } catch {
    return undefined;
  }
}

/** Decode a non-DATA raw frame into the machine's event payload. @throws M2MError MALFORMED_FRAME */
export function toSessionFrame(f: RawFrame, maxControlBytes: number): SessionFrame {
  if (f.flags !== 0 && f.type !== FrameType.DATA) throw new M2MError('MALFORMED_FRAME', `flags 0x${f.flags.toString(16)} are reserved on this frame type`);
  switch (f.type) {
    case FrameType.HELLO:
      return { kind: 'HELLO', body: decodeHello(f.body, maxControlBytes) };
    case FrameType.ACCEPT:
      return { kind: 'ACCEPT', body: decodeAccept(f.body, maxControlBytes) };
    case FrameType.REJECT:
      return { kind: 'REJECT', body: decodeReject(f.body, maxControlBytes) };
    case FrameType.CLOSE:
      return { kind: 'CLOSE', body: decodeClose(f.body, maxControlBytes) };
    case FrameType.RESUME:
      return { kind: 'RESUME', body: decodeResume(f.body, maxControlBytes) };
    case FrameType.PING:
    case FrameType.PONG:
      if (f.body.length !== 0) throw new M2MError('MALFORMED_FRAME', `${f.type === FrameType.PING ? 'PING' : 'PONG'} must have an empty body`);
      return { kind: f.type === FrameType.PING ? 'PING' : 'PONG' };
    case FrameType.DATA:
      return { kind: 'DATA', raw: f };
    case FrameType.ACK:
      return { kind: 'ACK', raw: f };
    default:
      throw new M2MError('UNKNOWN_FRAME_TYPE', `unknown frame type ${f.type as number}`);
  }
}
