import { describe, expect, it } from 'vitest';
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
