/**
 * Detects the one shape where `@toon-format/toon` (Token-Oriented Object
 * Notation) beats compact JSON for an LLM reader: uniform arrays of objects
 * with the same primitive fields, which it prints as a table. On ordinary
 * LLM-API payloads it costs more tokens than compact JSON, so we recommend it
 * only when such arrays carry most of the payload.
 */

/** Arrays shorter than this are not worth a table header. @default 3 */
export const UNIFORM_MIN_ROWS = 3;

/** Share of the payload's JSON bytes that must sit in uniform arrays. @default 0.5 */
export const UNIFORM_MIN_SHARE = 0.5;

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * True when `v` is an array of at least `minRows` plain objects that all have
 * the same keys in the same order and only primitive values.
 */
export function isUniformArray(v: unknown, minRows = UNIFORM_MIN_ROWS): boolean {
  if (!Array.isArray(v) || v.length < minRows) return false;
  let keys: string[] | undefined;
  for (const row of v) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
    const k = Object.keys(row);
    if (k.length === 0) return false;
    if (keys === undefined) keys = k;
    else if (k.length !== keys.length || k.some((x, i) => x !== keys![i])) return false;
    for (const x of Object.values(row)) if (!isPrimitive(x)) return false;
  }
  return true;
}

/** What {@link uniformArrayShare} found. */
export interface UniformArrayReport {
  /** Uniform arrays found anywhere in the value. */
  arrays: number;
  /** Total rows in them. */
  rows: number;
  /** Their compact-JSON bytes over the whole value's compact-JSON bytes (0–1). */
  share: number;
}

/** Walk a JSON value and measure how much of it is uniform arrays of objects. */
export function uniformArrayShare(value: unknown, minRows = UNIFORM_MIN_ROWS): UniformArrayReport {
  const total = JSON.stringify(value)?.length ?? 0;
  let arrays = 0;
  let rows = 0;
  let bytes = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64 || v === null || typeof v !== 'object') return;
    if (isUniformArray(v, minRows)) {
      arrays++;
      rows += (v as unknown[]).length;
      bytes += JSON.stringify(v).length;
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return { arrays, rows, share: total === 0 ? 0 : bytes / total };
}

/**
 * Recommend `@toon-format/toon` as the LLM-facing view of this payload only
 * when uniform arrays make up at least `minShare` of it.
 */
export function recommendToonFormat(value: unknown, minShare = UNIFORM_MIN_SHARE): { recommend: boolean; reason: string } {
  const r = uniformArrayShare(value);
  if (r.arrays === 0) return { recommend: false, reason: 'no uniform arrays of objects: compact JSON uses fewer tokens than @toon-format/toon' };
  if (r.share < minShare) {
    return { recommend: false, reason: `uniform arrays are only ${(r.share * 100).toFixed(0)}% of the payload: keep compact JSON` };
  }
  return { recommend: true, reason: `${r.rows} rows in ${r.arrays} uniform array(s) (${(r.share * 100).toFixed(0)}% of bytes): @toon-format/toon tables save tokens for an LLM reader` };
}
