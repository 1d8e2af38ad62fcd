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

describe('KeywordAutomaton on long ASCII texts (two interleaved walks)', () => {
  it('finds keywords on either side of the split and straddling it, at every offset', () => {
    const keywords = ['ignore previous instructions', 'the', 'xyz', 'system prompt', 'a'];
    const a = new KeywordAutomaton(keywords);
    const filler = 'lorem ipsum dolor sit amet '.repeat(8);
    for (let at = 0; at <= filler.length; at++) {
      for (const k of ['IGNORE previous instructions', 'System Prompt', 'xYz']) {
        const text = filler.slice(0, at) + k + filler.slice(at);
        const lower = text.toLowerCase();
        expect(Array.from(a.find(text)), `${k} at ${at}`).toEqual(keywords.map((w) => (lower.includes(w) ? 1 : 0)));
      }
    }
  });

  it('equals lower-cased includes on long random ASCII texts', () => {
    const unit = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'ab', 'abc', 'the', 'The', '<|', '|', '\n', '1', 'xy');
    fc.assert(
      fc.property(fc.array(fc.string({ unit, minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 10 }), fc.array(fc.string({ unit, minLength: 30, maxLength: 400 }), { maxLength: 4 }), (keywords, texts) => {
        const a = new KeywordAutomaton(keywords);
        for (const t of texts) {
          const lower = t.toLowerCase();
          expect(Array.from(a.find(t, true))).toEqual(keywords.map((k) => (lower.includes(k) ? 1 : 0)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
