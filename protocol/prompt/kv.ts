/**
 * The K:V line form of a prompt message (seed `004` §2.2: `OBJ:…`,
 * `SCOPE.in:[src/auth/]`, `WSP:[50,22]`): one `PATH:VALUE` line per leaf,
 * nested maps as dotted paths. Lossless for strings, numbers, booleans, null
 * and lists: ambiguous scalars are JSON-quoted, lists of plain items are
 * written `[a|b]`, multi-line strings use `<<DELIM` heredocs.
 */
import { M2MError } from '../errors.js';
import { ENVELOPE_VERSION } from './schema.js';

/** Options of {@link toKV} and {@link fromKV}. */
export interface KVOptions {
  /**
   * The short envelope form (seed §2.2 writes `OBJ:…`, `SCOPE.in:[…]`,
   * `WSP:[…]`, `ARTIFACTS:[…]`): envelope fields whose names are unique
   * across the four blocks are written without `MISSION.`/`CTX.`/`EXEC.`/
   * `VALID.`, and `M2M_VERSION` is left out when it is `1.0`. Only applies to
   * envelopes (a map with `MISSION` and no `STATUS`). @default false
   */
  short?: boolean;
}

/** Envelope field → its block, for the short form. */
const FIELD_BLOCK: Readonly<Record<string, string>> = Object.freeze({
  OBJ: 'MISSION', SCOPE: 'MISSION', WSP: 'MISSION', ROLE: 'MISSION', RULES: 'MISSION', ABORT: 'MISSION', INVARIANTS: 'MISSION',
  FILES: 'CTX', DEPS: 'CTX', BLOCKERS: 'CTX', CODE: 'CTX',
  LANE: 'EXEC', SKILLS: 'EXEC', ARTIFACTS: 'EXEC', TIMEOUT: 'EXEC',
  COHERENCE: 'VALID', TESTS: 'VALID', WSP_CHECK: 'VALID',
});
const BLOCKS = new Set(Object.values(FIELD_BLOCK));

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEnvelopeLike(obj: Record<string, unknown>): boolean {
  return isMap(obj.MISSION) && !('STATUS' in obj);
}

/** Lift block fields to the top level (short form); fields that would clash keep their block. */
function shorten(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'M2M_VERSION' && v === ENVELOPE_VERSION) continue;
    if (!BLOCKS.has(k) || !isMap(v)) {
      out[k] = v;
      continue;
    }
    const rest: Record<string, unknown> = {};
    for (const [f, fv] of Object.entries(v)) {
      if (FIELD_BLOCK[f] === k && !(f in obj)) out[f] = fv;
      else rest[f] = fv;
    }
    if (Object.keys(rest).length > 0) out[k] = rest;
  }
  return out;
}

/** Inverse of {@link shorten}. */
function lengthen(flat: Record<string, unknown>): Record<string, unknown> {
  if ('STATUS' in flat || !Object.keys(flat).some((k) => FIELD_BLOCK[k] !== undefined || k === 'MISSION')) return flat;
  const out: Record<string, unknown> = { M2M_VERSION: flat.M2M_VERSION ?? ENVELOPE_VERSION };
  for (const [k, v] of Object.entries(flat)) {
    if (k === 'M2M_VERSION') continue;
    const block = FIELD_BLOCK[k];
    if (block === undefined) {
      out[k] = isMap(v) && isMap(out[k]) ? { ...(out[k] as Record<string, unknown>), ...v } : v;
      continue;
    }
    const b = (out[block] ??= {});
    if (!isMap(b)) throw new M2MError('SCHEMA_INVALID', `'${k}' clashes with a non-map ${block}`);
    b[k] = v;
  }
  return out;
}

const PLAIN_ITEM = /^[^\n]+$/;

function isPlainString(s: string): boolean {
  if (s === '' || s !== s.trim() || s.includes('\n')) return false;
  if (/^(?:\[|"|\{|<<)/.test(s)) return false;
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
}

function heredoc(path: string, s: string): string {
  let delim = 'EOT';
  while (s.split('\n').includes(delim)) delim += '_';
  return `${path}:<<${delim}\n${s}\n${delim}`;
}

function scalar(path: string, v: unknown): string {
  if (typeof v === 'string') {
    if (isPlainString(v)) return `${path}:${v}`;
    if (v.includes('\n')) return heredoc(path, v);
  }
  return `${path}:${JSON.stringify(v)}`;
}

/** Escape one piped-list item: `|` and a backslash before `|`, `\\` or the item end get a backslash. */
function escapeItem(x: string): string {
  return x.replace(/\\(?=[\\|]|$)/g, '\\\\').replace(/\|/g, '\\|');
}

/** Split the inside of `[a|b\\|c]` at unescaped pipes and unescape. */
function splitItems(inner: string): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\' && (inner[i + 1] === '|' || inner[i + 1] === '\\')) {
      cur += inner[++i];
    } else if (ch === '|') {
      items.push(cur);
      cur = '';
    } else cur += ch;
  }
  items.push(cur);
  return items;
}

