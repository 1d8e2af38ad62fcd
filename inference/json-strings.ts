/**
 * The string values of a JSON text, read from the text in one pass without building the parsed value:
 * the strings `JSON.parse` followed by a `for…in` walk would give, in the same order, for a fraction of
 * the time and garbage. Whenever that equivalence is not certain the walker says so and the caller
 * parses instead. It leaves to `JSON.parse`:
 * - anything that is not valid JSON (so it never accepts what `JSON.parse` rejects);
 * - an object with a key made only of digits (`for…in` puts array-index keys first, in numeric order);
 * - an object with a key written with an escape (its decoded text would be needed for the two checks here);
 * - an object whose key repeats (`JSON.parse` keeps the last value at the first key's place);
 * - an object with more than {@link MAX_WALK_KEYS} keys (repeats are found by comparing keys pairwise).
 * Containers are tracked on an explicit stack, so any depth is walked without recursion.
 */

/** Receives each string value in document order (escapes decoded); may append to `out`. */
export type StringVisitor = (value: string, out: string[]) => void;

/** An object with more keys than this is left to `JSON.parse`. @default 64 */
export const MAX_WALK_KEYS = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

// A run of string characters that need no attention: not a quote, a backslash or a control character.
// eslint-disable-next-line no-control-regex -- JSON forbids raw U+0000–U+001F inside strings
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Where the last {@link readString} ended (just past the closing quote); read right after the call. */
let stringEnd = 0;

/** The default visitor: keeps every non-empty string. */
function keepNonEmpty(value: string, out: string[]): void {
  if (value.length > 0) out.push(value);
}

/**
 * Append the string values of the JSON `text` to `out` through `visit`: the same strings in the same
 * order as walking `JSON.parse(text)` with `for…in` (keys are skipped; a top-level string is visited).
 * @param visit called once per string value @default push the string when it is not empty
 * @returns true when done; false when `text` is not JSON or the walk cannot promise the `JSON.parse`
 *   order (see the module comment): `out` is then as it was before the call and the caller must parse.
 */
export function jsonStringValues(text: string, out: string[], visit: StringVisitor = keepNonEmpty): boolean {
  const mark = out.length;
  if (walk(text, out, visit)) return true;
  out.length = mark;
  return false;
}

function walk(text: string, out: string[], visit: StringVisitor): boolean {
  // Open containers, innermost last: -1 for an array, else where the object's keys start in `keys`.
  const stack: number[] = [];
  // Start and end offsets of the raw text of each key of the open objects, outermost first.
  const keys: number[] = [];
  let i = skipSpace(text, 0);
  for (;;) {
    // A value starts at i.
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const v = readString(text, i + 1);
      if (v === null) return false;
      i = stringEnd;
      visit(v, out);
    } else if (c === LBRACE || c === LBRACKET) {
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === (c === LBRACE ? RBRACE : RBRACKET)) i++;
      else if (c === LBRACKET) {
        stack.push(-1);
        continue;
      } else {
        stack.push(keys.length);
        i = readKey(text, i, keys, keys.length);
        if (i < 0) return false;
        continue;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return false;
      i = NUMBER.lastIndex;
    } else if (c === 0x74 && text.startsWith('true', i)) i += 4;
    else if (c === 0x66 && text.startsWith('false', i)) i += 5;
    else if (c === 0x6e && text.startsWith('null', i)) i += 4;
    else return false;
    // A value ended at i: close finished containers, then move to the next member or element.
    for (;;) {
      i = skipSpace(text, i);
      if (stack.length === 0) return i === text.length;
      const top = stack[stack.length - 1];
      const d = text.charCodeAt(i);
      if (d === COMMA) {
        i = skipSpace(text, i + 1);
        if (top >= 0) {
          i = readKey(text, i, keys, top);
          if (i < 0) return false;
        }
        break;
      }
      if (d !== (top < 0 ? RBRACKET : RBRACE)) return false;
      stack.pop();
      if (top >= 0) keys.length = top;
      i++;
    }
  }
}

/** Skip JSON white space (space, tab, line feed, carriage return only) from `i`. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/**
 * Read `"key" :` at `i` for the object whose keys start at `base` in `keys`, record the key and return
 * where its value starts; -1 when invalid or when the key needs `JSON.parse` (digits only, an escape,
 * a repeat, too many keys).
 */
function readKey(text: string, i: number, keys: number[], base: number): number {
  if (text.charCodeAt(i) !== QUOTE) return -1;
  const start = i + 1;
  PLAIN_RUN.lastIndex = start;
  PLAIN_RUN.test(text);
  const end = PLAIN_RUN.lastIndex;
  if (text.charCodeAt(end) !== QUOTE) return -1;
  const len = end - start;
  if (len > 0 && allDigits(text, start, end)) return -1;
  if (keys.length - base >= 2 * MAX_WALK_KEYS) return -1;
  for (let k = base; k < keys.length; k += 2) {
    if (keys[k + 1] - keys[k] === len && sameText(text, keys[k], start, len)) return -1;
  }
  keys.push(start, end);
  i = skipSpace(text, end + 1);
  if (text.charCodeAt(i) !== COLON) return -1;
  return skipSpace(text, i + 1);
}

function allDigits(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function sameText(text: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/**
 * The string whose text starts at `start` (just after its opening quote), escapes decoded as `JSON.parse`
 * does; sets {@link stringEnd}. Null when the string is unterminated, holds a raw control character or a
 * bad escape. Without escapes it is a slice of `text`.
 */
function readString(text: string, start: number): string | null {
  PLAIN_RUN.lastIndex = start;
  PLAIN_RUN.test(text);
  let p = PLAIN_RUN.lastIndex;
  let c = text.charCodeAt(p);
  if (c === QUOTE) {
    stringEnd = p + 1;
    return text.slice(start, p);
  }
  let s = '';
  let from = start;
  while (c === BACKSLASH) {
    s += text.slice(from, p);
    const e = text.charCodeAt(p + 1);
    p += 2;
    if (e === 0x75) {
      const u = hex4(text, p);
      if (u < 0) return null;
      s += String.fromCharCode(u);
      p += 4;
    } else {
      const ch = escaped(e);
      if (ch === null) return null;
      s += ch;
    }
    from = p;
    PLAIN_RUN.lastIndex = p;
    PLAIN_RUN.test(text);
    p = PLAIN_RUN.lastIndex;
    c = text.charCodeAt(p);
  }
  if (c !== QUOTE) return null;
  stringEnd = p + 1;
  return s + text.slice(from, p);
}

/** The character a one-letter escape stands for; null for a letter JSON does not allow. */
function escaped(e: number): string | null {
  switch (e) {
    case 0x22: return '"';
    case 0x5c: return '\\';
    case 0x2f: return '/';
    case 0x62: return '\b';
    case 0x66: return '\f';
    case 0x6e: return '\n';
    case 0x72: return '\r';
    case 0x74: return '\t';
    default: return null;
  }
}

/** The value of the four hex digits at `at` (either case); -1 when any of them is not one. */
function hex4(text: string, at: number): number {
  let u = 0;
  for (let k = at; k < at + 4; k++) {
    const c = text.charCodeAt(k);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    u = u * 16 + d;
  }
  return u;
}
