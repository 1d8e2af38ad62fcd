import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { ToonCodec, toonDecode, toonEncode, parseToonLevel, compressionRatio } from '../../../protocol/toon/codec.js';
import { TOON_LEVELS } from '../../../protocol/toon/tables.js';
import { isM2MError } from '../../../protocol/errors.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('seed examples', () => {
  it('encodes the seed example at standard', () => {
    const c = new ToonCodec({ level: 'standard' });
    expect(c.encodeToString({ id: '123', name: 'test', status: 'healthy' })).toBe('{"i":"123","n":"test","s":"H"}');
    expect(hex(c.encode({ id: '123', name: 'test', status: 'healthy' }))).toBe('7b2269223a22313233222c226e223a2274657374222c2273223a2248227d');
    expect(c.decode('{"i":"123","n":"test","s":"H"}')).toEqual({ id: '123', name: 'test', status: 'healthy' });
  });

  it('minimal compresses keys only', () => {
    expect(new ToonCodec({ level: 'minimal' }).encodeToString({ id: '123', status: 'healthy' })).toBe('{"i":"123","s":"healthy"}');
  });

  it('none is plain JSON', () => {
    expect(new ToonCodec({ level: 'none' }).encodeToString({ id: 1, status: 'healthy' })).toBe('{"id":1,"status":"healthy"}');
  });

  it('reproduces the seed before/after comparison', () => {
    const doc = {
      id: 'debate-123', name: 'AI Ethics Discussion', status: 'completed', created_at: '2024-01-15T10:30:00Z',
      participants: [{ id: 'p1', name: 'Claude', status: 'healthy' }, { id: 'p2', name: 'GPT-4', status: 'healthy' }],
      result: { winner: 'consensus', confidence: 0.95, message: 'All participants agree' },
    };
    const s = new ToonCodec().encodeToString(doc);
    expect(s).toBe('{"i":"debate-123","n":"AI Ethics Discussion","s":"C","ca":"2024-01-15T10:30:00Z","participants":[{"i":"p1","n":"Claude","s":"H"},{"i":"p2","n":"GPT-4","s":"H"}],"r":{"winner":"consensus","confidence":0.95,"m":"All participants agree"}}');
    expect(toonDecode(s)).toEqual(doc);
  });
});

describe('lossless escaping', () => {
  const c = new ToonCodec();
  it('escapes real keys and values that look like codes', () => {
    const doc = { i: 'H', '~x': '~y', n: 'T', url: 'N', s: true, t: false, v: null };
    const s = c.encodeToString(doc);
    expect(s).toBe('{"~i":"~H","~~x":"~~y","~n":"~T","~url":"~N","~s":true,"~t":false,"~v":null}');
    expect(c.decode(s)).toEqual(doc);
  });

  it('never turns the string "true" into a boolean or back', () => {
    const doc = { a_flag: 'true', b_flag: true, c_flag: 'null', d_flag: null, e_flag: 'false', f_flag: false };
    const s = c.encodeToString(doc);
    expect(s).toBe('{"a_flag":"T","b_flag":true,"c_flag":"N","d_flag":null,"e_flag":"X","f_flag":false}');
    const back = c.decode(s) as Record<string, unknown>;
    expect(back).toStrictEqual(doc);
    expect(typeof back.a_flag).toBe('string');
    expect(typeof back.b_flag).toBe('boolean');
  });

  it('keeps __proto__ as an own key', () => {
    const doc = JSON.parse('{"__proto__":{"x":1},"id":2}');
    const back = c.decode(c.encodeToString(doc)) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'id']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(doc));
  });
});

