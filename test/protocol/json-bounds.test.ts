import { describe, expect, it } from 'vitest';
import { assertJsonBounds, isJson, parseJsonBounded } from '../../protocol/json-bounds.js';
import { codeOf } from './error-code.js';

describe('json-bounds', () => {
  it('accepts depth 32 and 10,000 elements, rejects one more', () => {
    expect(() => assertJsonBounds('['.repeat(32) + ']'.repeat(32))).not.toThrow();
    expect(codeOf(() => assertJsonBounds('['.repeat(33) + ']'.repeat(33)))).toBe('TOO_DEEP');
    expect(codeOf(() => assertJsonBounds('{"a":'.repeat(33) + '1' + '}'.repeat(33)))).toBe('TOO_DEEP');
    expect(() => assertJsonBounds(JSON.stringify(new Array(10_000).fill(0)))).not.toThrow();
    expect(codeOf(() => assertJsonBounds(JSON.stringify(new Array(10_001).fill(0))))).toBe('ARRAY_TOO_LONG');
  });

  it('ignores brackets and commas inside strings and counts per array', () => {
    expect(() => assertJsonBounds(JSON.stringify(['[[[[,,,,\\"]]', '{'.repeat(100)]), { maxJsonDepth: 1, maxArrayLength: 2 })).not.toThrow();
    expect(() => assertJsonBounds('[[1,2],[3,4],{"a":1,"b":2,"c":3}]', { maxArrayLength: 3 })).not.toThrow();
    expect(codeOf(() => assertJsonBounds('[[1,2,3,4]]', { maxArrayLength: 3 }))).toBe('ARRAY_TOO_LONG');
  });

  it('parses within bounds and types parse errors', () => {
    expect(parseJsonBounded('{"a":[1]}')).toEqual({ a: [1] });
    expect(codeOf(() => parseJsonBounded('{"a":'))).toBe('INVALID_JSON');
    expect(isJson('[1]')).toBe(true);
    expect(isJson('nope')).toBe(false);
  });
});
