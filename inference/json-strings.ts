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
import { mayHoldControl } from './json-strings-control.js';

/** Receives each string value in document order (escapes decoded); may append to `out`. */
export type StringVisitor = (value: string, out: string[]) => void;

/** An object with more keys than this is left to `JSON.parse`. @default 64 */
export const MAX_WALK_KEYS = 64;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

// eslint-disable-next-line no-control-regex -- JSON forbids raw U+0000–U+001F inside strings
const CONTROL = /[\u0000-\u001f]/g;
/** Ranges up to this long are checked for control characters with a loop rather than a regex search. */
const SHORT_RANGE = 24;

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
  if (new Walk(text).run(out, visit)) return true;
  out.length = mark;
  return false;
}

/**
 * One pass over one text. Quotes and backslashes are found with `indexOf` and control characters with
 * {@link mayHoldControl} over the whole text (or, when it has some, a regex search); each result is kept
 * until the walk passes it, so each part of the text is searched once.
 */
class Walk {
  /** Where the last {@link string} ended (just past its closing quote). */
  end = 0;
  /** The first backslash at or after the last search start (text length when none). */
  private nextBackslash = -1;
  /** The first control character at or after the last search start (text length when none). */
  private nextControl = -1;
  /** Whether the whole text has had its {@link mayHoldControl} check (done at the first string, not for text failing before). */
  private controlChecked = false;
  /** The first quote at or after the last search start (text length when none). */
  private nextQuote = -1;
  /** Start and end offsets of the raw text of each key of the open objects, outermost first, up to {@link keyEnd}. */
  private readonly keys: number[] = [];
  private keyEnd = 0;

  constructor(private readonly text: string) {}

