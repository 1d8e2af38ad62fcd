import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringValues, MAX_WALK_KEYS, type StringVisitor } from '../../inference/json-strings.js';
import { extractText, MAX_NESTED_JSON } from '../../inference/extract.js';

// The reference: JSON.parse, then every string value in `for…in` order, JSON inside strings opened with
// JSON.parse up to MAX_NESTED_JSON deep (what extract.ts did before the walker).
function refValue(value: unknown, out: string[], nested: number): void {
  if (typeof value === 'string') refString(value, out, nested);
  else if (Array.isArray(value)) for (const v of value) refValue(v, out, nested);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) refValue(o[k], out, nested);
  }
}

function refString(v: string, out: string[], nested: number): void {
  if (nested < MAX_NESTED_JSON && v.length > 1 && /^\s*[[{]/.test(v)) {
    let parsed: unknown;
    let ok = true;
    try {
      parsed = JSON.parse(v);
    } catch {
      ok = false;
    }
    if (ok) return refValue(parsed, out, nested + 1);
  }
  if (v.length > 0) out.push(v);
}

const refVisit: StringVisitor = (v, out) => refString(v, out, 0);

/** JSON.parse's verdict and the reference strings (null when JSON.parse throws). */
function reference(text: string, visit: boolean): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const out: string[] = [];
  if (visit) refValue(value, out, 0);
  else refValue(value, out, MAX_NESTED_JSON);
  return out;
}

type Outcome = 'walked' | 'invalid' | 'left';

/**
 * The property: true → exactly the reference's strings; JSON.parse throws → false; false → `out` untouched.
 * Checked with the default visitor and with one that opens JSON in strings.
 */
function checkAgainstReference(text: string): Outcome {
  let outcome: Outcome = 'left';
  for (const opened of [true, false]) {
    const want = reference(text, opened);
    const out = ['before'];
    const ok = opened ? jsonStringValues(text, out, refVisit) : jsonStringValues(text, out);
    if (want === null) expect(ok).toBe(false);
    if (ok) expect(out).toEqual(['before', ...(want ?? [])]);
    else expect(out).toEqual(['before']);
    outcome = ok ? 'walked' : want === null ? 'invalid' : 'left';
  }
  return outcome;
}

/** Counts of outcomes, to show that a property exercised both sides. */
function tally(): { count: Record<Outcome, number>; add: (o: Outcome) => void } {
  const count: Record<Outcome, number> = { walked: 0, invalid: 0, left: 0 };
  return { count, add: (o) => { count[o]++; } };
}

// Strings built from every kind of escape and character JSON allows, written as JSON text.
const escapePiece = fc.oneof(
  fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t'),
  fc.stringMatching(/^[0-9a-fA-F]{4}$/).map((h) => `\\u${h}`),
  fc.constantFrom('\\ud83d\\ude00', '\\uD800', '\\uDFFF', '\\udc00\\ud800', '\\u0041', '\\u00e9', '\\u2028', '\\u0000', '\\uFFFF'),
  // eslint-disable-next-line no-control-regex -- raw control characters are not allowed in JSON strings
  fc.string({ unit: 'binary', maxLength: 4 }).map((s) => s.replace(/[\u0000-\u001f"\\]/g, '')),
  fc.constantFrom('\ud800', '\udfff', '\ud83d\ude00', '\u2028', '\u007f', 'é', ' ', '{', '[', '}', ':', ','),
);
const stringText = fc.array(escapePiece, { maxLength: 6 }).map((p) => `"${p.join('')}"`);

// JSON text built by hand: keys that need care (digits, repeats, __proto__, escapes), varied spacing.
const KEYS = ['a', 'b', 'a', '', '0', '1', '10', '01', '-1', '1a', '4294967295', '4294967294', '__proto__', 'constructor', 'é', '\\u0061', 'a\\nb'];
const space = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n  ');
const handJson: fc.Arbitrary<string> = fc.letrec<{ value: string; leaf: string; array: string; object: string; encoded: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object'), tie('encoded')),
  leaf: fc.oneof(stringText, fc.constantFrom('0', '-0', '1.5e3', '-12.25E-2', '1e400', 'true', 'false', 'null')),
  array: fc.tuple(fc.array(fc.tuple(space, tie('value'), space), { maxLength: 4 }), space)
    .map(([items, s]) => `[${s}${items.map(([a, v, b]) => a + v + b).join(',')}]`),
  object: fc.tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), space, tie('value')), { maxLength: 4 }), space)
    .map(([ms, s]) => `{${s}${ms.map(([k, sp, v]) => `"${k}"${sp}:${sp}${v}`).join(`,${s}`)}}`),
  encoded: tie('value').map((t) => JSON.stringify(t)),
})).value;

