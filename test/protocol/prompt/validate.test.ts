import { describe, expect, it } from 'vitest';
import { assertEnvelope, detectKind, formatErrors, validateCompact, validateEnvelope, validateMessage, validateStatusReport } from '../../../protocol/prompt/validate.js';
import { parsePromptYaml, toPromptYaml } from '../../../protocol/prompt/yaml-io.js';
import { isM2MError } from '../../../protocol/errors.js';

const SEED_3_1 = `M2M_VERSION: 1.0
SENDER: 0102-ORCH
RECEIVER: 0102-A
TS: 2026-02-12T10:30:00Z

MISSION:
  OBJ: IMPLEMENT SSE heartbeat
  SCOPE:
    in: [modules/foundups/simulator/]
    out: [tests/]
  WSP: [50, 22, 11]

CTX:
  FILES: [sse_server.py, INTERFACE.md]
  DEPS: [fastapi, asyncio]
  BLOCKERS: []

EXEC:
  LANE: A
  SKILLS: [Edit, Write, Bash:pytest]
  ARTIFACTS: [heartbeat_impl.py, ModLog.md]
  TIMEOUT: 300

VALID:
  COHERENCE: 0.618
  TESTS: true
  WSP_CHECK: true
`;

const SEED_3_2 = `M2M_VERSION: 1.0
SENDER: 0102-A
RECEIVER: 0102-ORCH
TS: 2026-02-12T10:35:00Z

STATUS: OK
ARTIFACTS:
  - path: sse_server.py
    action: EDIT
    lines: [45, 78]
  - path: ModLog.md
    action: APPEND

METRICS:
  TOKENS: 180
  DURATION: 45s
  TESTS: 12/12

COHERENCE: 0.72
`;

const SEED_3_3 = `M2M_VERSION: 1.0
SENDER: 0102-ORCH
RECEIVER: 0102-QA
TS: 2026-02-12T10:36:00Z
MISSION:
  OBJ: VALIDATE SSE implementation
  SCOPE:
    in: [modules/foundups/simulator/]
  WSP: [50, 6, 11]
CTX:
  CHANGED: [sse_server.py:45-78, ModLog.md]
  WORKER: 0102-A
EXEC:
  LANE: QA
  SKILLS: [Read, Grep]  # Read-only
  ARTIFACTS: [review.md]
  TIMEOUT: 120
VALID:
  COHERENCE: 0.618
  APPROVE_THRESHOLD: 0.8
`;

describe('seed messages validate', () => {
  it('§3.1 lane assignment envelope', () => {
    const r = validateEnvelope(parsePromptYaml(SEED_3_1));
    expect(r).toEqual({ ok: true, errors: [], warnings: [] });
  });
  it('§3.2 status report', () => {
    expect(validateStatusReport(parsePromptYaml(SEED_3_2)).ok).toBe(true);
    expect(detectKind(parsePromptYaml(SEED_3_2))).toBe('status');
  });
  it('§3.3 review request: extension keys are warnings', () => {
    const r = validateMessage(parsePromptYaml(SEED_3_3));
    expect(r.ok).toBe(true);
    expect(r.kind).toBe('envelope');
    expect(r.warnings.map((w) => w.path)).toEqual(['CTX.CHANGED', 'CTX.WORKER', 'VALID.APPROVE_THRESHOLD']);
  });
  it('§8.2 compact form', () => {
    const c = { schema: '0102_m2m_v1', L: 'ORCH', S: 'git_push_dae', M: 'exec', T: 'step_2_mps', R: [95, 15], I: { fidelity_min: 0.9 }, O: ['mps_score'], F: ['gemma_reject'] };
    expect(validateCompact(c).ok).toBe(true);
    expect(validateCompact({ ...c, L: 'Z', M: 'run' }).errors.map((e) => e.path)).toEqual(['L', 'M']);
  });
});

