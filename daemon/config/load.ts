/**
 * Loads the daemon configuration.
 *
 * How to wire me (daemon/daemon.ts, CLI commands):
 * ```ts
 * const config = loadConfig({ file: values.config, env: process.env, flags: flagsFromArgs(values) });
 * // config is deeply frozen; read config.http.port, config.security.block_threshold, config.peers …
 * ```
 * Precedence: built-in defaults < `/etc/m2m/config.toml` < `~/.m2m/config.toml`
 * (or only `--config FILE` / `$M2M_CONFIG` when given) < `M2M_*` environment < flags.
 * Every problem in every source is reported together in one `CONFIG_INVALID` error
 * that names the key and the file (or variable, or flag) it came from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { M2MError } from '../../protocol/errors.js';
import { buildMapping } from '../../protocol/toon/mappings.js';
import { CONFIG_FILE_ENV, type DaemonConfig, type PeerConfig } from './schema.js';
import { defaultConfig } from './defaults.js';
import { layerFromEnv, layerFromFlags, layerFromToml, type ConfigProblem, type Layer } from './layers.js';

/** Largest config file read. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** System-wide config file. */
export const SYSTEM_CONFIG_FILE = '/etc/m2m/config.toml';

export interface LoadConfigOptions {
  /** Read only this file (must exist) instead of the standard locations. Also `$M2M_CONFIG`. */
  file?: string;
  /** Environment to read `M2M_*` from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Highest-precedence overrides as dotted keys: `{ 'http.port': 3001 }`; strings are parsed like env values. */
  flags?: Readonly<Record<string, unknown>>;
  /** Standard locations, lowest precedence first. @default [SYSTEM_CONFIG_FILE, `$HOME/.m2m/config.toml`] */
  searchPaths?: readonly string[];
}

export interface LoadedConfig {
  config: DaemonConfig;
  /** Files that were read, in precedence order. */
  files: string[];
  /** Where each explicitly set key came from (`section.key` → file, `environment (M2M_X)` or `flag (…)`). */
  origins: Readonly<Record<string, string>>;
}

/** Default standard locations for an environment. */
export function standardConfigPaths(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return [SYSTEM_CONFIG_FILE, join(env.HOME || homedir(), '.m2m', 'config.toml')];
}

/**
 * Loads, validates and freezes the configuration.
 * @throws M2MError `CONFIG_NOT_FOUND` when the explicit file is missing, `CONFIG_INVALID` listing every problem
 */
export function loadConfig(options: LoadConfigOptions = {}): DaemonConfig {
  return loadConfigWithSources(options).config;
}

/** Like {@link loadConfig}, and also says which files and sources set what. */
export function loadConfigWithSources(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const layers: Layer[] = [];
  const files: string[] = [];
  const explicit = options.file ?? (env[CONFIG_FILE_ENV] || undefined);
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new M2MError('CONFIG_NOT_FOUND', `config file not found: ${explicit}`, { source: explicit });
    layers.push(readConfigFile(explicit, problems));
    files.push(explicit);
  } else {
    for (const path of options.searchPaths ?? standardConfigPaths(env)) {
      if (!existsSync(path)) continue;
      layers.push(readConfigFile(path, problems));
      files.push(path);
    }
  }
  layers.push(layerFromEnv(env, problems));
  layers.push(layerFromFlags(options.flags ?? {}, problems));

  const merged = defaultConfig(env) as unknown as Record<string, Record<string, unknown>>;
  const origins: Record<string, string> = {};
  let peers: readonly PeerConfig[] = [];
  for (const layer of layers) {
    for (const [dotted, { value, source }] of layer.values) {
      const [section, key] = dotted.split('.');
      merged[section][key] = value;
      origins[dotted] = source;
    }
    if (layer.peers) {
      peers = layer.peers.value;
      origins.peers = layer.peers.source;
    }
    for (const [name, t] of Object.entries(layer.toonTables ?? {})) {
      merged.toon[name] = t.value;
      origins[`toon.${name}`] = t.source;
    }
  }
  (merged as Record<string, unknown>).peers = peers;
  const config = merged as unknown as DaemonConfig;
  if (problems.length === 0) crossCheck(config, origins, problems);
  if (problems.length > 0) throw configError(problems);
  (config.auth as { psk: string }).psk = readSecretFile(config.auth.psk_file, 'auth.psk_file', origins) ?? config.auth.psk;
  (config.http as { token: string }).token = readSecretFile(config.http.token_file, 'http.token_file', origins) ?? config.http.token;
  return { config: deepFreeze(config), files, origins: Object.freeze(origins) };
}

