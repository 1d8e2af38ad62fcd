/**
 * Token/T1 `#T1|<abbreviated JSON>`: keys, roles, finish reasons and model
 * names shortened by the tables in t1-tables.ts. Unlike the reference it is
 * lossless for every JSON text: it rewrites string tokens in place and copies
 * everything else byte for byte (whitespace, number text, key order,
 * duplicate keys), drops nothing and adds nothing back.
 *
 * Escaping: a key (or table value) that already equals an abbreviation, or
 * starts with `~`, gets one `~` prepended; the decoder strips one `~` and
 * otherwise expands abbreviations. Comparisons use the raw text between the
 * quotes, so `"\u0063"` is never confused with `"c"`.
 */
import { M2MError } from './errors.js';
import { parseJsonBounded, type JsonBounds } from './json-bounds.js';
import { DEFAULT_LIMITS } from './limits.js';
import { T1_KEY_EXPAND, T1_KEY_MAP, T1_VALUE_EXPAND, T1_VALUE_MAP } from './t1-tables.js';

export const T1_PREFIX = '#T1|';
const ESC = '~';

export interface T1Options extends Partial<JsonBounds> {
  /** Largest JSON text accepted. @default 16 MiB */
  maxInputBytes?: number;
}

type Mapper = (raw: string) => string;

function escapeOr(raw: string, forward: ReadonlyMap<string, string>, backward: ReadonlyMap<string, string>): string {
  const short = forward.get(raw);
  if (short !== undefined) return short;
  if (raw.startsWith(ESC) || backward.has(raw)) return ESC + raw;
  return raw;
}

function unescapeOr(raw: string, backward: ReadonlyMap<string, string>): string {
  if (raw.startsWith(ESC)) return raw.slice(1);
  return backward.get(raw) ?? raw;
}

const encodeKey: Mapper = (raw) => escapeOr(raw, T1_KEY_MAP, T1_KEY_EXPAND);
const decodeKey: Mapper = (raw) => unescapeOr(raw, T1_KEY_EXPAND);

function encodeValue(key: string, raw: string): string {
  const fwd = T1_VALUE_MAP.get(key);
  return fwd === undefined ? raw : escapeOr(raw, fwd, T1_VALUE_EXPAND.get(key) as ReadonlyMap<string, string>);
}

function decodeValue(key: string, raw: string): string {
  const back = T1_VALUE_EXPAND.get(key);
  return back === undefined ? raw : unescapeOr(raw, back);
}

/**
 * Rewrite the string tokens of valid JSON text. `mapKey` returns [emitted, original] for each key,
 * `mapValue(originalKey, raw)` the emitted text of a string value inside an object.
 */
function rewrite(text: string, mapKey: (raw: string) => [string, string], mapValue: (key: string, raw: string) => string): string {
  const parts: string[] = [];
  // Per open container: is it an object, does it expect a key next, the current original key.
  const isObj: boolean[] = [];
  const expectKey: boolean[] = [];
  const keys: string[] = [];
  let top = -1;
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (top >= 0 && isObj[top]) {
        const raw = text.slice(i + 1, j);
        let out: string;
        if (expectKey[top]) {
          const [emitted, original] = mapKey(raw);
          out = emitted;
          keys[top] = original;
          expectKey[top] = false;
        } else {
          out = mapValue(keys[top], raw);
        }
        if (out !== raw) {
          parts.push(text.slice(copied, i + 1), out);
          copied = j;
        }
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      top++;
      isObj[top] = c === 0x7b;
      expectKey[top] = c === 0x7b;
      keys[top] = '';
    } else if (c === 0x7d || c === 0x5d) {
      top--;
    } else if (c === 0x2c && top >= 0 && isObj[top]) {
      expectKey[top] = true;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function checkInput(json: string, opts: T1Options): void {
  const max = opts.maxInputBytes ?? DEFAULT_LIMITS.maxInputBytes;
  if (json.length > max) throw new M2MError('INPUT_TOO_LARGE', `T1 input larger than ${max} bytes`);
  parseJsonBounded(json, opts);
}

/** Abbreviate JSON text (no prefix). @throws M2MError INVALID_JSON, TOO_DEEP, ARRAY_TOO_LONG, INPUT_TOO_LARGE */
export function abbreviateJson(json: string, opts: T1Options = {}): string {
  checkInput(json, opts);
  return rewrite(json, (raw) => [encodeKey(raw), raw], encodeValue);
}

/** Expand abbreviated JSON text (no prefix). @throws M2MError INVALID_JSON, TOO_DEEP, ARRAY_TOO_LONG, INPUT_TOO_LARGE */
export function expandJson(abbreviated: string, opts: T1Options = {}): string {
  checkInput(abbreviated, opts);
  return rewrite(
    abbreviated,
    (raw) => {
      const original = decodeKey(raw);
      return [original, original];
    },
    decodeValue,
  );
}

/** Encode JSON text as `#T1|…`. @throws M2MError INVALID_JSON (T1 carries JSON only), TOO_DEEP, ARRAY_TOO_LONG */
export function encodeT1(json: string, opts: T1Options = {}): string {
  return T1_PREFIX + abbreviateJson(json, opts);
}

/** Decode `#T1|…` back to the exact original JSON text. @throws M2MError CORRUPT_PAYLOAD, INVALID_JSON, TOO_DEEP, ARRAY_TOO_LONG */
export function decodeT1(wire: string, opts: T1Options = {}): string {
  if (!wire.startsWith(T1_PREFIX)) throw new M2MError('CORRUPT_PAYLOAD', 'T1 payload must start with #T1|');
  try {
    return expandJson(wire.slice(T1_PREFIX.length), opts);
  } catch (e) {
    if (e instanceof M2MError && e.code === 'INVALID_JSON') throw new M2MError('CORRUPT_PAYLOAD', `T1 body is not JSON: ${e.message}`);
    throw e;
  }
}
