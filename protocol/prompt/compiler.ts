/**
 * Deterministic compiler from human prose to the WSP 99 mission envelope
 * (seed `004` §2.2): drops politeness and framing, maps the first imperative
 * to an action verb (OBJ), pulls out role, scope, WSP references,
 * deliverables and abort conditions, and keeps every number, path,
 * identifier, quoted string and code block verbatim. The rest becomes
 * telegraphic RULES. Same input, same output.
 */
import { M2MError } from '../errors.js';
import { DELIVERABLE_VERBS, FRAMING_PATTERNS, SCOPE_VERBS, VERB_MAP } from './lexicon.js';
import { ENVELOPE_VERSION, type Envelope } from './schema.js';
import { assertEnvelope } from './validate.js';
import { FENCE_RE, LIST_MARKER_RE } from './literals.js';
import { DEFAULT_COMPILE_LEVEL, hasLiteral, protect, restore, telegraph, type CompileLevel } from './telegraph.js';

/** Options for {@link compile}. */
export interface CompileOptions {
  sender?: string;
  receiver?: string;
  /** WSP numbers to require (`--refs 50,22`), merged with those found in the text. */
  refs?: number[];
  /** Timestamp to stamp (ISO 8601); omitted by default so output is deterministic. */
  ts?: string;
  /** @default DEFAULT_COMPILE_LEVEL ('standard') */
  level?: CompileLevel;
  /** Largest prose accepted, in characters. @default 1,000,000 */
  maxChars?: number;
}

/** Optional LLM-backed compiler hook; the deterministic {@link compile} is what is measured. */
export type PromptCompilerHook = (prose: string, options: CompileOptions) => Promise<Envelope>;

export const DEFAULT_MAX_PROSE_CHARS = 1_000_000;

const ROLE_RE = /^(?:(?:i want you to|please|now,?)\s+)*(?:act|serve|behave|function) as\s+(?:an?\s+|the\s+|my\s+)?(.+)$/i;
const YOU_ARE_RE = /^you are\s+(?:an?\s+|the\s+)(.+)$/i;
const SCOPE_IN_RE = new RegExp(`\\bonly\\s+${SCOPE_VERBS}\\s+(?:(?:the\\s+)?(?:files?|code)\\s+)?(?:in|under|within|inside)\\s+(.+)$`, 'i');
const SCOPE_OUT_RE = new RegExp(`^(?:do not|don't|never)\\s+${SCOPE_VERBS}\\s+(.+)$`, 'i');
const SCOPE_NOUN = /\b(?:layer|module|modules|directory|directories|folder|folders|files?|package|packages|tests?|schema|database|config|configuration)\b/i;
const WSP_RE = /\bWSP[\s-]*(\d+)/gi;
const WSP_ONLY_RE = /^(?:(?:follow|comply with|adhere to|respect|observe|and|,|\s)+|WSP[\s-]*\d+)+[.!]?$/i;
const ABORT_RE = /^(?:(?:stop|abort|halt)(?:\s+immediately)?\s+(?:if|when)\s+(.+)|(?:if|when)\s+(.+?),?\s+(?:then\s+)?(?:stop|abort|halt)\b(?:\s+(?:and|,)\s+)?(.*))$/i;
const LABEL_RE = /^(?:\*\*)?[\p{L}][\p{L}\s&/-]{0,40}:(?:\*\*)?$/u;
const HEADING_RE = /^\s{0,3}#{1,6}\s+/;
const BULLET_RE = /^\s*(?:>\s*)*(?:[-*+•]\s+)?/;

function stripFraming(s: string): string {
  let out = s;
  for (const re of FRAMING_PATTERNS) out = out.replace(re, ' ');
  return out
    .replace(/\s+/g, ' ')
    .replace(/^(?:[\s,;:.-]|(?:please|kindly|now|also|then|so|and|firstly|first|finally|lastly)\b)+/i, '')
    .trim();
}

function firstWord(s: string): string {
  return (/^[A-Za-z]+/.exec(s)?.[0] ?? '').toLowerCase();
}

function splitSentences(line: string): string[] {
  return line.split(/(?<=[.!?;])\s+(?=\S)/).map((s) => s.trim()).filter(Boolean);
}

