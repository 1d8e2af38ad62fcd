/**
 * Malformed-payload checks on the raw input, before any text is extracted:
 * NUL bytes, JSON nesting deeper than 32, arrays longer than 10,000
 * elements, input larger than 16 MiB. One linear pass, no parsing, so a
 * hostile payload cannot make the scanner itself slow or hungry.
 */
import type { Limits } from '../../protocol/limits.js';
import type { ThreatType } from '../types.js';

export interface MalformedRule {
  readonly id: string;
  readonly category: ThreatType;
  readonly severity: number;
  readonly description: string;
}

export const MALFORMED_RULES = {
  nul: { id: 'malformed.nul-byte', category: 'malformed', severity: 0.95, description: 'A NUL character (raw or as the JSON escape \\u0000).' },
  depth: { id: 'malformed.nesting-depth', category: 'malformed', severity: 0.9, description: 'JSON nested deeper than the limit (32).' },
  array: { id: 'malformed.array-length', category: 'malformed', severity: 0.85, description: 'A JSON array longer than the limit (10,000 elements).' },
  size: { id: 'malformed.too-large', category: 'malformed', severity: 1, description: 'Input larger than the limit (16 MiB); not scanned further.' },
} as const satisfies Record<string, MalformedRule>;

export interface StructureFinding {
  rule: MalformedRule;
  detail: string;
}

/** Bounds {@link checkStructure} enforces; the same numbers as the protocol decoders. */
export type StructureLimits = Pick<Limits, 'maxJsonDepth' | 'maxArrayLength' | 'maxInputBytes'>;

export const STRUCTURE_LIMITS: Readonly<StructureLimits> = Object.freeze({ maxJsonDepth: 32, maxArrayLength: 10_000, maxInputBytes: 16 * 1024 * 1024 });

/**
 * Check `raw` for malformed-payload signs. Bracket depth and array lengths
 * are counted outside JSON strings whether or not the text parses as JSON.
 */
export function checkStructure(raw: string, limits: StructureLimits = STRUCTURE_LIMITS): StructureFinding[] {
  const out: StructureFinding[] = [];
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × UTF-16 length: compute bytes only near the limit.
  if (raw.length * 3 > limits.maxInputBytes) {
    const bytes = Buffer.byteLength(raw, 'utf8');
    if (bytes > limits.maxInputBytes) {
      out.push({ rule: MALFORMED_RULES.size, detail: `${bytes} bytes > ${limits.maxInputBytes}` });
      return out;
    }
  }
  if (raw.includes('\u0000') || raw.includes('\\u0000')) out.push({ rule: MALFORMED_RULES.nul, detail: 'NUL character' });
  const first = raw.trimStart()[0];
  if (first !== '{' && first !== '[') return out;
  if (!mayExceed(raw, limits)) return out;
  // Per open bracket: is it an array, and how many elements so far.
  const isArray: boolean[] = [];
  const counts: number[] = [];
  let inString = false;
  let maxDepth = 0;
  let longest = 0;
  for (let i = 0; i < raw.length; i++) {
    if (inString) {
      // Jump to the quote that ends the string: one preceded by an even run of backslashes (within the string).
      let q = raw.indexOf('"', i);
      while (q >= 0 && oddBackslashesBefore(raw, q, i)) q = raw.indexOf('"', q + 1);
      if (q < 0) break;
      i = q;
      inString = false;
      continue;
    }
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      inString = true;
      const top = isArray.length - 1;
      if (top >= 0 && counts[top] === 0) counts[top] = 1;
    } else if (c === 0x7b || c === 0x5b) {
      const top = isArray.length - 1;
      if (top >= 0 && counts[top] === 0) counts[top] = 1;
      isArray.push(c === 0x5b);
      counts.push(0);
      if (isArray.length > maxDepth) maxDepth = isArray.length;
    } else if (c === 0x7d || c === 0x5d) {
      if (isArray.pop() && (counts.at(-1) ?? 0) > longest) longest = counts.at(-1) ?? 0;
      counts.pop();
    } else if (c === 0x2c) {
      const top = isArray.length - 1;
      if (top >= 0) counts[top] = (counts[top] === 0 ? 1 : counts[top]) + 1;
    } else if (c > 0x20) {
      const top = isArray.length - 1;
      if (top >= 0 && counts[top] === 0) counts[top] = 1;
    }
  }
  for (let k = 0; k < isArray.length; k++) if (isArray[k] && counts[k] > longest) longest = counts[k];
  if (maxDepth > limits.maxJsonDepth) out.push({ rule: MALFORMED_RULES.depth, detail: `depth ${maxDepth} > ${limits.maxJsonDepth}` });
  if (longest > limits.maxArrayLength) out.push({ rule: MALFORMED_RULES.array, detail: `array of ${longest} > ${limits.maxArrayLength}` });
  return out;
}

/**
 * False when the bracket walk below cannot find anything: an array longer than the limit needs at least that
 * many commas (so a longer text), and nesting deeper than the limit needs more opening brackets than the
 * limit (counted anywhere in the text, strings included, natively by `indexOf`; at most limit + 1 calls each).
 */
function mayExceed(raw: string, limits: StructureLimits): boolean {
  if (raw.length > limits.maxArrayLength) return true;
  let opens = 0;
  for (let at = raw.indexOf('{'); at >= 0 && opens <= limits.maxJsonDepth; at = raw.indexOf('{', at + 1)) opens++;
  for (let at = raw.indexOf('['); at >= 0 && opens <= limits.maxJsonDepth; at = raw.indexOf('[', at + 1)) opens++;
  return opens > limits.maxJsonDepth;
}

/** True when the backslashes just before `at` (not looking before `from`) are an odd run: the character at `at` is escaped. */
function oddBackslashesBefore(s: string, at: number, from: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= from && s.charCodeAt(k) === 0x5c; k--) n++;
  return n % 2 === 1;
}