/**
 * Checks one TOML file on its own (for `m2m config check FILE`): syntax, keys, types.
 * @throws M2MError `CONFIG_NOT_FOUND` or `CONFIG_INVALID`
 */
export function checkConfigFile(path: string): void {
  if (!existsSync(path)) throw new M2MError('CONFIG_NOT_FOUND', `config file not found: ${path}`, { source: path });
  loadConfigWithSources({ file: path, env: {}, flags: {} });
}

/** First line of a secret file (≥ 16 characters), or undefined when no file is set. @throws M2MError CONFIG_INVALID */
function readSecretFile(path: string, key: string, origins: Record<string, string>): string | undefined {
  if (path === '') return undefined;
  const source = origins[key];
  let first: string;
  try {
    first = readFileSync(path, 'utf8').split(/\r?\n/)[0].trim();
  } catch (e) {
    throw configError([{ source, key, problem: `cannot read ${path}: ${(e as Error).message}` }]);
  }
  if (first.length < 16) throw configError([{ source, key, problem: 'the secret in this file must be at least 16 characters' }]);
  return first;
}

/** True for addresses only this host can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function readConfigFile(path: string, problems: ConfigProblem[]): Layer {
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_FILE_BYTES) {
      problems.push({ source: path, key: '(file)', problem: `larger than ${MAX_CONFIG_FILE_BYTES} bytes` });
      return { values: new Map() };
    }
    return layerFromToml(readFileSync(path, 'utf8'), path, problems);
  } catch (e) {
    problems.push({ source: path, key: '(file)', problem: `cannot read: ${(e as Error).message}` });
    return { values: new Map() };
  }
}

function crossCheck(c: DaemonConfig, origins: Record<string, string>, problems: ConfigProblem[]): void {
  const src = (key: string): string => origins[key] ?? 'defaults';
  const tlsListeners = (['quic', 'webtransport'] as const).filter((k) => c.listen[k] !== '');
  if (c.listen.ws.startsWith('wss:')) tlsListeners.push('ws' as never);
  for (const k of tlsListeners) {
    for (const f of ['tls_cert', 'tls_key'] as const) {
      if (c.listen[f] === '') problems.push({ source: src(`listen.${k}`), key: `listen.${f}`, problem: `is required by listen.${k} = ${JSON.stringify(c.listen[k])}` });
    }
  }
  const files: [string, string][] = [
    ['listen.tls_cert', c.listen.tls_cert],
    ['listen.tls_key', c.listen.tls_key],
    ['listen.tls_ca', c.listen.tls_ca],
    ['auth.psk_file', c.auth.psk_file],
    ['auth.client_cert', c.auth.client_cert],
    ['auth.client_key', c.auth.client_key],
    ['http.token_file', c.http.token_file],
    ...c.peers.map((p, i): [string, string] => [`peers[${i}].tls_ca`, p.tls_ca]),
  ];
  for (const [key, path] of files) {
    if (path !== '' && !existsSync(path)) problems.push({ source: src(key.startsWith('peers') ? 'peers' : key), key, problem: `file not found: ${path}` });
  }
  for (const [value, file, key, fileKey] of [
    [c.auth.psk, c.auth.psk_file, 'auth.psk', 'auth.psk_file'],
    [c.http.token, c.http.token_file, 'http.token', 'http.token_file'],
  ] as const) {
    if (value !== '' && file !== '') problems.push({ source: src(fileKey), key: fileKey, problem: `set either ${key} or ${fileKey}, not both` });
    if (value !== '' && value.length < 16) problems.push({ source: src(key), key, problem: 'must be at least 16 characters' });
  }
  if (c.http.enabled && !isLoopbackHost(c.http.host) && c.http.token === '' && c.http.token_file === '') {
    problems.push({ source: src('http.host'), key: 'http.host', problem: `${JSON.stringify(c.http.host)} is reachable from other hosts: set http.token or http.token_file so the API is not open to the network` });
  }
  if ((c.auth.client_cert === '') !== (c.auth.client_key === '')) {
    const missing = c.auth.client_cert === '' ? 'auth.client_cert' : 'auth.client_key';
    problems.push({ source: src(missing === 'auth.client_cert' ? 'auth.client_key' : 'auth.client_cert'), key: missing, problem: 'client_cert and client_key go together' });
  }
  if (c.listen.require_client_cert && c.listen.tls_ca === '') {
    problems.push({ source: src('listen.require_client_cert'), key: 'listen.require_client_cert', problem: 'needs listen.tls_ca (the CA that signs peer certificates)' });
  }
  const ids = new Set<string>();
  c.peers.forEach((p, i) => {
    if (p.id === c.node.id) problems.push({ source: src('peers'), key: `peers[${i}].id`, problem: `is this node's own id (node.id = ${JSON.stringify(c.node.id)})` });
    if (ids.has(p.id)) problems.push({ source: src('peers'), key: `peers[${i}].id`, problem: `duplicate peer id ${JSON.stringify(p.id)}` });
    ids.add(p.id);
    if (p.psk !== '' && p.psk.length < 16) problems.push({ source: src('peers'), key: `peers[${i}].psk`, problem: 'must be at least 16 characters' });
    if (p.cert_sha256 !== '' && !certHashes(p.cert_sha256).every((h) => /^[0-9a-f]{64}$/.test(h))) {
      problems.push({ source: src('peers'), key: `peers[${i}].cert_sha256`, problem: 'must be hex SHA-256 hashes (64 hex digits each, colons allowed), separated by commas' });
    }
  });
  try {
    // The TOON codec's own rules (code length, uniqueness, no `~`), so the error names the config key.
    buildMapping({ customKeys: { ...c.toon.custom_key_mappings }, customValues: { ...c.toon.custom_value_abbreviations } });
  } catch (e) {
    const key = /value/.test((e as Error).message) ? 'toon.custom_value_abbreviations' : 'toon.custom_key_mappings';
    problems.push({ source: src(key), key, problem: (e as Error).message });
  }
  if (c.session.reconnect_initial_ms > c.session.reconnect_max_ms) {
    problems.push({ source: src('session.reconnect_initial_ms'), key: 'session.reconnect_initial_ms', problem: `must not exceed session.reconnect_max_ms (${c.session.reconnect_max_ms})` });
  }
}

/** The hashes of a `cert_sha256` value: lower-case hex, colons and spaces removed. */
export function certHashes(value: string): string[] {
  return value.split(',').map((h) => h.replace(/[:\s]/g, '').toLowerCase()).filter((h) => h !== '');
}

/** One error for all problems: first line names the first key and source; details carry the full list. */
export function configError(problems: ConfigProblem[]): M2MError {
  const lines = problems.map((p) => `${p.source}: ${p.key}: ${p.problem}`);
  const head = problems.length === 1 ? `invalid config: ${lines[0]}` : `invalid config (${problems.length} problems):\n  ${lines.join('\n  ')}`;
  const first = problems[0];
  return new M2MError('CONFIG_INVALID', head, { key: first.key, source: first.source, problems });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