function push<T>(obj: Record<string, unknown>, key: string, v: T): void {
  const list = (obj[key] as T[] | undefined) ?? [];
  if (!list.includes(v)) list.push(v);
  obj[key] = list;
}

/**
 * Compile prose into an envelope.
 * @throws M2MError BAD_INPUT for empty or oversized prose
 */
export function compile(prose: string, options: CompileOptions = {}): Envelope {
  const level = options.level ?? DEFAULT_COMPILE_LEVEL;
  if (prose.length > (options.maxChars ?? DEFAULT_MAX_PROSE_CHARS)) throw new M2MError('INPUT_TOO_LARGE', `prose longer than ${options.maxChars ?? DEFAULT_MAX_PROSE_CHARS} characters`);
  const seen = new Set<string>();
  const mission: Record<string, unknown> = {};
  const ctx: Record<string, unknown> = {};
  const exec: Record<string, unknown> = {};
  const wsp = new Set<number>(options.refs ?? []);
  const objParts: string[] = [];

  const code: string[] = [];
  const text = prose.replace(/\r\n?/g, '\n').replace(FENCE_RE, (block) => {
    code.push(block.replace(/^\n+|\s+$/g, ''));
    return '\n';
  });

  // At `max` a heading or label line ("Rules:") prefixes the next rule ("Rules: be brief") instead of being an item of its own.
  const merge = level === 'max';
  let pending: string | undefined;
  const flush = (): void => {
    if (pending !== undefined) push(mission, 'RULES', `§ ${pending}`);
    pending = undefined;
  };
  const rule = (t: string): void => {
    if (pending !== undefined) push(mission, 'RULES', `${pending}: ${t}`);
    else push(mission, 'RULES', t);
    pending = undefined;
  };

  for (const rawLine of text.split('\n')) {
    if (/^\s*(?:[-*_=]\s*){3,}$/.test(rawLine) || /^\s*\|?[\s:|-]+\|[\s:|-]*$/.test(rawLine)) continue;
    const heading = HEADING_RE.test(rawLine);
    const unlisted = rawLine.replace(LIST_MARKER_RE, '$1');
    const pl = protect(unlisted.replace(HEADING_RE, '').replace(BULLET_RE, ''));
    pl.text = pl.text.replace(/\s*\|\s*/g, '; ').replace(/^[\s;]+|[\s;]+$/g, '');
    if (pl.text === '') continue;
    const label = merge && !heading && LABEL_RE.test(pl.text) && !hasLiteral(pl.text);
    if (heading || label) {
      const t = telegraph({ text: pl.text.replace(/\*\*/g, '').replace(/:$/, ''), literals: pl.literals }, level, seen);
      if (t && merge) {
        flush();
        pending = t;
      } else if (t) push(mission, 'RULES', `§ ${t}`);
      continue;
    }
    for (const sentence of splitSentences(pl.text)) {
      const p = { text: sentence, literals: pl.literals };
      const bare = stripFraming(p.text.replace(/\*\*|__/g, '').replace(/(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])/g, ''));
      const clause = { text: bare, literals: p.literals };
      const plain = restore(bare, p.literals);
      for (const m of plain.matchAll(WSP_RE)) wsp.add(Number(m[1]));
      if (WSP_ONLY_RE.test(plain.trim())) continue;
      let m: RegExpExecArray | null;
      if (mission.ROLE === undefined && ((m = ROLE_RE.exec(bare)) || (m = YOU_ARE_RE.exec(bare)))) {
        const role = telegraph({ text: m[1], literals: p.literals }, level, seen);
        if (role) mission.ROLE = role;
        continue;
      }
      if ((m = SCOPE_IN_RE.exec(bare))) {
        for (const t of scopeTargets(m[1], p.literals, level, seen)) push(mission, 'SCOPE.in', t);
        continue;
      }
      if ((m = SCOPE_OUT_RE.exec(bare)) && (hasLiteral(m[1]) || SCOPE_NOUN.test(m[1]))) {
        for (const t of scopeTargets(m[1], p.literals, level, seen)) push(mission, 'SCOPE.out', t);
        continue;
      }
      if ((m = ABORT_RE.exec(bare))) {
        const cond = telegraph({ text: m[1] ?? m[2], literals: p.literals }, level, seen);
        const then = m[3] ? telegraph({ text: m[3], literals: p.literals }, level, seen) : '';
        if (cond) push(mission, 'ABORT', then ? `${cond}: ${then}` : cond);
        continue;
      }
      const verb = firstWord(bare);
      if (DELIVERABLE_VERBS.has(verb) && !hasLiteral(bare.slice(0, verb.length + 1))) {
        for (const item of bare.slice(verb.length).replace(/^\s*(?:me|us|back)\b/i, '').split(/\s+and\s+|,\s*/)) {
          const what = telegraph({ text: item, literals: p.literals }, level, seen);
          if (what) push(exec, 'ARTIFACTS', what);
        }
        continue;
      }
      if (objParts.length === 0 && VERB_MAP[verb] !== undefined) {
        for (const part of bare.split(/\s+and\s+(?=[A-Za-z]+\b)/i)) {
          const v = firstWord(part);
          const action = VERB_MAP[v];
          if (action === undefined && objParts.length > 0) {
            objParts[objParts.length - 1] += ` ${telegraph({ text: part, literals: p.literals }, level, seen)}`;
            continue;
          }
          const rest = telegraph({ text: action ? part.slice(v.length) : part, literals: p.literals }, level, seen);
          objParts.push(action ? `${action}${rest ? ` ${rest}` : ''}` : rest);
        }
        continue;
      }
      const t = telegraph(clause, level, seen);
      if (t) rule(t);
    }
  }
  flush();

  const rules = (mission.RULES as string[] | undefined) ?? [];
  let obj = objParts.filter(Boolean).join('; ');
  if (!obj) {
    const i = rules.findIndex((r) => !r.startsWith('§'));
    if (i >= 0) obj = rules.splice(i, 1)[0];
    else if (typeof mission.ROLE === 'string') {
      obj = `ACT AS ${mission.ROLE}`;
      delete mission.ROLE;
    } else if (code.length > 0) obj = 'ANALYZE code';
    else throw new M2MError('BAD_INPUT', 'prose has no content to compile');
  }

  const env = { M2M_VERSION: ENVELOPE_VERSION } as Envelope;
  if (options.sender !== undefined) env.SENDER = options.sender;
  if (options.receiver !== undefined) env.RECEIVER = options.receiver;
  if (options.ts !== undefined) env.TS = options.ts;
  env.MISSION = { OBJ: obj };
  const sIn = mission['SCOPE.in'] as string[] | undefined;
  const sOut = mission['SCOPE.out'] as string[] | undefined;
  if (typeof mission.ROLE === 'string') env.MISSION.ROLE = mission.ROLE;
  if (sIn || sOut) env.MISSION.SCOPE = { ...(sIn ? { in: sIn } : {}), ...(sOut ? { out: sOut } : {}) };
  if (wsp.size > 0) env.MISSION.WSP = [...wsp];
  if (rules.length > 0) env.MISSION.RULES = rules;
  if (mission.ABORT) env.MISSION.ABORT = mission.ABORT as string[];
  if (code.length > 0) ctx.CODE = code;
  if (Object.keys(ctx).length > 0) env.CTX = ctx;
  if (Object.keys(exec).length > 0) env.EXEC = exec;
  return env;
}

function scopeTargets(target: string, literals: string[], level: CompileLevel, seen: Set<string>): string[] {
  const lits = [...target.matchAll(/\uE000(\d+)\uE001/g)].map((m) => literals[Number(m[1])]);
  const rest = telegraph({ text: target.replace(/\uE000\d+\uE001/g, ' '), literals }, level === 'aggressive' ? 'standard' : level, seen);
  return rest && lits.length === 0 ? [rest] : rest ? [...lits, rest] : lits;
}

/**
 * Compile with an optional LLM-backed hook: the hook's envelope is validated
 * (a bad one throws); without a hook the deterministic {@link compile} runs.
 * @throws M2MError SCHEMA_INVALID when the hook returns an invalid envelope
 */
export async function compileWithHook(prose: string, options: CompileOptions = {}, hook?: PromptCompilerHook): Promise<Envelope> {
  if (hook === undefined) return compile(prose, options);
  return assertEnvelope(await hook(prose, options));
}
