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

describe('KeywordAutomaton at the split limits', () => {
  it('texts just under, at and over the longest split text, keywords at the very ends', () => {
    const keywords = ['zq', 'abcdefghijklmnop', 'a'];
    const a = new KeywordAutomaton(keywords);
    for (const n of [8190, 8191, 8192, 8193, 9000]) {
      const text = `ZQ${'abcdefghijklmnop'.repeat(Math.ceil(n / 16))}`.slice(0, n - 2) + 'zQ';
      const lower = text.toLowerCase();
      expect(Array.from(a.find(text, true)), `n=${n}`).toEqual(keywords.map((k) => (lower.includes(k) ? 1 : 0)));
    }
    const b = new KeywordAutomaton(['x']);
    expect(Array.from(b.find('x'.repeat(8192), true))).toEqual([1]);
    expect(Array.from(b.find('y'.repeat(8191) + 'x', true))).toEqual([1]);
    expect(Array.from(b.find('y'.repeat(8192), true))).toEqual([0]);
    // Every state of this walk ends two keywords: the most states noted.
    const c = new KeywordAutomaton(['x', 'xx', 'xxx']);
    expect(Array.from(c.find('x'.repeat(8192), true))).toEqual([1, 1, 1]);
    expect(Array.from(c.find('x'.repeat(8190) + 'y' + 'x', true))).toEqual([1, 1, 1]);
  });
});
