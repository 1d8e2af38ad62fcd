import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerce, parseSize } from '../../../daemon/config/coerce.js';

describe('coerce', () => {
  it('parses booleans only from text sources', () => {
    expect(coerce({ type: 'bool' }, 'yes', true)).toEqual({ ok: true, value: true });
    expect(coerce({ type: 'bool' }, 'OFF', true)).toEqual({ ok: true, value: false });
    expect(coerce({ type: 'bool' }, 'yes', false).ok).toBe(false);
    expect(coerce({ type: 'bool' }, 'maybe', true).ok).toBe(false);
  });

  it('checks integer ranges', () => {
    const spec = { type: 'int', min: 0, max: 65535 } as const;
    expect(coerce(spec, '8080', true)).toEqual({ ok: true, value: 8080 });
    expect(coerce(spec, 1.5, false).ok).toBe(false);
    expect(coerce(spec, -1, false).ok).toBe(false);
    expect(coerce(spec, '', true).ok).toBe(false);
  });

  it('accepts octal modes as strings or TOML octal integers', () => {
    expect(coerce({ type: 'mode' }, '0660', true)).toEqual({ ok: true, value: 0o660 });
    expect(coerce({ type: 'mode' }, '0o600', false)).toEqual({ ok: true, value: 0o600 });
    expect(coerce({ type: 'mode' }, 0o640, false)).toEqual({ ok: true, value: 0o640 });
    expect(coerce({ type: 'mode' }, '0999', true).ok).toBe(false);
    expect(coerce({ type: 'mode' }, 99999, false).ok).toBe(false);
  });

  it('normalises enum aliases', () => {
    const spec = { type: 'enum', values: ['m2m', 'tokennative'], aliases: { tn: 'tokennative' } } as const;
    expect(coerce(spec, 'TN', true)).toEqual({ ok: true, value: 'tokennative' });
    expect(coerce(spec, 'zip', true).ok).toBe(false);
  });

  it('checks URL schemes and allows empty (off)', () => {
    const spec = { type: 'url', schemes: ['ws:', 'wss:'] } as const;
    expect(coerce(spec, '', false)).toEqual({ ok: true, value: '' });
    expect(coerce(spec, 'ws://127.0.0.1:7400', false).ok).toBe(true);
    expect(coerce(spec, 'http://127.0.0.1:7400', false).ok).toBe(false);
    expect(coerce(spec, 'not a url', false).ok).toBe(false);
  });

  it('parseSize handles units and rejects junk', () => {
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize('1k')).toBe(1024);
    expect(parseSize('2 MiB')).toBe(2 * 1024 * 1024);
    expect(parseSize('1MB')).toBe(1_000_000);
    expect(parseSize('1 parsec')).toBeUndefined();
    expect(parseSize('-1')).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    const specs = [
      { type: 'bool' },
      { type: 'int', min: 0, max: 10 },
      { type: 'size', min: 0, max: 10 },
      { type: 'mode' },
      { type: 'string' },
      { type: 'url', schemes: ['ws:'] },
      { type: 'enum', values: ['a'] },
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.anything(), fc.boolean(), (spec, raw, text) => {
        const r = coerce(spec, raw, text);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});
