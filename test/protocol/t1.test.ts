import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { abbreviateJson, decodeT1, encodeT1, expandJson } from '../../protocol/t1.js';
import { T1_KEYS, T1_VALUES } from '../../protocol/t1-tables.js';
import { codeOf } from './error-code.js';

describe('T1', () => {
  it('encodes the seed README vector', () => {
    const json = '{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}';
    expect(encodeT1(json)).toBe('#T1|{"M":"4o","m":[{"r":"u","c":"Hello"}]}');
    expect(decodeT1('#T1|{"M":"4o","m":[{"r":"u","c":"Hello"}]}')).toBe(json);
  });

  it('escapes keys and values that collide with abbreviations', () => {
    const json = '{"c":"x","~a":1,"M":"4o","role":"u","model":"~z","messages":[{"role":"assistant","r":"s"}],"finish_reason":"tc"}';
    const wire = encodeT1(json);
    expect(wire).toBe('#T1|{"~c":"x","~~a":1,"~M":"4o","r":"~u","M":"~~z","m":[{"r":"a","~r":"s"}],"fr":"~tc"}');
    expect(decodeT1(wire)).toBe(json);
    expect(JSON.parse(wire.slice(4))).toBeTypeOf('object');
  });

  it('preserves whitespace, number text, key order and duplicate keys exactly', () => {
    const json = '{ "temperature" : 1.0, "2": 0, "1": -0, "n": 1e3,\n "role": "user", "role": "tool", "s":"\\"c\\"" }';
    expect(decodeT1(encodeT1(json))).toBe(json);
    expect(encodeT1('"user"')).toBe('#T1|"user"');
    expect(encodeT1('[{"content":null}]')).toBe('#T1|[{"c":null}]');
  });

  it('round-trips arbitrary JSON, compact and pretty-printed, and the table words themselves', () => {
    const words = [...Object.keys(T1_KEYS), ...Object.values(T1_KEYS), ...Object.values(T1_VALUES).flatMap((t) => [...Object.keys(t), ...Object.values(t)])];
    const word = fc.oneof(fc.constantFrom(...words), fc.constantFrom(...words).map((w) => `~${w}`), fc.string({ unit: 'grapheme', maxLength: 6 }));
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        word,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(word, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.boolean(), (v, pretty) => {
        const json = JSON.stringify(v, null, pretty ? 2 : undefined) ?? 'null';
        const wire = encodeT1(json);
        expect(decodeT1(wire)).toBe(json);
        JSON.parse(wire.slice(4));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (json) => {
        expect(expandJson(abbreviateJson(json))).toBe(json);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects non-JSON and out-of-bounds input', () => {
    expect(codeOf(() => encodeT1('hello'))).toBe('INVALID_JSON');
    expect(codeOf(() => decodeT1('#T1|{"M":'))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => decodeT1('#T2|{}'))).toBe('CORRUPT_PAYLOAD');
    expect(codeOf(() => encodeT1('['.repeat(33) + ']'.repeat(33)))).toBe('TOO_DEEP');
    expect(codeOf(() => encodeT1(`[${'0,'.repeat(10_000)}0]`))).toBe('ARRAY_TOO_LONG');
  });
});