function list(path: string, xs: unknown[], lines: string[]): void {
  if (xs.every((x) => typeof x === 'number' || typeof x === 'boolean')) {
    lines.push(`${path}:${JSON.stringify(xs)}`);
    return;
  }
  if (xs.length > 0 && xs.every((x) => typeof x === 'string' && PLAIN_ITEM.test(x) && x === x.trim())) {
    const piped = `[${(xs as string[]).map(escapeItem).join('|')}]`;
    let isJson = true;
    try {
      JSON.parse(piped);
    } catch {
      isJson = false;
    }
    if (!isJson) {
      lines.push(`${path}:${piped}`);
      return;
    }
  }
  if (xs.length > 0 && xs.every((x) => typeof x === 'string')) {
    for (const x of xs as string[]) lines.push(scalar(`${path}+`, x));
    return;
  }
  lines.push(`${path}:${JSON.stringify(xs)}`);
}

function walk(prefix: string, obj: Record<string, unknown>, lines: string[]): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k === '' || /[.:+\n]/.test(k)) throw new M2MError('BAD_INPUT', `key '${k}' cannot be written in K:V form (no '.', ':', '+' or newline)`);
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) list(path, v, lines);
    else if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) walk(path, v as Record<string, unknown>, lines);
    else if (v !== undefined) lines.push(scalar(path, v));
  }
}

/**
 * Serialise a prompt message to K:V lines.
 * @throws M2MError BAD_INPUT for keys containing `.`, `:`, `+` or newlines
 */
export function toKV(obj: Record<string, unknown>, options: KVOptions = {}): string {
  const lines: string[] = [];
  walk('', options.short && isEnvelopeLike(obj) ? shorten(obj) : obj, lines);
  return lines.join('\n');
}

function parseValue(raw: string, lineNo: number): unknown {
  if (raw.startsWith('[') && raw.endsWith(']')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw === '[]' ? [] : splitItems(raw.slice(1, -1));
    }
  }
  try {
    return JSON.parse(raw);
  } catch {
    if (raw.startsWith('"') || raw.startsWith('{')) throw new M2MError('SCHEMA_INVALID', `line ${lineNo}: bad JSON value`);
    return raw;
  }
}

/**
 * Parse K:V lines back into an object. With `short`, top-level envelope
 * fields (`OBJ`, `RULES`, `ARTIFACTS`, …) go back into their blocks and a
 * missing `M2M_VERSION` becomes `1.0`; the long form parses the same.
 * @throws M2MError SCHEMA_INVALID for a line without `:`, an unterminated heredoc or a path clash
 */
export function fromKV(text: string, options: KVOptions = {}): Record<string, unknown> {
  const root = parseLines(text);
  return options.short ? lengthen(root) : root;
}

function parseLines(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new M2MError('SCHEMA_INVALID', `line ${i + 1}: expected KEY:VALUE`);
    let path = line.slice(0, colon);
    const rest = line.slice(colon + 1);
    let value: unknown;
    const here = /^<<(\w+)$/.exec(rest);
    if (here) {
      const end = lines.indexOf(here[1], i + 1);
      if (end < 0) throw new M2MError('SCHEMA_INVALID', `line ${i + 1}: heredoc <<${here[1]} is not terminated`);
      value = lines.slice(i + 1, end).join('\n');
      i = end;
    } else value = parseValue(rest, i + 1);
    const append = path.endsWith('+');
    if (append) path = path.slice(0, -1);
    const keys = path.split('.');
    let node = root;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (next === undefined) node[k] = {};
      else if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new M2MError('SCHEMA_INVALID', `line ${i + 1}: '${path}' clashes with an earlier value`);
      node = node[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (append) {
      const arr = (node[last] ??= []);
      if (!Array.isArray(arr)) throw new M2MError('SCHEMA_INVALID', `line ${i + 1}: '${path}+' appends to a non-list`);
      arr.push(value);
    } else node[last] = value;
  }
  return root;
}