// Small edits that usually break the text: the walker must never accept what JSON.parse rejects.
const NOISE = ['"', '\\', ',', ':', '[', ']', '{', '}', '0', '-', '.', 'e', ' ', '\u00a0', '\ufeff', '\u0001', 'x', "'"];
const mutated = fc.tuple(fc.oneof(handJson, fc.json()), fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom(...NOISE)), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [at, kind, ch] of edits) {
      const k = t.length === 0 ? 0 : at % (t.length + 1);
      if (kind === 0) t = t.slice(0, k) + ch + t.slice(k);
      else if (kind === 1) t = t.slice(0, k) + t.slice(k + 1);
      else t = t.slice(0, k) + ch + t.slice(k + 1);
    }
    return t;
  });

describe('jsonStringValues against JSON.parse + for…in', () => {
  it('fc.json() texts', () => {
    const t = tally();
    fc.assert(fc.property(fc.json({ maxDepth: 6 }), (text) => {
      t.add(checkAgainstReference(text));
    }), { numRuns: 1500 });
    // Most generated texts are walked, not left to JSON.parse (keys with escapes, digits or repeats are).
    expect(t.count.walked).toBeGreaterThan(1000);
  });

  it('fc.jsonValue() stringified compact and spaced, with unicode strings and JSON in strings', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), tie('arr'), tie('obj'), tie('enc')),
      arr: fc.array(tie('v'), { maxLength: 4 }),
      obj: fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('v'), { maxKeys: 4 }),
      enc: tie('v').map((v) => JSON.stringify(v)),
    })).v;
    const t = tally();
    fc.assert(fc.property(value, fc.constantFrom(undefined, 1, 2, '\t', ' \r\n'), (v, indent) => {
      t.add(checkAgainstReference(JSON.stringify(v, null, indent)));
    }), { numRuns: 1500 });
    expect(t.count.walked).toBeGreaterThan(1000);
  });

  it('hand-built texts: integer-like, repeated and escaped keys, every escape, spacing', () => {
    const t = tally();
    fc.assert(fc.property(handJson, (text) => {
      t.add(checkAgainstReference(text));
    }), { numRuns: 3000 });
    expect(t.count.walked).toBeGreaterThan(1000);
    expect(t.count.left).toBeGreaterThan(300);
  });

  it('strings with every escape kind and surrogates decode exactly', () => {
    fc.assert(fc.property(fc.array(stringText, { maxLength: 4 }), (items) => {
      expect(checkAgainstReference(`[${items.join(',')}]`)).toBe('walked');
      for (const s of items) expect(checkAgainstReference(s)).toBe('walked');
    }), { numRuns: 2000 });
  });

  it('mutated texts: never accepts invalid JSON, never differs', () => {
    const t = tally();
    fc.assert(fc.property(mutated, (text) => {
      t.add(checkAgainstReference(text));
    }), { numRuns: 5000 });
    expect(t.count.walked).toBeGreaterThan(300);
    expect(t.count.invalid).toBeGreaterThan(1500);
  });
});

