import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter, type LineEvent } from '../../../daemon/agent-api/line-splitter.js';

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

  it('reports every line over the bound once, with its byte length, and passes the rest, however the stream is cut (property)', () => {
    const lineArb = fc.string({ unit: 'grapheme', maxLength: 16 }).map((l) => l.replace(/[\n\r]/g, 'x'));
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), (lines, step, bound) => {
        const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        const s = new LineSplitter(bound);
        const got: LineEvent[] = [];
        for (let i = 0; i < text.length; i += step) got.push(...s.push(text.subarray(i, i + step)));
        const want: LineEvent[] = [];
        for (const l of lines) {
          const bytes = Buffer.byteLength(l);
          if (bytes > bound) want.push({ tooLong: bytes });
          else if (l.trim().length > 0) want.push({ line: l });
        }
        expect(got).toEqual(want);
        expect(s.buffered).toBe(0);
      }),
      { numRuns: 500 },
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