describe('clear errors', () => {
  it('reports path, type and did-you-mean', () => {
    const env = parsePromptYaml(SEED_3_1) as Record<string, any>;
    env.MISSION.WSP = [50, 'x'];
    env.MISSION.Scope = env.MISSION.SCOPE;
    delete env.MISSION.OBJ;
    env.VALID.COHERENCE = 1.5;
    env.TS = 'yesterday';
    env.EXEC.lane = 'A';
    const r = validateEnvelope(env);
    expect(r.ok).toBe(false);
    expect(formatErrors(r.errors)).toBe(
      [
        'TS: expected an ISO 8601 timestamp like 2026-02-12T10:30:00Z, got the string "yesterday"',
        'MISSION.OBJ: is required',
        'MISSION.WSP[1]: expected a number, got the string "x"',
        'MISSION.Scope: unknown key (did you mean SCOPE?)',
        'EXEC.lane: unknown key (did you mean LANE?)',
        'VALID.COHERENCE: expected at most 1, got 1.5',
      ].join('\n'),
    );
  });
  it('assertEnvelope throws SCHEMA_INVALID with details', () => {
    try {
      assertEnvelope({ M2M_VERSION: '1.0' });
      expect.unreachable();
    } catch (e) {
      expect(isM2MError(e, 'SCHEMA_INVALID')).toBe(true);
      expect((e as any).details.errors).toEqual([{ path: 'MISSION', message: 'is required' }]);
    }
  });
  it('non-messages are rejected', () => {
    expect(validateMessage([1]).ok).toBe(false);
    expect(validateMessage({ hello: 1 }).errors[0].message).toMatch(/not an M2M prompt message/);
  });
});

describe('YAML in and out', () => {
  it('round-trips the seed envelope with flow lists', () => {
    const obj = parsePromptYaml(SEED_3_1);
    const y = toPromptYaml(obj);
    expect(y).toContain('WSP: [50, 22, 11]');
    expect(y).toContain('SCOPE:\n    in: [modules/foundups/simulator/]');
    expect(parsePromptYaml(y)).toEqual(obj);
  });
  it('rejects bad YAML, non-maps, oversized input and alias bombs', () => {
    const code = (t: string, max?: number): string | undefined => {
      try {
        parsePromptYaml(t, max);
      } catch (e) {
        return isM2MError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code('a: [1, 2')).toBe('SCHEMA_INVALID');
    expect(code('- 1\n- 2')).toBe('SCHEMA_INVALID');
    expect(code('a: 1\na: 2')).toBe('SCHEMA_INVALID');
    expect(code('a: 1', 2)).toBe('INPUT_TOO_LARGE');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(code(bomb)).toBe('SCHEMA_INVALID');
  });
});

describe('decompile of the other messages', () => {
  it('status report (seed §3.2) and compact form (seed §8.2)', async () => {
    const { decompile } = await import('../../../protocol/prompt/decompiler.js');
    const { fromCompact } = await import('../../../protocol/prompt/compact.js');
    expect(decompile(parsePromptYaml(SEED_3_2) as never)).toBe(
      'From 0102-A to 0102-ORCH at 2026-02-12T10:35:00Z.\nStatus: OK.\nEDIT sse_server.py (lines 45-78).\nAPPEND ModLog.md.\nUsed 180 tokens.\nTook 45s.\nTests passed: 12/12.\nCoherence 0.72.',
    );
    const env = fromCompact({ schema: '0102_m2m_v1', L: 'ORCH', S: 'git_push_dae', M: 'exec', T: 'step_2_mps', R: [95, 15], I: { fidelity_min: 0.9 }, O: ['mps_score'], F: ['gemma_reject'] });
    expect(validateEnvelope(env).ok).toBe(true);
    expect(env.MISSION.INVARIANTS).toEqual({ fidelity_min: 0.9 });
    expect(decompile(env)).toBe('git_push_dae. Follow WSP 95, WSP 15. Keep fidelity_min = 0.9. Stop if gemma_reject. Deliver mps_score. Work in lane ORCH.');
  });
});
