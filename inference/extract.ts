/**
 * What is scanned: the text a model would read. For JSON input that is every
 * string value (message contents, tool arguments, tool results), never keys
 * or structure; JSON-encoded strings inside strings (tool-call `arguments`)
 * are opened too. Anything else is scanned as it is. Malformed-payload
 * checks run on the raw input first. The strings are read straight from the
 * JSON text (`json-strings.ts`); `JSON.parse` only runs for what that walk
 * leaves (invalid JSON, digit-only, escaped or repeated keys, huge objects).
 */
import { jsonStringValues, type StringVisitor } from './json-strings.js';
import { checkStructure, STRUCTURE_LIMITS, type StructureFinding, type StructureLimits } from './rules/malformed.js';

/** Window length for long texts, in characters. @default 2048 */
export const WINDOW_CHARS = 2048;
/** Overlap between consecutive windows, in characters: a phrase up to this long is never split. @default 256 */
export const WINDOW_OVERLAP = 256;
/** How deep JSON-in-a-string is opened. @default 2 */
export const MAX_NESTED_JSON = 2;

export interface Extracted {
  /** The text to scan: string values joined by newlines (or the raw text). */
  text: string;
  /** True when the input parsed as JSON and `text` holds its string values. */
  json: boolean;
  /** Malformed-payload findings on the raw input. */
  findings: StructureFinding[];
  /** False when the input is too large to scan at all. */
  scannable: boolean;
}

function looksLikeJson(s: string): boolean {
  // An ASCII first character that is not white space decides at once (trimStart would keep it first).
  const c = s.charCodeAt(0);
  if (c > 0x20 && c < 0x80) return c === 0x7b || c === 0x5b;
  const t = s.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

/** Containers nested deeper than this are walked with an explicit stack instead of recursion. */
const MAX_RECURSION = 64;

/** A string value: opened as JSON when it holds some (up to {@link MAX_NESTED_JSON} deep), else kept when not empty. */
function collectString(v: string, out: string[], nested: number): void {
  if (nested < MAX_NESTED_JSON && v.length > 1 && looksLikeJson(v)) {
    // Read from the text when the walker can; JSON.parse for what it leaves (invalid or unusual JSON).
    if (jsonStringValues(v, out, VISITORS[nested + 1])) return;
    try {
      collectStrings(JSON.parse(v), out, nested + 1);
      return;
    } catch {
      // not JSON after all: scan the string as text
    }
  }
  if (v.length > 0) out.push(v);
}

/** {@link collectString} at each nesting level, for {@link jsonStringValues}. */
const VISITORS: readonly StringVisitor[] = Array.from({ length: MAX_NESTED_JSON + 1 }, (_, nested) => (v: string, out: string[]) => collectString(v, out, nested));

/**
 * Every string of `value` in document order (`Object.values` order for objects). Recursive while shallow
 * (no arrays of values made per object); deeper containers, possible only in JSON opened from a string,
 * go to {@link collectDeep}.
 */
function collectStrings(value: unknown, out: string[], nested: number, depth = 0): void {
  if (typeof value === 'string') collectString(value, out, nested);
  else if (value === null || typeof value !== 'object') return;
  else if (depth >= MAX_RECURSION) collectDeep(value, out, nested);
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) collectStrings(value[i], out, nested, depth + 1);
  else {
    const o = value as Record<string, unknown>;
    for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) collectStrings(o[k], out, nested, depth + 1);
  }
}

/** {@link collectStrings} with an explicit stack (any depth). */
function collectDeep(value: unknown, out: string[], nested: number): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') collectString(v, out, nested);
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const values = Object.values(v as Record<string, unknown>);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
}

/**
 * Extract the scan text from `raw`.
 * JSON that breaks a structural limit is not parsed; its raw text is scanned instead.
 * @param parsed `JSON.parse(raw)` when the caller already has it (skips the parse; undefined = parse here)
 */
export function extractText(raw: string, limits: StructureLimits = STRUCTURE_LIMITS, parsed?: unknown): Extracted {
  const findings = checkStructure(raw, limits);
  if (findings.length > 0 && findings.some((f) => f.rule.id === 'malformed.too-large')) return { text: '', json: false, findings, scannable: false };
  const structural = findings.length > 0 && findings.some((f) => f.rule.id === 'malformed.nesting-depth' || f.rule.id === 'malformed.array-length');
  if (!structural && looksLikeJson(raw)) {
    const strings: string[] = [];
    // Without a parsed value, read the strings from the text; parse only what the walker leaves.
    if (parsed === undefined && jsonStringValues(raw, strings, VISITORS[0])) return { text: strings.join('\n'), json: true, findings, scannable: true };
    try {
      const value: unknown = parsed !== undefined ? parsed : JSON.parse(raw);
      collectStrings(value, strings, 0);
      return { text: strings.join('\n'), json: true, findings, scannable: true };
    } catch {
      // invalid JSON: scan it as text
    }
  }
  return { text: raw, json: false, findings, scannable: true };
}

/**
 * Cut `text` into windows of `size` characters overlapping by `overlap`.
 * Text up to `size` is one window. Total scanned length is at most
 * `len × size / (size − overlap)`, so cost stays linear.
 */
export function windows(text: string, size = WINDOW_CHARS, overlap = WINDOW_OVERLAP): string[] {
  if (text.length <= size) return [text];
  const step = size - overlap;
  const out: string[] = [];
  for (let start = 0; ; start += step) {
    const end = Math.min(text.length, start + size);
    out.push(text.slice(start, end));
    if (end === text.length) break;
  }
  return out;
}
