// The automaton answers exactly `text.toLowerCase().includes(keyword)` for every keyword.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeywordAutomaton } from '../../../inference/rules/keyword-automaton.js';

const CHARS = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'ab', 'abc', 'the', 'The', 'THE', '<|', '|', 'İ', 'ß', 'é', 'É', 'K', 'ſ', '\n', '1');

describe('KeywordAutomaton', () => {
  it('equals lower-cased includes on arbitrary keyword sets and texts (also non-ASCII and upper-case keywords)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: CHARS, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.array(fc.string({ unit: CHARS, maxLength: 40 }), { maxLength: 5 }), (keywords, texts) => {
        const a = new KeywordAutomaton(keywords);
        for (const t of texts) {
          const lower = t.toLowerCase();
          expect(Array.from(a.find(t))).toEqual(keywords.map((k) => (lower.includes(k) ? 1 : 0)));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds overlapping and nested keywords', () => {
    const keywords = ['he', 'she', 'his', 'hers', 'ignore previous', 'previous', 'you are'];
    const a = new KeywordAutomaton(keywords);
    expect(Array.from(a.find('USHERS: Ignore Previous'))).toEqual([1, 1, 0, 1, 1, 1, 0]);
    expect(Array.from(a.find('you  are'))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