describe('jsonStringValues cases', () => {
  const invalid = [
    '', ' ', '{', '[', '{"a":1', '["a"', '"abc', '[1,]', '{"a":1,}', '[,1]', '{,}', '{"a" 1}', '{"a":}', '{"a":1 "b":2}',
    '[1 2]', '[]]', '{]', '[}', '{"a":1}}', '01', '-01', '[00]', '-', '1.', '.5', '1e', '1e+', '1.e5', '+1', 'NaN', 'Infinity',
    '-Infinity', '0x10', "'a'", "{'a':1}", '{a:1}', '["a\u0001"]', '"a\nb"', '"\u001f"', '"\\x41"', '"\\U0041"', "\"\\'\"",
    '"\\u12"', '"\\u12g4"', '"\\u004G"', '"\\u004g"', '"\\u00/0"', '"\\u1/00"', '"\\u00:0"', '"\\u00@0"', '"\\u00`0"', '"\\u 123"', '"\\', '"\\u"', '"abc\\"', '[1] x', '{} {}', '"a" "b"', '\ufeff{}', '\u00a0[]', '\v[]', '[1]\u00a0',
    'tru', 'nul', 'falsey', '[true false]', '/* c */ []', '[] // c', 'undefined', '[1,,2]', '{"a":1,,"b":2}',
  ];
  it.each(invalid.map((t) => [JSON.stringify(t), t]))('rejects invalid JSON %s', (_name, t) => {
    expect(() => JSON.parse(t)).toThrow();
    const out = ['keep'];
    expect(jsonStringValues(t, out)).toBe(false);
    expect(out).toEqual(['keep']);
  });

  const fallback: Array<[string, string]> = [
    ['an integer-like key', '{"b":"x","1":"y"}'],
    ['a digits-only key past 2^32', '{"b":"x","4294967296":"y"}'],
    ['a key with a leading zero', '{"01":"y"}'],
    ['a repeated key', '{"a":"x","b":"y","a":"z"}'],
    ['a repeated empty key', '{"":"x","":"y"}'],
    ['an escaped key', '{"\\u0061":"x"}'],
    ['too many keys', `{${Array.from({ length: MAX_WALK_KEYS + 1 }, (_, k) => `"k${k}":"v"`).join(',')}}`],
  ];
  it.each(fallback)('falls back on %s', (_name, t) => {
    expect(() => JSON.parse(t)).not.toThrow();
    const out = ['keep'];
    expect(jsonStringValues(t, out)).toBe(false);
    expect(out).toEqual(['keep']);
  });

  it('walks what it need not leave to JSON.parse', () => {
    const accepts: Array<[string, string[]]> = [
      ['"top"', ['top']],
      ['""', []],
      ['  \t\r\n{"a" : [ "x" , 1 , -0 , 1E+2 , 1e400 , true , false , null , { } , [ ] ] , "b":"y"}\n ', ['x', 'y']],
      ['{"a1":"x","1a":"y","-1":"z","__proto__":"p","constructor":"c"}', ['x', 'y', 'z', 'p', 'c']],
      ['["\\ud83d\\ude00","\\uD800","\\udc00\\ud800","\ud800raw","\\"\\\\\\/\\b\\f\\n\\r\\t","\\u00E9\\u00e9"]',
        ['\ud83d\ude00', '\ud800', '\udc00\ud800', '\ud800raw', '"\\/\b\f\n\r\t', 'éé']],
      ['{"k":"\u2028\u2029\u007f"}', ['\u2028\u2029\u007f']],
      [`{${Array.from({ length: MAX_WALK_KEYS }, (_, k) => `"k${k}":"v${k}"`).join(',')}}`, Array.from({ length: MAX_WALK_KEYS }, (_, k) => `v${k}`)],
      ['{"a":{"a":{"a":"x"}},"b":{"a":"y"}}', ['x', 'y']],
    ];
    for (const [t, want] of accepts) {
      const out: string[] = [];
      expect(jsonStringValues(t, out), t).toBe(true);
      expect(out).toEqual(want);
      expect(out).toEqual(reference(t, false));
    }
  });

  it('opens JSON in strings, including texts it leaves to JSON.parse (extractText)', () => {
    const args = '{"to":"x@y.z","1":"first","to":"y@z.w"}';
    const t = JSON.stringify({ name: 'send', arguments: args, more: '{"a":["b",{"c":"d"}]}', note: ' [not json' });
    const out: string[] = [];
    expect(jsonStringValues(t, out, refVisit)).toBe(true);
    expect(out).toEqual(['send', 'first', 'y@z.w', 'b', 'd', ' [not json']);
    expect(extractText(t)).toMatchObject({ json: true, text: out.join('\n') });
  });

  it('walks any depth without recursion', () => {
    const depth = 200_000;
    const t = `${'[{"k":'.repeat(depth)}"bottom"${'}]'.repeat(depth)}`;
    const out: string[] = [];
    expect(jsonStringValues(t, out)).toBe(true);
    expect(out).toEqual(['bottom']);
    expect(jsonStringValues(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`, out)).toBe(false);
  });

  it('checks strings for control characters in texts that hold some outside strings, short and long, and in long texts', () => {
    const long = 'y'.repeat(60);
    const cases: Array<[string, boolean]> = [
      [`[\n  "a",\n  "${long}"\n]`, true],
      [`[\n  "a\tb"\n]`, false],
      [`[\n  "${long}\u0001${long}"\n]`, false],
      [`{\n\t"k\u0002": 1\n}`, false],
      [`["${'x'.repeat(50_000)}"]\n`, true],
      [`["${'x'.repeat(50_000)}\u001f"]`, false],
      [`["${'x'.repeat(50_000)}", "a\u0000"]`, false],
      [`["${'x'.repeat(50_000)}\\n\u0001"]`, false],
    ];
    for (const [t, ok] of cases) {
      expect(checkAgainstReference(t)).toBe(ok ? 'walked' : 'invalid');
    }
  });

  it('slices strings without escapes from the text', () => {
    const long = 'x'.repeat(5000);
    const out: string[] = [];
    expect(jsonStringValues(`["${long}"]`, out)).toBe(true);
    expect(out[0]).toBe(long);
  });
});

describe('extractText with the walker', () => {
  it('gives the strings and the json flag JSON.parse + for…in gives', () => {
    fc.assert(fc.property(fc.oneof(handJson, mutated), (t) => {
      const want = /^\s*[[{]/.test(t) ? reference(t, true) : null;
      const ex = extractText(t);
      if (ex.findings.some((f) => f.rule.id !== 'malformed.nul-byte')) return;
      expect(ex.json).toBe(want !== null);
      expect(ex.text).toBe(want === null ? t : want.join('\n'));
    }), { numRuns: 3000 });
  });
});
