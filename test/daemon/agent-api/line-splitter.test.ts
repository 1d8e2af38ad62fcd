import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter } from '../../../daemon/agent-api/line-splitter.js';

describe('LineSplitter', () => {
  it('splits lines across arbitrary chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\n\r]/g, 'x')), { maxLength: 10 }), fc.integer({ min: 1, max: 7 }), (lines, step) => {
        const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        const s = new LineSplitter(1000);
        const got: string[] = [];
        for (let i = 0; i < text.length; i += step) {
          for (const ev of s.push(text.subarray(i, i + step))) if ('line' in ev) got.push(ev.line);
        }
        expect(got).toEqual(lines.filter((l) => l.trim().length > 0));
      }),
    );
  });

  it('skips an overlong line, reports it once, and keeps working', () => {
    const s = new LineSplitter(10);
    const a = s.push(Buffer.from('0123456789ABC'));
    expect(a).toEqual([]);
    const b = s.push(Buffer.from('DEF\n{"ok":1}\n'));
    expect(b).toEqual([{ tooLong: 16 }, { line: '{"ok":1}' }]);
    expect(s.buffered).toBe(0);
  });

  it('strips a trailing CR and ignores blank lines', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('a\r\n\n  \nb\n'))).toEqual([{ line: 'a' }, { line: 'b' }]);
  });
});
