/**
 * The K:V line form of a prompt message (seed `004` §2.2: `OBJ:…`,
 * `SCOPE.in:[src/auth/]`, `WSP:[50,22]`): one `PATH:VALUE` line per leaf,
 * nested maps as dotted paths. Lossless for strings, numbers, booleans, null
 * and lists: ambiguous scalars are JSON-quoted, lists of plain items are
 * written `[a|b]`, multi-line strings use `<<DELIM` heredocs.
 */
import { M2MError } from '../errors.js';

const PLAIN_ITEM = /^[^|[\]\n]+$/;

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

function list(path: string, xs: unknown[], lines: string[]): void {
  if (xs.every((x) => typeof x === 'number' || typeof x === 'boolean')) {
    lines.push(`${path}:${JSON.stringify(xs)}`);
    return;
  }
  if (xs.length > 0 && xs.every((x) => typeof x === 'string' && PLAIN_ITEM.test(x) && x === x.trim())) {
    const piped = `[${xs.join('|')}]`;
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
export function toKV(obj: Record<string, unknown>): string {
  const lines: string[] = [];
  walk('', obj, lines);
  return lines.join('\n');
}

function parseValue(raw: string, lineNo: number): unknown {
  if (raw.startsWith('[') && raw.endsWith(']')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw === '[]' ? [] : raw.slice(1, -1).split('|');
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
 * Parse K:V lines back into an object.
 * @throws M2MError SCHEMA_INVALID for a line without `:`, an unterminated heredoc or a path clash
 */
export function fromKV(text: string): Record<string, unknown> {
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
