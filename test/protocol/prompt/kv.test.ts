import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromKV, toKV } from '../../../protocol/prompt/kv.js';
import { fromCompact, taskHash, toCompact } from '../../../protocol/prompt/compact.js';
import { compile } from '../../../protocol/prompt/compiler.js';
import { validateCompact, validateEnvelope } from '../../../protocol/prompt/validate.js';

describe('K:V form', () => {
  it('writes the seed §2.2 style', () => {
    const kv = toKV({ MISSION: { OBJ: 'ANALYZE auth', SCOPE: { in: ['src/auth/'] }, WSP: [50, 22] }, VALID: { TESTS: true } });
    expect(kv).toBe('MISSION.OBJ:ANALYZE auth\nMISSION.SCOPE.in:[src/auth/]\nMISSION.WSP:[50,22]\nVALID.TESTS:true');
  });
  it('quotes ambiguous strings and uses heredocs for multi-line text', () => {
    const obj = { A: '42', B: 'true', C: '[x]', D: ' pad', E: 'a\nEOT\nb', F: ['x|y', 'z'], G: ['50,22'], H: [], I: '', J: null };
    const kv = toKV(obj);
    expect(kv).toContain('A:"42"');
    expect(kv).toContain('E:<<EOT_\na\nEOT\nb\nEOT_');
    expect(fromKV(kv)).toEqual(obj);
  });
  it('property: any map of strings, numbers and string lists round-trips', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.integer(), { maxLength: 4 }));
    const obj = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(obj, (o) => {
        expect(fromKV(toKV(o))).toEqual(o);
      }),
      { numRuns: 300 },
    );
  });
  it('escapes pipes and trailing backslashes inside piped lists instead of one line per item', () => {
    const obj = { L: ['a|b', 'c\\', 'd\\|e', 'C:\\x', '[id]/page.tsx'] };
    const kv = toKV(obj);
    expect(kv).toBe('L:[a\\|b|c\\\\|d\\\\\\|e|C:\\x|[id]/page.tsx]');
    expect(fromKV(kv)).toEqual(obj);
  });
  it('short form (seed §2.2): envelope fields without their block, no version line for 1.0', () => {
    const env = { M2M_VERSION: '1.0', SENDER: 'A', MISSION: { OBJ: 'FIX x', SCOPE: { in: ['src/'] }, RULES: ['a', 'b'], EXTRA: 1 }, EXEC: { ARTIFACTS: ['patch'] }, VALID: { TESTS: true } };
    const kv = toKV(env, { short: true });
    expect(kv).toBe('SENDER:A\nOBJ:FIX x\nSCOPE.in:[src/]\nRULES:[a|b]\nMISSION.EXTRA:1\nARTIFACTS:[patch]\nTESTS:true');
    expect(fromKV(kv, { short: true })).toEqual(env);
    expect(fromKV(toKV(env), { short: true })).toEqual(env);
    expect(fromKV(toKV({ ...env, M2M_VERSION: '2.0' }, { short: true }), { short: true })).toEqual({ ...env, M2M_VERSION: '2.0' });
    // status reports keep their own top-level ARTIFACTS and COHERENCE
    const status = { M2M_VERSION: '1.0', STATUS: 'OK', ARTIFACTS: [{ path: 'a.py' }], COHERENCE: 0.7 };
    expect(fromKV(toKV(status, { short: true }), { short: true })).toEqual(status);
  });
  it('property: envelopes round-trip through the short form', () => {
    const str = fc.string({ maxLength: 20 });
    const env = fc.record({
      MISSION: fc.record({ OBJ: str, RULES: fc.array(str, { maxLength: 4 }), ROLE: str }, { requiredKeys: ['OBJ'] }),
      EXEC: fc.record({ ARTIFACTS: fc.array(str, { minLength: 1, maxLength: 3 }), TIMEOUT: fc.nat() }, { requiredKeys: [] }),
    });
    fc.assert(
      fc.property(env, (e) => {
        const full = { M2M_VERSION: '1.0', ...e };
        const expected = JSON.parse(JSON.stringify(full, (_, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? undefined : v)));
        expect(fromKV(toKV(full, { short: true }), { short: true })).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
  it('rejects malformed input', () => {
    expect(() => fromKV('no colon here')).toThrow(/expected KEY:VALUE/);
    expect(() => fromKV('A:<<EOT\nunterminated')).toThrow(/not terminated/);
    expect(() => fromKV('A:1\nA.B:2')).toThrow(/clashes/);
    expect(() => toKV({ 'a.b': 1 })).toThrow(/cannot be written/);
  });
});

describe('compact form', () => {
  it('maps an envelope to the 9 keys and back', () => {
    const env = compile('Only modify files in src/auth/. Fix the login bug. Follow WSP 50. Return a patch. If tests fail, stop.');
    const c = toCompact(env, { lane: 'B' });
    expect(c).toEqual({ schema: '0102_m2m_v1', L: 'B', S: 'src/auth/', M: 'exec', T: taskHash('FIX login bug'), R: [50], I: { OBJ: 'FIX login bug' }, O: ['patch'], F: ['tests fail'] });
    expect(validateCompact(c).ok).toBe(true);
    const back = fromCompact(c);
    expect(validateEnvelope(back).ok).toBe(true);
    expect(back.MISSION).toEqual(env.MISSION);
    expect(taskHash('x')).toMatch(/^[0-9a-f]{12}$/);
  });
});
