/**
 * Bounded JSON: nesting depth and array length are checked by one lexical
 * pass *before* `JSON.parse`, so a hostile `[[[[…` or a 10-million-element
 * array fails fast with a typed error instead of eating stack or memory.
 */
import { M2MError } from './errors.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

export type JsonBounds = Pick<Limits, 'maxJsonDepth' | 'maxArrayLength'>;

const OPEN_OBJ = 0x7b; // {
const CLOSE_OBJ = 0x7d; // }
const OPEN_ARR = 0x5b; // [
const CLOSE_ARR = 0x5d; // ]
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Check depth and array length of JSON text without parsing it. Tolerates
 * malformed input (the parser reports that); only the bounds are enforced.
 * @throws M2MError TOO_DEEP, ARRAY_TOO_LONG
 */
export function assertJsonBounds(text: string, bounds: Partial<JsonBounds> = {}): void {
  const maxDepth = bounds.maxJsonDepth ?? DEFAULT_LIMITS.maxJsonDepth;
  const maxArray = bounds.maxArrayLength ?? DEFAULT_LIMITS.maxArrayLength;
  // isArray[d] and count[d] (commas seen) describe the container open at depth d (1-based).
  const isArray: boolean[] = [false];
  const count: number[] = [0];
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string body, honouring backslash escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i++;
      }
      continue;
    }
    if (c === OPEN_OBJ || c === OPEN_ARR) {
      depth++;
      if (depth > maxDepth) throw new M2MError('TOO_DEEP', `JSON nesting deeper than ${maxDepth}`, { maxJsonDepth: maxDepth });
      isArray[depth] = c === OPEN_ARR;
      count[depth] = 0;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth > 0) depth--;
    } else if (c === COMMA) {
      if (depth > 0 && isArray[depth]) {
        count[depth]++;
        // n commas separate n+1 elements.
        if (count[depth] + 1 > maxArray) throw new M2MError('ARRAY_TOO_LONG', `JSON array longer than ${maxArray} elements`, { maxArrayLength: maxArray });
      }
    }
  }
}

/**
 * `JSON.parse` with bounds checked first.
 * @throws M2MError TOO_DEEP, ARRAY_TOO_LONG, INVALID_JSON
 */
export function parseJsonBounded(text: string, bounds: Partial<JsonBounds> = {}): unknown {
  assertJsonBounds(text, bounds);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new M2MError('INVALID_JSON', `invalid JSON: ${(e as Error).message}`);
  }
}

/** True when `text` parses as JSON within the default bounds (never throws). */
export function isJson(text: string): boolean {
  try {
    parseJsonBounded(text);
    return true;
  } catch {
    return false;
  }
}
