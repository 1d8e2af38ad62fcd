/**
 * Turns each config source (a TOML file, the environment, command-line flags)
 * into a {@link Layer}: checked, coerced values keyed by `section.key`, each
 * remembering where it came from. Problems are collected, not thrown, so the
 * loader can report all of them in one error.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { coerce } from './coerce.js';
import { ENV_ALIASES, CONFIG_FILE_ENV, MAX_PEERS, MAX_TOON_MAPPINGS, PEER_REQUIRED, PEER_SCHEMA, SCHEMA, TOON_TABLES, type PeerConfig, type ToonTable } from './schema.js';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** The file path, `environment (M2M_X)` or `flag --x`. */
  source: string;
  /** Dotted key, e.g. `security.block_threshold` or `peers[1].url`. */
  key: string;
  problem: string;
}

export interface Layer {
  values: Map<string, { value: unknown; source: string }>;
  peers?: { value: PeerConfig[]; source: string };
  toonTables?: Partial<Record<ToonTable, { value: Record<string, string>; source: string }>>;
}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Closest known name within edit distance 2, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function unknown(kind: string, name: string, known: readonly string[]): string {
  const hint = closest(name, known);
  return `unknown ${kind}${hint ? ` (did you mean ${hint}?)` : ''}; known: ${known.join(', ')}`;
}

/** Parses TOML text from `source` into a layer. */
export function layerFromToml(text: string, source: string, problems: ConfigProblem[]): Layer {
  const layer: Layer = { values: new Map() };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? `line ${e.line}, column ${e.column}` : 'syntax';
    problems.push({ source, key: `(${where})`, problem: `not valid TOML: ${(e as Error).message.split('\n')[0]}` });
    return layer;
  }
  const sections = [...Object.keys(SCHEMA), 'peers'];
  for (const [section, body] of Object.entries(doc)) {
    if (section === 'peers') {
      readPeers(body, source, layer, problems);
      continue;
    }
    const spec = SCHEMA[section];
    if (!spec) {
      problems.push({ source, key: section, problem: unknown('section', section, sections) });
      continue;
    }
    if (!isTable(body)) {
      problems.push({ source, key: section, problem: `must be a table ([${section}])` });
      continue;
    }
    for (const [key, raw] of Object.entries(body)) {
      const dotted = `${section}.${key}`;
      if (section === 'toon' && (TOON_TABLES as readonly string[]).includes(key)) {
        readToonTable(key as ToonTable, raw, source, layer, problems);
        continue;
      }
      const field = spec[key];
      if (!field) {
        const known = Object.keys(spec).concat(section === 'toon' ? TOON_TABLES : []);
        problems.push({ source, key: dotted, problem: unknown('key', key, known) });
        continue;
      }
      const r = coerce(field, raw, false);
      if (r.ok) layer.values.set(dotted, { value: r.value, source });
      else problems.push({ source, key: dotted, problem: r.problem });
    }
  }
  return layer;
}

function readPeers(body: unknown, source: string, layer: Layer, problems: ConfigProblem[]): void {
  if (!Array.isArray(body) || !body.every(isTable)) {
    problems.push({ source, key: 'peers', problem: 'must be an array of tables ([[peers]])' });
    return;
  }
  if (body.length > MAX_PEERS) {
    problems.push({ source, key: 'peers', problem: `at most ${MAX_PEERS} peers` });
    return;
  }
  const peers: PeerConfig[] = [];
  body.forEach((entry, i) => {
    const peer: Record<string, unknown> = { psk: '', tls_ca: '', server_name: '', cert_sha256: '' };
    let ok = true;
    for (const [key, raw] of Object.entries(entry)) {
      const field = PEER_SCHEMA[key];
      if (!field) {
        problems.push({ source, key: `peers[${i}].${key}`, problem: unknown('key', key, Object.keys(PEER_SCHEMA)) });
        ok = false;
        continue;
      }
      const r = coerce(field, raw, false);
      if (r.ok) peer[key] = r.value;
      else {
        problems.push({ source, key: `peers[${i}].${key}`, problem: r.problem });
        ok = false;
      }
    }
    for (const key of PEER_REQUIRED) {
      if (entry[key] === undefined || entry[key] === '') {
        problems.push({ source, key: `peers[${i}].${key}`, problem: 'is required' });
        ok = false;
      }
    }
    if (ok) peers.push(peer as unknown as PeerConfig);
  });
  layer.peers = { value: peers, source };
}