  run(out: string[], visit: StringVisitor): boolean {
    const text = this.text;
    // Open containers, innermost last: -1 for an array, else where the object's keys start in `keys`.
    const stack: number[] = [];
    let i = skipSpace(text, 0);
    for (;;) {
      // A value starts at i.
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const v = this.string(i + 1);
        if (v === null) return false;
        i = this.end;
        visit(v, out);
      } else if (c === LBRACE || c === LBRACKET) {
        i = skipSpace(text, i + 1);
        if (text.charCodeAt(i) === (c === LBRACE ? RBRACE : RBRACKET)) i++;
        else if (c === LBRACKET) {
          stack.push(-1);
          continue;
        } else {
          stack.push(this.keyEnd);
          i = this.key(i, this.keyEnd);
          if (i < 0) return false;
          continue;
        }
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        i = numberEnd(text, i);
        if (i < 0) return false;
      } else if (c === 0x74 && text.startsWith('true', i)) i += 4;
      else if (c === 0x66 && text.startsWith('false', i)) i += 5;
      else if (c === 0x6e && text.startsWith('null', i)) i += 4;
      else return false;
      // A value ended at i: close finished containers, then move to the next member or element.
      for (;;) {
        let d = text.charCodeAt(i);
        if (d <= 0x20) {
          i = skipSpace(text, i);
          d = text.charCodeAt(i);
        }
        if (stack.length === 0) return i === text.length;
        const top = stack[stack.length - 1];
        if (d === COMMA) {
          i = skipSpace(text, i + 1);
          if (top >= 0) {
            i = this.key(i, top);
            if (i < 0) return false;
          }
          break;
        }
        if (d !== (top < 0 ? RBRACKET : RBRACE)) return false;
        stack.pop();
        if (top >= 0) this.keyEnd = top;
        i++;
      }
    }
  }

  /** The first quote at or after `from`, or the text length. */
  private quoteFrom(from: number): number {
    if (this.nextQuote < from) {
      const q = this.text.indexOf('"', from);
      this.nextQuote = q < 0 ? this.text.length : q;
    }
    return this.nextQuote;
  }

  /** The first backslash at or after `from`, or the text length. */
  private backslashFrom(from: number): number {
    if (this.nextBackslash < from) {
      const b = this.text.indexOf('\\', from);
      this.nextBackslash = b < 0 ? this.text.length : b;
    }
    return this.nextBackslash;
  }

  /** True when a control character lies in `[from, to)`. */
  private controlIn(from: number, to: number): boolean {
    if (!this.controlChecked) {
      this.controlChecked = true;
      // Most texts have no control character at all (compact JSON): then no string needs that check.
      if (!mayHoldControl(this.text)) this.nextControl = this.text.length;
    }
    if (this.nextControl >= from) return this.nextControl < to;
    if (to - from <= SHORT_RANGE) {
      for (let k = from; k < to; k++) if (this.text.charCodeAt(k) < 0x20) return true;
      return false;
    }
    CONTROL.lastIndex = from;
    this.nextControl = CONTROL.test(this.text) ? CONTROL.lastIndex - 1 : this.text.length;
    return this.nextControl < to;
  }

  /**
   * Read `"key" :` at `i` for the object whose keys start at `base` in {@link keys}, record the key and return
   * where its value starts; -1 when invalid or when the key needs `JSON.parse` (digits only, an escape,
   * a repeat, too many keys).
   */
  private key(i: number, base: number): number {
    const text = this.text;
    if (text.charCodeAt(i) !== QUOTE) return -1;
    const start = i + 1;
    const end = this.quoteFrom(start);
    if (end === text.length || this.backslashFrom(start) < end || this.controlIn(start, end)) return -1;
    const len = end - start;
    if (len > 0 && allDigits(text, start, end)) return -1;
    const keys = this.keys;
    const n = this.keyEnd;
    if (n - base >= 2 * MAX_WALK_KEYS) return -1;
    for (let k = base; k < n; k += 2) {
      if (keys[k + 1] - keys[k] === len && sameText(text, keys[k], start, len)) return -1;
    }
    keys[n] = start;
    keys[n + 1] = end;
    this.keyEnd = n + 2;
    i = skipSpace(text, end + 1);
    if (text.charCodeAt(i) !== COLON) return -1;
    return skipSpace(text, i + 1);
  }

  /**
   * The string whose text starts at `start` (just after its opening quote), escapes decoded as `JSON.parse`
   * does; sets {@link end}. Null when the string is unterminated, holds a raw control character or a bad
   * escape. Without escapes it is a slice of the text.
   */
  string(start: number): string | null {
    const text = this.text;
    let q = this.quoteFrom(start);
    if (q === text.length) return null;
    let b = this.backslashFrom(start);
    if (b > q) {
      if (this.controlIn(start, q)) return null;
      this.end = q + 1;
      return text.slice(start, q);
    }
    let s = '';
    let from = start;
    while (b < q) {
      if (this.controlIn(from, b)) return null;
      s += text.slice(from, b);
      const e = text.charCodeAt(b + 1);
      from = b + 2;
      if (e === 0x75) {
        const u = hex4(text, from);
        if (u < 0) return null;
        s += String.fromCharCode(u);
        from += 4;
      } else {
        const ch = escaped(e);
        if (ch === null) return null;
        s += ch;
      }
      q = this.quoteFrom(from);
      if (q === text.length) return null;
      b = this.backslashFrom(from);
    }
    if (this.controlIn(from, q)) return null;
    this.end = q + 1;
    return s + text.slice(from, q);
  }
}

/** The end of the number at `i` (JSON grammar: no leading zeros, digits on both sides of `.`, exponent digits); -1 when none. */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i++;
  const c = text.charCodeAt(i);
  if (c === 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) i = digitsEnd(text, i + 1);
  else return -1;
  if (text.charCodeAt(i) === 0x2e) {
    const j = digitsEnd(text, i + 1);
    if (j === i + 1) return -1;
    i = j;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const j = digitsEnd(text, i);
    if (j === i) return -1;
    i = j;
  }
  return i;
}

function digitsEnd(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) i++;
    else return i;
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
