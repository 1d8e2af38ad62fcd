/**
 * Envelope → plain prose for human review (seed §5.2 `decompile`). Every
 * field becomes one or more sentences; RULES items keep their order; code
 * blocks are printed verbatim at the end.
 */
import { ACTION_VERBS, type Envelope, type StatusReport } from './schema.js';

function sentence(s: string): string {
  const t = s.trim();
  if (t === '') return '';
  // Capitalise only a plain lower-case first word, never a literal like `camelCase` or `copy/paste`.
  const cap = /^[a-z]+(?:\s|$)/.test(t) ? t[0].toUpperCase() + t.slice(1) : t;
  return /[.!?:]$/.test(cap) ? cap : `${cap}.`;
}

function list(xs: unknown): string[] {
  return Array.isArray(xs) ? xs.map(String) : [];
}

function objective(obj: string): string {
  return obj
    .split(/;\s*/)
    .map((part) => {
      const [head, ...rest] = part.split(' ');
      if ((ACTION_VERBS as readonly string[]).includes(head)) return [head.toLowerCase(), ...rest].join(' ');
      if (head === 'ACT' && rest[0] === 'AS') return ['act as', ...rest.slice(1)].join(' ');
      return part;
    })
    .join('; ');
}

/** Turn a mission envelope (or status report) into prose. Unknown extension blocks are listed as `KEY: value`. */
export function decompile(env: Envelope | StatusReport): string {
  const out: string[] = [];
  const e = env as Record<string, any>;
  const from = [e.SENDER ? `From ${e.SENDER}` : '', e.RECEIVER ? `to ${e.RECEIVER}` : '', e.TS ? `at ${e.TS}` : ''].filter(Boolean).join(' ');
  if (from) out.push(sentence(from));
  if ('STATUS' in e) return [...out, ...decompileStatus(env as StatusReport)].join('\n');
  const m = (e.MISSION ?? {}) as Record<string, any>;
  if (m.ROLE) out.push(sentence(`Act as ${m.ROLE}`));
  if (m.OBJ) out.push(sentence(objective(String(m.OBJ))));
  if (m.SCOPE?.in?.length) out.push(sentence(`Only modify files in ${list(m.SCOPE.in).join(', ')}`));
  if (m.SCOPE?.out?.length) out.push(sentence(`Do not touch ${list(m.SCOPE.out).join(', ')}`));
  if (m.WSP?.length) out.push(sentence(`Follow ${list(m.WSP).map((n) => `WSP ${n}`).join(', ')}`));
  for (const r of list(m.RULES)) out.push(r.startsWith('§ ') ? `\n${sentence(r.slice(2)).replace(/\.$/, ':')}` : sentence(r));
  if (m.INVARIANTS && typeof m.INVARIANTS === 'object') {
    const kv = Object.entries(m.INVARIANTS as Record<string, unknown>).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    if (kv.length > 0) out.push(sentence(`Keep ${kv.join(', ')}`));
  }
  for (const a of list(m.ABORT)) out.push(sentence(`Stop if ${a.replace(/: /, ', then ')}`));
  const c = (e.CTX ?? {}) as Record<string, any>;
  if (c.FILES?.length) out.push(sentence(`Relevant files: ${list(c.FILES).join(', ')}`));
  if (c.DEPS?.length) out.push(sentence(`Dependencies: ${list(c.DEPS).join(', ')}`));
  if (c.BLOCKERS?.length) out.push(sentence(`Known blockers: ${list(c.BLOCKERS).join(', ')}`));
  const x = (e.EXEC ?? {}) as Record<string, any>;
  if (x.ARTIFACTS?.length) out.push(sentence(`Deliver ${list(x.ARTIFACTS).join('; ')}`));
  if (x.LANE) out.push(sentence(`Work in lane ${x.LANE}`));
  if (x.SKILLS?.length) out.push(sentence(`Allowed skills: ${list(x.SKILLS).join(', ')}`));
  if (x.TIMEOUT !== undefined) out.push(sentence(`Finish within ${x.TIMEOUT} seconds`));
  const v = (e.VALID ?? {}) as Record<string, any>;
  if (v.COHERENCE !== undefined) out.push(sentence(`Required coherence: at least ${v.COHERENCE}`));
  if (v.TESTS === true) out.push('Run the tests afterwards.');
  if (v.WSP_CHECK === true) out.push('Verify WSP compliance.');
  for (const [k, val] of Object.entries(e)) {
    if (['M2M_VERSION', 'SENDER', 'RECEIVER', 'TS', 'MISSION', 'CTX', 'EXEC', 'VALID'].includes(k)) continue;
    out.push(`${k}: ${JSON.stringify(val)}`);
  }
  let prose = out.join(' ').replace(/ \n/g, '\n').trim();
  for (const block of list(c.CODE)) prose += `\n\n${block}`;
  return prose;
}

function decompileStatus(r: StatusReport): string[] {
  const out = [sentence(`Status: ${r.STATUS}`)];
  for (const a of r.ARTIFACTS ?? []) {
    out.push(sentence(`${a.action ?? 'Touched'} ${a.path}${a.lines?.length ? ` (lines ${a.lines.join('-')})` : ''}`));
  }
  const mt = r.METRICS ?? {};
  if (mt.TOKENS !== undefined) out.push(sentence(`Used ${mt.TOKENS} tokens`));
  if (mt.DURATION !== undefined) out.push(sentence(`Took ${mt.DURATION}`));
  if (mt.TESTS !== undefined) out.push(sentence(`Tests passed: ${mt.TESTS}`));
  if (r.COHERENCE !== undefined) out.push(sentence(`Coherence ${r.COHERENCE}`));
  return out;
}