function readToonTable(name: ToonTable, raw: unknown, source: string, layer: Layer, problems: ConfigProblem[]): void {
  const key = `toon.${name}`;
  if (!isTable(raw)) {
    problems.push({ source, key, problem: 'must be a table of "original" = "code" pairs' });
    return;
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_TOON_MAPPINGS) {
    problems.push({ source, key, problem: `at most ${MAX_TOON_MAPPINGS} entries` });
    return;
  }
  const out: Record<string, string> = {};
  for (const [orig, code] of entries) {
    if (typeof code !== 'string') {
      problems.push({ source, key: `${key}.${orig}`, problem: `must be a string (got ${JSON.stringify(code)})` });
      continue;
    }
    out[orig] = code;
  }
  layer.toonTables = { ...layer.toonTables, [name]: { value: out, source } };
}

/**
 * Reads `M2M_<SECTION>_<KEY>` variables (and {@link ENV_ALIASES}). A variable whose
 * prefix names a section but whose key is unknown is a problem (typo guard);
 * `M2M_*` names that match no section are left alone for other tools.
 */
export function layerFromEnv(env: Readonly<Record<string, string | undefined>>, problems: ConfigProblem[]): Layer {
  const layer: Layer = { values: new Map() };
  const sections = Object.keys(SCHEMA);
  // Aliases first, so the canonical M2M_<SECTION>_<KEY> wins when both are set.
  const names = Object.keys(env).sort((a, b) => Number(ENV_ALIASES[b] !== undefined) - Number(ENV_ALIASES[a] !== undefined));
  for (const name of names) {
    const raw = env[name];
    if (!name.startsWith('M2M_') || raw === undefined || name === CONFIG_FILE_ENV) continue;
    const source = `environment (${name})`;
    let dotted = ENV_ALIASES[name];
    if (dotted === undefined) {
      const section = sections.find((s) => name.startsWith(`M2M_${s.toUpperCase()}_`));
      if (section === undefined) continue;
      const key = name.slice(`M2M_${section}_`.length).toLowerCase();
      if (!SCHEMA[section][key]) {
        const envNames = Object.keys(SCHEMA[section]).map((k) => `M2M_${section}_${k}`.toUpperCase());
        problems.push({ source, key: `${section}.${key}`, problem: unknown('environment variable', name, envNames) });
        continue;
      }
      dotted = `${section}.${key}`;
    }
    setText(layer, dotted, raw, source, problems);
  }
  return layer;
}

/** Flags as dotted keys (`{"http.port": "3001", "security.blocking": true}`). */
export function layerFromFlags(flags: Readonly<Record<string, unknown>>, problems: ConfigProblem[]): Layer {
  const layer: Layer = { values: new Map() };
  for (const [dotted, raw] of Object.entries(flags)) {
    if (raw === undefined) continue;
    const source = `flag (${dotted})`;
    const [section, key, extra] = dotted.split('.');
    if (extra !== undefined || !SCHEMA[section]?.[key]) {
      problems.push({ source, key: dotted, problem: 'unknown key' });
      continue;
    }
    setText(layer, dotted, raw, source, problems);
  }
  return layer;
}

function setText(layer: Layer, dotted: string, raw: unknown, source: string, problems: ConfigProblem[]): void {
  const [section, key] = dotted.split('.');
  const r = coerce(SCHEMA[section][key], raw, true);
  if (r.ok) layer.values.set(dotted, { value: r.value, source });
  else problems.push({ source, key: dotted, problem: r.problem });
}
