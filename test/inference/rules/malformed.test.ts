import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkStructure } from '../../../inference/rules/malformed.js';

const ids = (raw: string, limits?: Parameters<typeof checkStructure>[1]): string[] => checkStructure(raw, limits).map((f) => f.rule.id);

describe('checkStructure', () => {
  it('accepts ordinary JSON and text', () => {
    expect(ids('{"a":[1,2,3],"b":{"c":"x"}}')).toEqual([]);
    expect(ids('hello [world]')).toEqual([]);
  });

  it('flags raw and escaped NUL', () => {
    expect(ids('abc\u0000def')).toEqual(['malformed.nul-byte']);
    expect(ids('{"a":"x\\u0000y"}')).toEqual(['malformed.nul-byte']);
  });

  it('flags nesting deeper than 32 but not 32', () => {
    expect(ids(`${'['.repeat(32)}${']'.repeat(32)}`)).toEqual([]);
    expect(ids(`${'['.repeat(33)}${']'.repeat(33)}`)).toEqual(['malformed.nesting-depth']);
    expect(ids(`{"a":${'{"b":'.repeat(40)}1${'}'.repeat(41)}`)).toEqual(['malformed.nesting-depth']);
  });

  it('ignores brackets inside strings', () => {
    expect(ids(`{"a":"${'['.repeat(100)}"}`)).toEqual([]);
    expect(ids(`["a\\"[[[", 1]`)).toEqual([]);
  });

  it('flags arrays longer than 10,000 but not 10,000', () => {
    expect(ids(`[${Array(10_000).fill(0).join(',')}]`)).toEqual([]);
    expect(ids(`[${Array(10_001).fill(0).join(',')}]`)).toEqual(['malformed.array-length']);
    expect(ids(`{"x":[${Array(10_001).fill('"s"').join(',')}]}`)).toEqual(['malformed.array-length']);
    expect(ids('[]')).toEqual([]);
  });

  it('flags input over the size limit', () => {
    expect(ids('x'.repeat(101), { maxJsonDepth: 32, maxArrayLength: 10_000, maxInputBytes: 100 })).toEqual(['malformed.too-large']);
    expect(ids('é'.repeat(60), { maxJsonDepth: 32, maxArrayLength: 10_000, maxInputBytes: 100 })).toEqual(['malformed.too-large']);
    expect(ids('x'.repeat(100), { maxJsonDepth: 32, maxArrayLength: 10_000, maxInputBytes: 100 })).toEqual([]);
  });
});

/** The bracket walk without any shortcut: depth and longest array counted outside strings (escapes honoured). */
function referenceWalk(raw: string): { depth: number; longest: number } {
  const stack: { array: boolean; count: number }[] = [];
  let depth = 0;
  let longest = 0;
  let inString = false;
  const touch = (): void => {
    const top = stack.at(-1);
    if (top && top.count === 0) top.count = 1;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      touch();
      inString = true;
    } else if (c === '{' || c === '[') {
      touch();
      stack.push({ array: c === '[', count: 0 });
      depth = Math.max(depth, stack.length);
    } else if (c === '}' || c === ']') {
      const top = stack.pop();
      if (top?.array) longest = Math.max(longest, top.count);
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top) top.count = (top.count === 0 ? 1 : top.count) + 1;
    } else if (c > ' ') touch();
  }
  for (const s of stack) if (s.array) longest = Math.max(longest, s.count);
  return { depth, longest };
}

describe('checkStructure against a plain bracket walk', () => {
  it('same findings with small limits, brackets in and out of strings, near and over each limit', () => {
    // Arrays up to 4 (the walk always runs: texts are longer) and up to 40 (never longer than the texts: only the bracket count decides).
    const unit = fc.constantFrom('{', '[', '}', ']', ',', '"', '\\', 'a', '1', ' ', ':');
    fc.assert(
      fc.property(fc.constantFrom(4, 40), fc.constantFrom('{', '[', ' [', 'x'), fc.string({ unit, maxLength: 24 }), (maxArrayLength, head, rest) => {
        const limits = { maxJsonDepth: 3, maxArrayLength, maxInputBytes: 1 << 20 };
        const raw = head + rest;
        const ref = referenceWalk(raw);
        const structural = raw.trimStart().startsWith('{') || raw.trimStart().startsWith('[');
        const want: string[] = [];
        if (structural && ref.depth > limits.maxJsonDepth) want.push(`depth ${ref.depth} > 3`);
        if (structural && ref.longest > maxArrayLength) want.push(`array of ${ref.longest} > ${maxArrayLength}`);
        expect(checkStructure(raw, limits).map((f) => f.detail)).toEqual(want);
      }),
      { numRuns: 4000 },
    );
  });
});
