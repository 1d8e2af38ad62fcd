/**
 * Envelope ↔ the 9-key compact form (seed §0: `schema, L, S, M, T, R, I, O, F`).
 * The compact form drops the header and context; `T` is a stable hash of the
 * objective so replays and audits can match tasks.
 */
import { createHash } from 'node:crypto';
import { COMPACT_SCHEMA_ID, ENVELOPE_VERSION, LANES, type CompactPrompt, type Envelope, type Lane, type Mode } from './schema.js';

/** Options for {@link toCompact}. */
export interface CompactOptions {
  /** Lane when the envelope has no `EXEC.LANE`. @default 'A' */
  lane?: Lane;
  /** @default 'exec' */
  mode?: Mode;
}

/** Short stable task id: first 12 hex digits of SHA-256 of the objective. */
export function taskHash(obj: string): string {
  return createHash('sha256').update(obj, 'utf8').digest('hex').slice(0, 12);
}

/** Envelope → compact form. `S` is the in-scope list joined by commas, else the objective. */
export function toCompact(env: Envelope, options: CompactOptions = {}): CompactPrompt {
  const m = env.MISSION;
  const laneRaw = env.EXEC?.LANE;
  const lane = laneRaw !== undefined && (LANES as readonly string[]).includes(laneRaw) ? (laneRaw as Lane) : (options.lane ?? 'A');
  const c: CompactPrompt = { schema: COMPACT_SCHEMA_ID, L: lane, S: m.SCOPE?.in?.join(',') || m.OBJ, M: options.mode ?? 'exec', T: taskHash(m.OBJ) };
  if (m.WSP?.length) c.R = [...m.WSP];
  const inv: Record<string, unknown> = { ...(m.INVARIANTS as Record<string, unknown> | undefined), OBJ: m.OBJ };
  if (m.ROLE) inv.ROLE = m.ROLE;
  if (m.SCOPE?.out?.length) inv.OUT = [...m.SCOPE.out];
  if (m.RULES?.length) inv.RULES = [...m.RULES];
  if (env.VALID?.COHERENCE !== undefined) inv.COHERENCE = env.VALID.COHERENCE;
  c.I = inv;
  if (env.EXEC?.ARTIFACTS?.length) c.O = [...env.EXEC.ARTIFACTS];
  if (m.ABORT?.length) c.F = [...m.ABORT];
  return c;
}

/** Compact form → envelope (inverse of {@link toCompact} for the fields both carry). */
export function fromCompact(c: CompactPrompt): Envelope {
  const inv = (c.I ?? {}) as Record<string, unknown>;
  const env: Envelope = { M2M_VERSION: ENVELOPE_VERSION, MISSION: { OBJ: typeof inv.OBJ === 'string' ? inv.OBJ : c.S } };
  const scopeIn = c.S && c.S !== env.MISSION.OBJ ? c.S.split(',') : undefined;
  const out = Array.isArray(inv.OUT) ? (inv.OUT as string[]) : undefined;
  if (typeof inv.ROLE === 'string') env.MISSION.ROLE = inv.ROLE;
  if (scopeIn || out) env.MISSION.SCOPE = { ...(scopeIn ? { in: scopeIn } : {}), ...(out ? { out } : {}) };
  if (c.R?.length) env.MISSION.WSP = [...c.R];
  if (Array.isArray(inv.RULES)) env.MISSION.RULES = inv.RULES as string[];
  if (c.F?.length) env.MISSION.ABORT = [...c.F];
  const rest = Object.fromEntries(Object.entries(inv).filter(([k]) => !['OBJ', 'ROLE', 'OUT', 'RULES', 'COHERENCE'].includes(k)));
  if (Object.keys(rest).length > 0) env.MISSION.INVARIANTS = rest;
  env.EXEC = { LANE: c.L, ...(c.O?.length ? { ARTIFACTS: [...c.O] } : {}) };
  if (typeof inv.COHERENCE === 'number') env.VALID = { COHERENCE: inv.COHERENCE };
  return env;
}
