/**
 * Validation of envelopes, status reports and compact prompts against the
 * declarative schemas in `schema.ts`, with paths and "did you mean" hints.
 */
import { M2MError } from '../errors.js';
import { COMPACT_SCHEMA, ENVELOPE_SCHEMA, STATUS_SCHEMA, type CompactPrompt, type Envelope, type Spec, type StatusReport } from './schema.js';

/** One problem found by a validator. */
export interface SchemaError {
  /** Dotted path like `MISSION.SCOPE.in[1]` (`` for the root). */
  path: string;
  message: string;
}

/** Result of a validator. Unknown extension keys are warnings, not errors. */
export interface ValidationResult {
  ok: boolean;
  errors: SchemaError[];
  warnings: SchemaError[];
}

const UPPER = /^[A-Z][A-Z0-9_]*$/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function closest(key: string, known: string[]): string | undefined {
  const k = key.toLowerCase();
  for (const c of known) if (c.toLowerCase() === k) return c;
  for (const c of known) {
    const cl = c.toLowerCase();
    if (k.length >= 3 && (cl.startsWith(k) || k.startsWith(cl))) return c;
  }
  return undefined;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function check(spec: Spec, v: unknown, path: string, errors: SchemaError[], warnings: SchemaError[]): void {
  const fail = (message: string): void => {
    errors.push({ path, message });
  };
  switch (spec.kind) {
    case 'any':
      return;
    case 'version':
      if (typeof v === 'number' ? !(v > 0) : typeof v !== 'string' || !/^\d+(\.\d+)*$/.test(v)) fail(`expected a version like 1.0, got ${describe(v)}`);
      return;
    case 'string':
      if (typeof v !== 'string') return fail(`expected a string, got ${describe(v)}`);
      if (spec.enum && !spec.enum.includes(v)) return fail(`expected one of ${spec.enum.join(', ')}, got ${describe(v)}`);
      if (spec.pattern && !spec.pattern.test(v)) return fail(`expected ${spec.hint ?? `to match ${spec.pattern}`}, got ${describe(v)}`);
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`expected a number, got ${describe(v)}`);
      if (spec.integer && !Number.isInteger(v)) return fail(`expected an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) return fail(`expected at least ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) return fail(`expected at most ${spec.max}, got ${v}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') fail(`expected true or false, got ${describe(v)}`);
      return;
    case 'list':
      if (!Array.isArray(v)) return fail(`expected a list, got ${describe(v)}`);
      v.forEach((x, i) => check(spec.of, x, `${path}[${i}]`, errors, warnings));
      return;
    case 'union': {
      for (const s of spec.of) {
        const e: SchemaError[] = [];
        check(s, v, path, e, []);
        if (e.length === 0) return;
      }
      return fail(`expected ${spec.of.map((s) => s.kind).join(' or ')}, got ${describe(v)}`);
    }
    case 'object': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(`expected a map, got ${describe(v)}`);
      const o = v as Record<string, unknown>;
      const known = Object.keys(spec.fields);
      for (const [k, f] of Object.entries(spec.fields)) {
        if (o[k] === undefined) {
          if (f.required) errors.push({ path: join(path, k), message: 'is required' });
        } else check(f.spec, o[k], join(path, k), errors, warnings);
      }
      for (const k of Object.keys(o)) {
        if (Object.hasOwn(spec.fields, k)) continue;
        const guess = closest(k, known);
        const hint = guess ? ` (did you mean ${guess}?)` : '';
        if (spec.extensions === 'any' || (spec.extensions === 'upper' && UPPER.test(k) && !guess)) {
          if (spec.extensions === 'upper') warnings.push({ path: join(path, k), message: `extension key${hint}` });
        } else errors.push({ path: join(path, k), message: `unknown key${hint}` });
      }
      return;
    }
  }
}

function run(spec: Spec, v: unknown): ValidationResult {
  const errors: SchemaError[] = [];
  const warnings: SchemaError[] = [];
  check(spec, v, '', errors, warnings);
  return { ok: errors.length === 0, errors, warnings };
}

/** Validate a mission envelope (seed §2.1). Never throws. */
export function validateEnvelope(obj: unknown): ValidationResult {
  return run(ENVELOPE_SCHEMA, obj);
}

/** Validate a status report (seed §3.2). Never throws. */
export function validateStatusReport(obj: unknown): ValidationResult {
  return run(STATUS_SCHEMA, obj);
}

/** Validate a compact prompt (seed §0). Never throws. */
export function validateCompact(obj: unknown): ValidationResult {
  return run(COMPACT_SCHEMA, obj);
}

export type MessageKind = 'envelope' | 'status' | 'compact';

/** Guess which message a parsed object is: `MISSION` → envelope, `STATUS` → status, `L`/`schema` → compact. */
export function detectKind(obj: unknown): MessageKind | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  if ('MISSION' in o) return 'envelope';
  if ('STATUS' in o) return 'status';
  if ('schema' in o || ('L' in o && 'M' in o)) return 'compact';
  return undefined;
}

/** Validate any of the three messages, detected by {@link detectKind}. Never throws. */
export function validateMessage(obj: unknown): ValidationResult & { kind?: MessageKind } {
  const kind = detectKind(obj);
  if (kind === undefined) {
    return { ok: false, kind, errors: [{ path: '', message: 'not an M2M prompt message: expected MISSION (envelope), STATUS (report) or L/S/M (compact)' }], warnings: [] };
  }
  const r = kind === 'envelope' ? validateEnvelope(obj) : kind === 'status' ? validateStatusReport(obj) : validateCompact(obj);
  return { ...r, kind };
}

/** Format errors as `PATH: message` lines. */
export function formatErrors(errors: SchemaError[]): string {
  return errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('\n');
}

function assertWith<T>(r: ValidationResult, what: string, obj: unknown): T {
  if (!r.ok) throw new M2MError('SCHEMA_INVALID', `invalid ${what}:\n${formatErrors(r.errors)}`, { errors: r.errors });
  return obj as T;
}

/** @throws M2MError SCHEMA_INVALID with `details.errors` */
export function assertEnvelope(obj: unknown): Envelope {
  return assertWith<Envelope>(validateEnvelope(obj), 'M2M envelope', obj);
}

/** @throws M2MError SCHEMA_INVALID with `details.errors` */
export function assertStatusReport(obj: unknown): StatusReport {
  return assertWith<StatusReport>(validateStatusReport(obj), 'M2M status report', obj);
}

/** @throws M2MError SCHEMA_INVALID with `details.errors` */
export function assertCompact(obj: unknown): CompactPrompt {
  return assertWith<CompactPrompt>(validateCompact(obj), 'M2M compact prompt', obj);
}
