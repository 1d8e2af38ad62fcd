import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAgentServer, type AgentServer } from '../../../daemon/agent-api/server.js';
import { checkPromptMessage } from '../../../daemon/agent-api/prompt-body.js';
import { Router } from '../../../daemon/router/router.js';
import { FakePeers, keywordClassifier, rawClient, tempDir, type RawClient } from '../helpers.js';
import { isM2MError } from '../../../protocol/errors.js';

const ENVELOPE = {
  M2M_VERSION: '1.0',
  SENDER: '0102-ORCH',
  RECEIVER: '0102-A',
  TS: '2026-02-12T10:30:00Z',
  MISSION: { OBJ: 'IMPLEMENT SSE heartbeat', SCOPE: { in: ['modules/sim/'], out: ['tests/'] }, WSP: [50, 22] },
  CTX: { FILES: ['sse_server.py'], DEPS: ['fastapi'], BLOCKERS: [] },
  EXEC: { LANE: 'A', SKILLS: ['Edit'], ARTIFACTS: ['heartbeat_impl.py'], TIMEOUT: 300 },
  VALID: { COHERENCE: 0.618, TESTS: true, WSP_CHECK: true },
};

describe('checkPromptMessage', () => {
  it('accepts a valid envelope as an object or as YAML text, unchanged', () => {
    expect(checkPromptMessage(ENVELOPE)).toBe(ENVELOPE);
    const yaml = 'M2M_VERSION: "1.0"\nSENDER: a\nRECEIVER: b\nTS: 2026-02-12T10:30:00Z\nMISSION:\n  OBJ: FIX login\n  SCOPE: {in: [src/], out: []}\n  WSP: [50]\n';
    expect(checkPromptMessage(yaml)).toBe(yaml);
  });

  it('names the bad path in a SCHEMA_INVALID error with the full list in details', () => {
    const bad = { ...ENVELOPE, MISSION: { ...ENVELOPE.MISSION, OBJ: 42 } };
    try {
      checkPromptMessage(bad);
      expect.unreachable();
    } catch (e) {
      expect(isM2MError(e, 'SCHEMA_INVALID')).toBe(true);
      expect((e as Error).message).toContain('MISSION.OBJ');
      expect((e as { details: { errors: unknown[] } }).details.errors.length).toBeGreaterThan(0);
    }
  });

  it('refuses a body that is no prompt message at all', () => {
    expect(() => checkPromptMessage({ hello: 'world' })).toThrow(/not an M2M prompt message/);
  });
});

describe('agent socket: envelope bodies', () => {
  let server: AgentServer | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close(true);
    server = undefined;
  });

  async function setup() {
    const path = join(tempDir(), 'agent.sock');
    const router = new Router({ nodeId: 'n1', classifier: keywordClassifier(), policy: { enabled: true, blocking: true, threshold: 0.8 }, peers: new FakePeers() });
    server = createAgentServer({ path, host: router });
    await server.listen();
    const hello = async (agent: string) => {
      const c = await rawClient(path);
      clients.push(c);
      c.send({ type: 'hello', agent, id: 'h' });
      await c.next();
      return c;
    };
    return { a: await hello('alice'), b: await hello('bob') };
  }

  it('delivers a valid envelope and answers schema errors to the sender only', async () => {
    const { a, b } = await setup();
    a.send({ type: 'send', to: 'bob', envelope: true, body: { ...ENVELOPE, MISSION: { SCOPE: {} } }, id: 'bad' });
    const err = await a.next();
    expect(err).toMatchObject({ type: 'error', id: 'bad', code: 'SCHEMA_INVALID' });
    expect(Array.isArray(err.errors)).toBe(true);
    a.send({ type: 'send', to: 'bob', envelope: true, body: ENVELOPE, id: 'good' });
    expect(await a.next()).toMatchObject({ type: 'ack', id: 'good', status: 'delivered' });
    // bob sees only the valid one; the connection stayed usable after the error.
    expect(await b.next()).toMatchObject({ type: 'msg', id: 'good', body: ENVELOPE });
  });

  it('rejects a non-boolean envelope flag as bad input', async () => {
    const { a } = await setup();
    a.send({ type: 'send', to: 'bob', envelope: 'yes', body: ENVELOPE, id: 'x' });
    expect(await a.next()).toMatchObject({ type: 'error', id: 'x', code: 'BAD_INPUT' });
  });
});
