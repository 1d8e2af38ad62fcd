/**
 * The text of a request's `"body"` value exactly as the agent wrote it, cut out of a line that
 * `JSON.parse` has already accepted. The daemon sends that text on instead of
 * `JSON.stringify(body)`: the body then arrives byte for byte as sent (what the link format
 * promises), and the sending daemon skips one serialisation per message (~5 µs per 1 KB body in the
 * bench e2e profile, plus a 1 KB string).
 *
 * The walk only has to find value boundaries: strings are skipped with `indexOf('"')` (a quote
 * preceded by an odd run of backslashes is escaped), containers by counting brackets outside
 * strings. A key spelled with escapes is decoded with `JSON.parse`. With duplicate `"body"` keys
 * the last one wins, as in `JSON.parse`. Anything unexpected returns undefined and the caller
 * serialises the parsed value instead.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipSpace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Index just past the string that opens at `i` (a quote), or -1. */
function skipString(s: string, i: number): number {
  let at = i + 1;
  for (;;) {
    const q = s.indexOf('"', at);
    if (q < 0) return -1;
    let slashes = 0;
    for (let k = q - 1; s.charCodeAt(k) === BACKSLASH; k--) slashes++;
    if ((slashes & 1) === 0) return q + 1;
    at = q + 1;
  }
}

/** Index just past the value that starts at `i`, or -1. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let k = i; k < s.length; k++) {
      const d = s.charCodeAt(k);
      if (d === QUOTE) {
        k = skipString(s, k) - 1;
        if (k < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        if (--depth === 0) return k + 1;
      }
    }
    return -1;
  }
  // A number or a literal: up to the next delimiter.
  let k = i;
  while (k < s.length) {
    const d = s.charCodeAt(k);
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    k++;
  }
  return k > i ? k : -1;
}

/**
 * The raw text of the top-level `"body"` member of a JSON object line, or undefined.
 * @param line a line `JSON.parse` accepted (an object); other input may give undefined but never throws
 */
export function rawBodyText(line: string): string | undefined {
  const span = rawBodySpan(line);
  return span === undefined ? undefined : line.slice(span[0], span[1]);
}

/** Where {@link rawBodyText}'s text sits in `line`: `[start, end)`, or undefined. */
export function rawBodySpan(line: string): [number, number] | undefined {
  let i = skipSpace(line, 0);
  if (line.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(line, i + 1);
  let start = -1;
  let end = -1;
  if (line.charCodeAt(i) === 0x7d) return undefined;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(line, i);
    if (keyEnd < 0) return undefined;
    const raw = line.slice(i + 1, keyEnd - 1);
    let key = raw;
    if (raw.includes('\\')) {
      try {
        key = JSON.parse(line.slice(i, keyEnd)) as string;
      } catch {
        return undefined;
      }
    }
    i = skipSpace(line, keyEnd);
    if (line.charCodeAt(i) !== 0x3a) return undefined;
    i = skipSpace(line, i + 1);
    const valueEnd = skipValue(line, i);
    if (valueEnd < 0) return undefined;
    if (key === 'body') {
      start = i;
      end = valueEnd;
    }
    i = skipSpace(line, valueEnd);
    const c = line.charCodeAt(i);
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
    i = skipSpace(line, i + 1);
  }
  return start < 0 ? undefined : [start, end];
}