describe('property: every level round-trips arbitrary JSON', () => {
  for (const level of TOON_LEVELS) {
    it(`level ${level}`, () => {
      const c = new ToonCodec({ level, gzipThreshold: 64 });
      const key = fc.oneof(fc.string(), fc.constantFrom('id', 'i', '~', '~i', 'name', 'n', 'status', 's', 'ts', 'timestamp', '__proto__', 'url'));
      const str = fc.oneof(fc.string(), fc.constantFrom('healthy', 'H', 'true', 'T', 'null', 'N', '~', '~H', 'error', 'E', ''));
      const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('arr'), tie('obj')),
        leaf: fc.oneof(str, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
        arr: fc.array(tie('tree'), { maxLength: 5 }),
        obj: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
      }));
      fc.assert(
        fc.property(fc.oneof(tree, fc.jsonValue()), (v) => {
          const norm = JSON.parse(JSON.stringify(v));
          expect(JSON.stringify(c.decode(c.encode(norm)))).toBe(JSON.stringify(norm));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('aggressive', () => {
  it('gzips above the threshold and decodes by magic bytes', () => {
    const doc = { data: Array.from({ length: 100 }, (_, i) => ({ id: i, status: 'completed' })) };
    const b = toonEncode(doc, { level: 'aggressive' });
    expect(hex(b.subarray(0, 2))).toBe('1f8b');
    expect(b.length).toBeLessThan(toonEncode(doc, { level: 'standard' }).length / 4);
    expect(toonDecode(b)).toEqual(doc);
  });

  it('stays JSON below the threshold', () => {
    expect(text(toonEncode({ status: 'failed' }, { level: 'aggressive' }))).toBe('{"s":"F"}');
  });
});

describe('errors', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isM2MError(e) ? e.code : 'not-m2m';
    }
    return undefined;
  };
  it('invalid format', () => {
    expect(codeOf(() => toonDecode('{"i":'))).toBe('TOON_INVALID_FORMAT');
    expect(codeOf(() => toonDecode(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('TOON_INVALID_FORMAT');
  });
  it('decompression failed', () => {
    expect(codeOf(() => toonDecode(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02])))).toBe('TOON_DECOMPRESS_FAILED');
  });
  it('decompression bomb is bounded', () => {
    const bomb = gzipSync(Buffer.alloc(1 << 20, 0x20));
    expect(codeOf(() => toonDecode(bomb, { limits: { maxDecompressedBytes: 1024 } }))).toBe('DECOMPRESSED_TOO_LARGE');
  });
  it('strict mode rejects unknown short codes', () => {
    const sender = new ToonCodec({ customKeys: { verification_score: 'vs' } });
    const s = sender.encodeToString({ verification_score: 0.9, url: 'x', longer_key: 1 });
    expect(s).toBe('{"vs":0.9,"~url":"x","longer_key":1}');
    expect(codeOf(() => toonDecode(s, { strict: true }))).toBe('TOON_UNKNOWN_KEY');
    expect(toonDecode(s)).toEqual({ vs: 0.9, url: 'x', longer_key: 1 });
    expect(new ToonCodec({ strict: true, customKeys: { verification_score: 'vs' } }).decode(s)).toEqual({ verification_score: 0.9, url: 'x', longer_key: 1 });
  });
  it('depth is bounded', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(codeOf(() => toonEncode(deep))).toBe('TOO_DEEP');
    expect(codeOf(() => toonDecode(JSON.stringify(deep)))).toBe('TOO_DEEP');
  });
  it('rejects non-JSON values and bad levels', () => {
    expect(codeOf(() => toonEncode({ a: Number.NaN }))).toBe('BAD_INPUT');
    expect(codeOf(() => toonEncode({ a: () => 1 }))).toBe('BAD_INPUT');
    expect(codeOf(() => parseToonLevel('max'))).toBe('BAD_INPUT');
    expect(parseToonLevel('Aggressive')).toBe('aggressive');
  });
  it('input size is bounded', () => {
    expect(codeOf(() => toonDecode('{"a":"0123456789"}', { limits: { maxInputBytes: 4 } }))).toBe('INPUT_TOO_LARGE');
  });
});

it('compressionRatio', () => {
  expect(compressionRatio(100, 67)).toBeCloseTo(0.33);
  expect(compressionRatio(0, 0)).toBe(0);
});
