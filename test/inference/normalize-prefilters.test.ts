// The one-pass prefilters of normalisation never skip work that could change the result (spaced letters, leetspeak).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mayHaveSpacedRun } from '../../inference/normalize.js';
import { textProfile } from '../../inference/normalize-decode.js';
import { foldLeet } from '../../inference/normalize-chars.js';
import { corporaPresent, scanRows } from './scan-corpus.js';

// The regex collapseSpaced runs (copied: the prefilter must hold for exactly this pattern).
const SPACED_RE = /(?<![A-Za-z0-9])[A-Za-z0-9@$](?:(?: {1,3}|\t|[.\-_*/] ?|\r?\n)[A-Za-z0-9@$]){4,}(?![A-Za-z0-9])/;

const PIECE = fc.constantFrom('a', 'B', '7', '@', '$', ' ', '  ', '   ', '    ', '\t', '.', '. ', '-', '_', '*', '/', '\r\n', '\n', 'ab', 'xyz', ',', 'é', '!');

describe('mayHaveSpacedRun', () => {
  it('is true whenever the regex matches (texts of single characters and separators)', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        if (SPACED_RE.test(text)) expect(mayHaveSpacedRun(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is false on ordinary prose and true on spaced-out words', () => {
    expect(mayHaveSpacedRun('The quarterly report is ready; I sent it to a customer.')).toBe(false);
    expect(mayHaveSpacedRun('please i g n o r e that')).toBe(true);
    expect(mayHaveSpacedRun('i.g.n.o.r.e')).toBe(true);
  });

  it.skipIf(!corporaPresent())('holds on every corpus row and obfuscated copy', () => {
    for (const set of scanRows()) for (const t of set.texts) if (SPACED_RE.test(t)) expect(mayHaveSpacedRun(t), t.slice(0, 60)).toBe(true);
  });
});

describe('textProfile().spaced', () => {
  it('equals mayHaveSpacedRun on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(PIECE, { maxLength: 40 }).map((p) => p.join('')), fc.string({ maxLength: 80 })), (text) => {
        expect(textProfile(text).spaced).toBe(mayHaveSpacedRun(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('textProfile().leet', () => {
  const LEET_PIECE = fc.constantFrom('a', 'B', '1', '2', '3', '6', '0', '@', '$', '!', '|', ' ', '.', 'ab', 'x9', 'gpt4', '10am', 'h3ll0', 'p@$$', 'deadbeef', '\\u', 'a@b.c');
  it('is true whenever leetspeak folding could change the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(LEET_PIECE, { maxLength: 30 }).map((p) => p.join('')), fc.string({ maxLength: 60 })), (text) => {
        const flags = new Set<string>();
        if (!textProfile(text).leet) {
          expect(foldLeet(text, flags)).toBe(text);
          expect(flags.size).toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('textProfile().seen', () => {
  it('has exactly the bits of the backslash, percent sign and double quote in the text (ASCII or not)', () => {
    const piece = fc.constantFrom('a', '\\', '%', '"', 'x', ' ', 'é', '\\x41', '%41', '","', '€', 'Z');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const want = (text.includes('\\') ? 1 : 0) | (text.includes('%') ? 2 : 0) | (text.includes('"') ? 4 : 0);
        expect(textProfile(text).seen).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });
});
