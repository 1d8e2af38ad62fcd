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
