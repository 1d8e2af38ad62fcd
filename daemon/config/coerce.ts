/**
 * Checks one config value against its {@link FieldSpec}. TOML values must already
 * have the right type; environment and flag values arrive as strings and are parsed.
 */
import type { FieldSpec } from './schema.js';

export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) ?? String(v) : String(v));
const fail = (problem: string): Coerced => ({ ok: false, problem });

/** Parses `"16MiB"`, `"512k"`, `"1024"` into bytes; undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}

function inRange(n: number, min: number, max: number, what: string, raw: unknown): Coerced {
  if (n < min || n > max) return fail(`must be ${what} from ${min} to ${max} (got ${show(raw)})`);
  return { ok: true, value: n };
}

/**
 * @param raw the value as read
 * @param fromText true for environment variables and command-line flags (strings are parsed)
 */
export function coerce(spec: FieldSpec, raw: unknown, fromText: boolean): Coerced {
  if (typeof raw === 'bigint') raw = Number(raw);
  switch (spec.type) {
    case 'bool': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (fromText && typeof raw === 'string') {
        const w = raw.trim().toLowerCase();
        if (TRUE_WORDS.has(w)) return { ok: true, value: true };
        if (FALSE_WORDS.has(w)) return { ok: true, value: false };
      }
      return fail(`must be true or false (got ${show(raw)})`);
    }
    case 'int':
    case 'number': {
      let n: number | undefined;
      if (typeof raw === 'number') n = raw;
      else if (fromText && typeof raw === 'string' && raw.trim() !== '') n = Number(raw.trim());
      const what = spec.type === 'int' ? 'an integer' : 'a number';
      if (n === undefined || !Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) return fail(`must be ${what} (got ${show(raw)})`);
      return inRange(n, spec.min, spec.max, what, raw);
    }
    case 'size': {
      let n: number | undefined;
      if (typeof raw === 'number' && Number.isInteger(raw)) n = raw;
      else if (typeof raw === 'string') n = parseSize(raw);
      if (n === undefined) return fail(`must be a byte count like 1048576 or "1MiB" (got ${show(raw)})`);
      return inRange(n, spec.min, spec.max, 'a size in bytes', raw);
    }
    case 'mode': {
      let n: number | undefined;
      if (typeof raw === 'number' && Number.isInteger(raw)) n = raw;
      else if (typeof raw === 'string' && /^(0o|0)?[0-7]{1,4}$/i.test(raw.trim())) n = parseInt(raw.trim().replace(/^0o/i, ''), 8);
      if (n === undefined || n < 0 || n > 0o7777) return fail(`must be an octal file mode like "0660" (got ${show(raw)})`);
      return { ok: true, value: n };
    }
    case 'string':
    case 'path': {
      if (typeof raw !== 'string') return fail(`must be a string (got ${show(raw)})`);
      if (raw.includes('\0')) return fail('must not contain NUL characters');
      if (spec.type === 'string') {
        if (spec.maxLength !== undefined && raw.length > spec.maxLength) return fail(`must be at most ${spec.maxLength} characters`);
        if (spec.pattern && !spec.pattern.test(raw)) return fail(`must be ${spec.patternText ?? `like ${spec.pattern}`} (got ${show(raw)})`);
      }
      return { ok: true, value: raw };
    }
    case 'enum': {
      if (typeof raw !== 'string') return fail(`must be one of ${spec.values.join(', ')} (got ${show(raw)})`);
      const w = raw.trim().toLowerCase();
      const v = spec.values.includes(w) ? w : spec.aliases?.[w];
      if (v === undefined) return fail(`must be one of ${spec.values.join(', ')} (got ${show(raw)})`);
      return { ok: true, value: v };
    }
    case 'url': {
      if (typeof raw !== 'string') return fail(`must be a URL string (got ${show(raw)})`);
      if (raw === '') return { ok: true, value: '' };
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        return fail(`must be a URL like ${spec.schemes[0]}//127.0.0.1:7400 (got ${show(raw)})`);
      }
      if (!spec.schemes.includes(u.protocol)) return fail(`must use ${spec.schemes.join(' or ')} (got ${show(raw)})`);
      if (u.hostname === '') return fail(`must name a host (got ${show(raw)})`);
      return { ok: true, value: raw };
    }
  }
}
