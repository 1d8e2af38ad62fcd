/**
 * `POST /message`: the reference's JSON envelope. HELLO opens an HTTP session,
 * DATA is decoded and handed to the router (not echoed, as the reference does),
 * PING → PONG, CLOSE ends the session. Protocol-level refusals answer with a
 * REJECT envelope whose payload carries `{code, message, error_code}`.
 */
import { isM2MError, M2MError } from '../../protocol/errors.js';
import { assertJsonBounds } from '../../protocol/json-bounds.js';
import type { Handler, RouteContext } from './context.js';
import { envelope, negotiateHello, parseEnvelope, serverCapabilities, type Envelope } from './envelope.js';
import { statusForError } from './respond.js';
import type { Reply } from './respond.js';
import { modelVersionOf } from '../router/scan.js';

type RejectCode = 'VERSION_MISMATCH' | 'NO_COMMON_ALGORITHM' | 'SECURITY_POLICY' | 'SERVER_BUSY' | 'UNKNOWN';

function reject(status: number, code: RejectCode, message: string, sessionId?: string, extra: Record<string, unknown> = {}): Reply {
  return { status, json: envelope('REJECT', sessionId, { code, message, ...extra }) };
}

function hello(ctx: RouteContext, env: Envelope): Reply {
  const outcome = negotiateHello(env.payload);
  if (!outcome.ok) return reject(400, outcome.code, outcome.message);
  const session = ctx.sessions.create(outcome.agentName, outcome.algorithms);
  if (!session) return reject(503, 'SERVER_BUSY', 'too many open HTTP sessions');
  ctx.deps.logger.debug({ session: session.id, agent: session.agent }, 'http session opened');
  return { status: 200, json: envelope('ACCEPT', session.id, serverCapabilities(ctx.config(), ctx.serverId, outcome.algorithms, modelVersionOf(ctx.deps.classifier))) };
}

/**
 * Decoded DATA content: JSON when it parses, else the text itself.
 * @throws M2MError TOO_DEEP (JSON nested deeper than the limit; long arrays are fine)
 */
function bodyOf(text: string): unknown {
  assertJsonBounds(text, { maxArrayLength: Number.MAX_SAFE_INTEGER });
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function data(ctx: RouteContext, env: Envelope): Promise<Reply> {
  const session = env.session_id !== undefined ? ctx.sessions.get(env.session_id) : undefined;
  if (!session) return reject(env.session_id === undefined ? 400 : 404, 'UNKNOWN', env.session_id === undefined ? 'DATA needs a session_id (send HELLO first)' : 'Session not found', env.session_id, { error_code: 'SESSION_NOT_FOUND' });
  const { content, to, id, algorithm } = env.payload;
  if (typeof content !== 'string') throw new M2MError('BAD_INPUT', 'DATA payload needs "content" (a wire string)', { field: 'payload.content' });
  if (typeof to !== 'string') throw new M2MError('BAD_ADDRESS', 'DATA payload needs "to" (agent@node) so the daemon can deliver it', { field: 'payload.to' });
  if (id !== undefined && typeof id !== 'string') throw new M2MError('BAD_INPUT', '"payload.id" must be a string', { field: 'payload.id' });
  if (typeof algorithm === 'string' && !session.algorithms.includes(algorithm.toLowerCase())) {
    throw new M2MError('PROTOCOL_ERROR', `algorithm ${JSON.stringify(algorithm)} was not negotiated in this session (${session.algorithms.join(', ')})`);
  }
  const router = ctx.deps.router;
  if (!router) throw new M2MError('UNAVAILABLE', 'message routing is not available in this daemon');
  if (!ctx.deps.codecs) throw new M2MError('UNAVAILABLE', 'the codec engine is not available in this daemon');
  const text = await ctx.deps.codecs.decompress(content);
  try {
    const receipt = await router.deliver({ from: session.agent, to, body: bodyOf(text), ...(id !== undefined ? { id } : {}) });
    session.messages++;
    return { status: 202, json: { session_id: session.id, status: receipt.status, ...(receipt.msgId ? { msg_id: receipt.msgId } : {}), ...(receipt.verdict !== undefined ? { verdict: receipt.verdict } : {}) } };
  } catch (e) {
    if (isM2MError(e, 'BLOCKED')) return reject(403, 'SECURITY_POLICY', e.message, session.id, { error_code: 'BLOCKED', ...(e.details ?? {}) });
    throw e;
  }
}

export const message: Handler = async (ctx, body) => {
  let env: Envelope;
  try {
    env = parseEnvelope(body);
  } catch (e) {
    return reject(400, 'UNKNOWN', (e as Error).message, undefined, { error_code: isM2MError(e) ? e.code : 'BAD_INPUT' });
  }
  try {
    switch (env.type) {
      case 'HELLO':
        return hello(ctx, env);
      case 'DATA':
        return await data(ctx, env);
      case 'PING':
        if (env.session_id !== undefined && !ctx.sessions.get(env.session_id)) return reject(404, 'UNKNOWN', 'Session not found', env.session_id, { error_code: 'SESSION_NOT_FOUND' });
        return { status: 200, json: envelope('PONG', env.session_id) };
      case 'CLOSE':
        if (env.session_id === undefined || !ctx.sessions.delete(env.session_id)) return reject(404, 'UNKNOWN', 'Session not found', env.session_id, { error_code: 'SESSION_NOT_FOUND' });
        return { status: 200, json: envelope('CLOSE', env.session_id, { reason: 'NORMAL' }) };
      default:
        return reject(400, 'UNKNOWN', 'Unsupported message type', env.session_id, { error_code: 'PROTOCOL_ERROR' });
    }
  } catch (e) {
    if (!isM2MError(e)) throw e;
    return reject(statusForError(e), 'UNKNOWN', e.message, env.session_id, { error_code: e.code, ...(e.details ?? {}) });
  }
};
