import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ToonCodec } from '../../../protocol/toon/codec.js';
import { TOON_LEVELS } from '../../../protocol/toon/tables.js';
import { isM2MError } from '../../../protocol/errors.js';

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('text-level TOON keeps the JSON text byte for byte', () => {
  const c = new ToonCodec();
  it('keeps number spelling and whitespace, rewrites keys and values', () => {
    const t = '{ "top_p": 1.0, "id" : "x", "status":"healthy", "n": 1e5 }';
    const e = utf8(c.encodeText(t));
    expect(e).toBe('{ "top_p": 1.0, "i" : "x", "s":"H", "~n": 1e5 }');
    expect(c.decodeText(e)).toBe(t);
  });
  it('never abbreviates escaped spellings and escapes those that collide', () => {
    const t = '{"\\u0069d":"\\u0048","status":"he\\u006clthy","x":"~y"}';
    const e = utf8(c.encodeText(t));
    expect(e).toBe('{"~\\u0069d":"~\\u0048","s":"he\\u006clthy","~x":"~~y"}');
    expect(c.decodeText(e)).toBe(t);
  });
  it('agrees with the value-level codec', () => {
    const t = '{"id":"1","list":[true,"true",null,"null"],"status":"failed"}';
    expect(utf8(c.encodeText(t))).toBe(c.encodeToString(JSON.parse(t)));
    expect(c.decode(c.encodeText(t))).toEqual(JSON.parse(t));
  });
  it('rejects invalid JSON text', () => {
    for (const bad of ['', '{', '{"a" 1}', '[1,]', '{"a":1}x', "{'a':1}", '[01]', '"\u0001"', '{"a":tru}']) {
      try {
        c.encodeText(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(isM2MError(e, 'TOON_INVALID_FORMAT')).toBe(true);
      }
    }
  });
  it('bounds depth', () => {
    expect(() => c.encodeText('['.repeat(40) + ']'.repeat(40))).toThrow(/deeper/);
  });

  for (const level of TOON_LEVELS) {
    it(`property: level ${level} round-trips arbitrary JSON text exactly`, () => {
      const codec = new ToonCodec({ level, gzipThreshold: 64 });
      const key = fc.oneof(fc.string(), fc.constantFrom('id', 'i', '~', '~i', 'status', 's', 'ts', 'url', 'value'));
      const str = fc.oneof(fc.string(), fc.constantFrom('healthy', 'H', 'true', 'T', 'N', '~', '~H', 'error'));
      const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('arr'), tie('obj')),
        leaf: fc.oneof(str, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
        arr: fc.array(tie('tree'), { maxLength: 5 }),
        obj: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
      }));
      const spacing = fc.constantFrom(0, 1, 2);
      fc.assert(
        fc.property(tree, spacing, (v, sp) => {
          // integers written as 1.0 and exponents as E+: spellings JSON.stringify never produces
          const t = JSON.stringify(v, null, sp).replace(/(?<=[:[,\s])(-?\d+)(?=[,\]}\s]|$)/g, '$1.0').replace(/e\+/g, 'E+');
          expect(codec.decodeText(codec.encodeText(t))).toBe(t);
          expect(codec.decode(codec.encodeText(t))).toEqual(JSON.parse(t));
        }),
        { numRuns: 200 },
      );
    });
  }
});
