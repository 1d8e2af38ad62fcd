import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkConfigFile, loadConfig, loadConfigWithSources } from '../../../daemon/config/load.js';
import { isM2MError, type M2MError } from '../../../protocol/errors.js';
import { FUSED_THRESHOLD } from '../../../inference/fused-classifier.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function thrown(fn: () => unknown): M2MError {
  try {
    fn();
  } catch (e) {
    if (isM2MError(e)) return e;
    throw e;
  }
  throw new Error('expected an M2MError');
}

const noFiles = { searchPaths: [] as string[], env: {} };

describe('loadConfig', () => {
  it('returns the documented defaults when nothing is set', () => {
    const c = loadConfig({ ...noFiles, env: { XDG_RUNTIME_DIR: '/run/user/7' } });
    expect(c.http).toEqual({ enabled: true, host: '127.0.0.1', port: 3000, body_limit: 10 * 1024 * 1024, token: '', token_file: '' });
    expect(c.security).toEqual({ enabled: true, block_threshold: FUSED_THRESHOLD, blocking: false, model_path: '', pool_threads: 0 });
    expect(c.compression.default_algorithm).toBe('tokennative');
    expect(c.compression.brotli_threshold).toBe(1024);
    expect(c.agent.socket_path).toBe('/run/user/7/m2m/agent.sock');
    expect(c.agent.socket_mode).toBe(0o660);
    expect(c.peers).toEqual([]);
  });

  it('uses the systemd RuntimeDirectory for the socket when set', () => {
    const c = loadConfig({ ...noFiles, env: { RUNTIME_DIRECTORY: '/run/m2m', XDG_RUNTIME_DIR: '/run/user/7' } });
    expect(c.agent.socket_path).toBe('/run/m2m/agent.sock');
  });

  it('layers defaults < system file < user file < env < flags', () => {
    const sys = file('sys.toml', '[http]\nport = 4000\nhost = "127.0.0.2"\n[security]\nblock_threshold = 0.5\n[compression]\nbrotli_threshold = 2048\n');
    const user = file('user.toml', '[http]\nport = 4001\n[security]\nblocking = true\n');
    const r = loadConfigWithSources({
      searchPaths: [sys, user, join(dir, 'missing.toml')],
      env: { M2M_SERVER_PORT: '4002', M2M_SECURITY_BLOCK_THRESHOLD: '0.6' },
      flags: { 'http.port': 4003 },
    });
    expect(r.files).toEqual([sys, user]);
    expect(r.config.http.port).toBe(4003);
    expect(r.config.http.host).toBe('127.0.0.2');
    expect(r.config.security.block_threshold).toBe(0.6);
    expect(r.config.security.blocking).toBe(true);
    expect(r.config.compression.brotli_threshold).toBe(2048);
    expect(r.origins['http.port']).toBe('flag (http.port)');
    expect(r.origins['security.block_threshold']).toBe('environment (M2M_SECURITY_BLOCK_THRESHOLD)');
    expect(r.origins['security.blocking']).toBe(user);
  });

  it('reads the seed names and env variables', () => {
    const f = file('seed.toml', '[compression]\ndefault_algorithm = "token-native"\nbrotli_threshold = 1024\n\n[security]\nenabled = true\nblock_threshold = 0.8\n');
    const c = loadConfig({ file: f, env: { M2M_SECURITY_ENABLED: 'false', M2M_SERVER_PORT: '3100' } });
    expect(c.compression.default_algorithm).toBe('tokennative');
    expect(c.security.enabled).toBe(false);
    expect(c.http.port).toBe(3100);
  });

  it('an explicit file replaces the standard locations; $M2M_CONFIG does the same', () => {
    const sys = file('sys.toml', '[http]\nport = 4000\n');
    const mine = file('mine.toml', '[node]\nid = "alpha"\n');
    expect(loadConfig({ file: mine, searchPaths: [sys], env: {} }).http.port).toBe(3000);
    const c = loadConfig({ searchPaths: [sys], env: { M2M_CONFIG: mine } });
    expect(c.node.id).toBe('alpha');
    expect(c.http.port).toBe(3000);
  });

  it('fails with CONFIG_NOT_FOUND for a missing explicit file', () => {
    const e = thrown(() => loadConfig({ file: join(dir, 'nope.toml'), env: {} }));
    expect(e.code).toBe('CONFIG_NOT_FOUND');
    expect(e.message).toContain('nope.toml');
  });

  it('result is deeply frozen', () => {
    const f = file('p.toml', '[[peers]]\nid = "b"\nurl = "ws://127.0.0.1:7401"\n');
    const c = loadConfig({ file: f, env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.peers)).toBe(true);
    expect(Object.isFrozen(c.peers[0])).toBe(true);
    expect(() => {
      (c.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('parses peers with defaults for optional keys', () => {
    const f = file('p.toml', '[node]\nid = "a"\n[[peers]]\nid = "b"\nurl = "quic://127.0.0.1:7401"\n[[peers]]\nid = "c"\nurl = "wss://c.example:443"\nserver_name = "c.example"\n');
    const c = loadConfig({ file: f, env: {} });
    expect(c.peers).toEqual([
      { id: 'b', url: 'quic://127.0.0.1:7401', psk: '', tls_ca: '', server_name: '', cert_sha256: '' },
      { id: 'c', url: 'wss://c.example:443', psk: '', tls_ca: '', server_name: 'c.example', cert_sha256: '' },
    ]);
  });

  it('parses sizes, octal modes and toon mappings', () => {
    const f = file('s.toml', '[http]\nbody_limit = "2MiB"\n[agent]\nsocket_mode = "0600"\n[toon.custom_key_mappings]\nconversation_id = "cid"\n');
    const c = loadConfig({ file: f, env: { M2M_QUEUE_MAX_BYTES_PER_PEER: '1k' } });
    expect(c.http.body_limit).toBe(2 * 1024 * 1024);
    expect(c.agent.socket_mode).toBe(0o600);
    expect(c.queue.max_bytes_per_peer).toBe(1024);
    expect(c.toon.custom_key_mappings).toEqual({ conversation_id: 'cid' });
  });

  it('reads the PSK from auth.psk_file', () => {
    const k = file('psk', 'abcdefghijklmnopqrstuvwxyz\n');
    const c = loadConfig({ ...noFiles, flags: { 'auth.psk_file': k } });
    expect(c.auth.psk).toBe('abcdefghijklmnopqrstuvwxyz');
    const short = file('psk2', 'short\n');
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.psk_file': short } })).message).toContain('flag (auth.psk_file): auth.psk_file: the secret in this file must be at least 16');
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.psk_file': dir } })).message).toContain('cannot read');
  });
});

describe('security.pool_threads', () => {
  it('is set from M2M_SECURITY_POOL_THREADS and bounded', () => {
    expect(loadConfig({ ...noFiles, env: { M2M_SECURITY_POOL_THREADS: '2' } }).security.pool_threads).toBe(2);
    const e = thrown(() => loadConfig({ ...noFiles, env: { M2M_SECURITY_POOL_THREADS: '100' } }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('security.pool_threads');
  });
});

describe('loadConfig errors', () => {
  it('names the key and the file for a bad value', () => {
    const f = file('bad.toml', '[security]\nblock_threshold = 1.5\n');
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(f);
    expect(e.message).toContain('security.block_threshold');
    expect(e.details).toMatchObject({ key: 'security.block_threshold', source: f });
  });

  it('rejects unknown sections and keys with a hint', () => {
    const f = file('bad.toml', '[securty]\nenabled = true\n[http]\nprot = 3000\n');
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    expect(e.message).toContain('2 problems');
    expect(e.message).toMatch(/securty: unknown section \(did you mean security\?\)/);
    expect(e.message).toMatch(/http\.prot: unknown key \(did you mean port\?\)/);
  });

  it('rejects wrong TOML types (no silent coercion from files)', () => {
    const f = file('bad.toml', '[http]\nport = "3000"\n[security]\nblocking = "yes"\n');
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    const problems = (e.details as { problems: { key: string }[] }).problems.map((p) => p.key);
    expect(problems).toEqual(['http.port', 'security.blocking']);
  });

  it('reports a TOML syntax error with its line', () => {
    const f = file('bad.toml', '[http]\nport = = 3\n');
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    expect(e.message).toMatch(/line 2/);
    expect(e.message).toContain(f);
  });

  it('names the environment variable for a bad env value and for an unknown key in a known section', () => {
    const e = thrown(() => loadConfig({ ...noFiles, env: { M2M_SECURITY_BLOCK_THRESHOLD: 'high', M2M_HTTP_PROT: '1' } }));
    expect(e.message).toContain('environment (M2M_SECURITY_BLOCK_THRESHOLD)');
    expect(e.message).toContain('M2M_HTTP_PROT');
  });

  it('the canonical variable wins over the seed alias', () => {
    expect(loadConfig({ ...noFiles, env: { M2M_HTTP_PORT: '4100', M2M_SERVER_PORT: '4200' } }).http.port).toBe(4100);
    expect(loadConfig({ ...noFiles, env: { M2M_SERVER_PORT: '4200', M2M_HTTP_PORT: '4100' } }).http.port).toBe(4100);
  });

  it('ignores M2M_* variables that name no section', () => {
    expect(loadConfig({ ...noFiles, env: { M2M_SOMETHING_ELSE: 'x' } }).http.port).toBe(3000);
  });

  it('rejects bad flags', () => {
    const e = thrown(() => loadConfig({ ...noFiles, flags: { 'http.port': '70000', 'nope.key': 1 } }));
    expect(e.message).toContain('flag (http.port)');
    expect(e.message).toContain('nope.key');
  });

  it('checks peers: required keys, schemes, duplicates and own id', () => {
    const f = file(
      'p.toml',
      '[node]\nid = "a"\n[[peers]]\nid = "a"\nurl = "ws://x:1"\n[[peers]]\nid = "b"\nurl = "http://x:1"\n[[peers]]\nurl = "ws://y:1"\n[[peers]]\nid = "c"\nurl = "ws://c:1"\n[[peers]]\nid = "c"\nurl = "ws://c:2"\n',
    );
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    expect(e.message).toContain('peers[1].url');
    expect(e.message).toContain('peers[2].id: is required');
    const e2 = thrown(() => loadConfig({ file: file('q.toml', '[node]\nid = "a"\n[[peers]]\nid = "a"\nurl = "ws://x:1"\n[[peers]]\nid = "c"\nurl = "ws://c:1"\n[[peers]]\nid = "c"\nurl = "ws://c:2"\n'), env: {} }));
    expect(e2.message).toContain("peers[0].id: is this node's own id");
    expect(e2.message).toContain('peers[2].id: duplicate peer id');
  });

  it('requires TLS files for QUIC and missing files are named', () => {
    const e = thrown(() => loadConfig({ ...noFiles, flags: { 'listen.quic': 'quic://127.0.0.1:7401' } }));
    expect(e.message).toContain('listen.tls_cert: is required by listen.quic');
    const e2 = thrown(() => loadConfig({ ...noFiles, flags: { 'listen.tls_ca': join(dir, 'ca.pem') } }));
    expect(e2.message).toContain('file not found');
  });

  it('refuses an HTTP API reachable from other hosts without a token; reads token_file', () => {
    const e = thrown(() => loadConfig({ ...noFiles, flags: { 'http.host': '0.0.0.0' } }));
    expect(e.message).toContain('flag (http.host): http.host: "0.0.0.0" is reachable from other hosts');
    const t = file('token', 'tttttttttttttttttttttttt\n');
    const c = loadConfig({ ...noFiles, flags: { 'http.host': '0.0.0.0', 'http.token_file': t } });
    expect(c.http.token).toBe('tttttttttttttttttttttttt');
    expect(loadConfig({ ...noFiles, flags: { 'http.host': '::1' } }).http.host).toBe('::1');
    expect(loadConfig({ ...noFiles, flags: { 'http.host': '0.0.0.0', 'http.enabled': false } }).http.enabled).toBe(false);
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'http.token': 'short' } })).message).toContain('http.token: must be at least 16');
  });

  it('rejects a short PSK and psk together with psk_file', () => {
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.psk': 'short' } })).message).toContain('auth.psk: must be at least 16');
    const k = file('psk', 'abcdefghijklmnopqrstuvwxyz\n');
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.psk': 'abcdefghijklmnopqrstuvwxyz', 'auth.psk_file': k } })).message).toContain('not both');
  });

  it('checks pinned WebTransport certificate hashes', () => {
    const f = file('p.toml', `[[peers]]\nid = "w"\nurl = "https://w.example:4433/m2m"\ncert_sha256 = "${'ab'.repeat(32)}, ${'CD:'.repeat(31)}CD"\n`);
    expect(loadConfig({ file: f, env: {} }).peers[0].cert_sha256).toContain('ab');
    const bad = file('q.toml', '[[peers]]\nid = "w"\nurl = "https://w.example:4433/m2m"\ncert_sha256 = "abc"\n');
    expect(thrown(() => loadConfig({ file: bad, env: {} })).message).toContain('peers[0].cert_sha256: must be hex SHA-256');
  });

  it('wants client_cert with client_key, and tls_ca for require_client_cert', () => {
    const pem = file('c.pem', '-----BEGIN CERTIFICATE-----\n');
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.client_cert': pem } })).message).toContain('auth.client_key: client_cert and client_key go together');
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'auth.client_key': pem } })).message).toContain('auth.client_cert: client_cert and client_key go together');
    expect(loadConfig({ ...noFiles, flags: { 'auth.client_cert': pem, 'auth.client_key': pem } }).auth.client_cert).toBe(pem);
    expect(thrown(() => loadConfig({ ...noFiles, flags: { 'listen.require_client_cert': 'true' } })).message).toContain('listen.require_client_cert: needs listen.tls_ca');
  });

  it('checks toon tables with the TOON codec rules, naming the table and the file', () => {
    const f = file('t.toml', '[toon.custom_key_mappings]\nalpha = "q1"\nbeta = "q1"\n');
    const e = thrown(() => loadConfig({ file: f, env: {} }));
    expect(e.message).toContain(`${f}: toon.custom_key_mappings: TOON key code 'q1' is used for both`);
    const long = file('l.toml', '[toon.custom_key_mappings]\nalpha = "toolong"\n');
    expect(thrown(() => loadConfig({ file: long, env: {} })).message).toContain('longer than 3');
    const val = file('v.toml', '[toon.custom_value_abbreviations]\nsomething = "~x"\n');
    expect(thrown(() => loadConfig({ file: val, env: {} })).message).toContain('toon.custom_value_abbreviations');
    const typ = file('w.toml', '[toon.custom_value_abbreviations]\nsomething = 3\n');
    expect(thrown(() => loadConfig({ file: typ, env: {} })).message).toContain('toon.custom_value_abbreviations.something: must be a string');
  });

  it('reads toon level, gzip threshold and both tables', () => {
    const f = file('t2.toml', '[toon]\nlevel = "aggressive"\ngzip_threshold = "2k"\n[toon.custom_key_mappings]\nconversation_id = "cid"\n[toon.custom_value_abbreviations]\nin_progress = "ip"\n');
    const c = loadConfig({ file: f, env: {} });
    expect(c.toon).toEqual({ enabled: true, level: 'aggressive', gzip_threshold: 2048, custom_key_mappings: { conversation_id: 'cid' }, custom_value_abbreviations: { in_progress: 'ip' } });
  });

  it('checkConfigFile ignores the environment and validates the file alone', () => {
    const good = file('good.toml', '[http]\nport = 3001\n');
    expect(() => checkConfigFile(good)).not.toThrow();
    const bad = file('bad.toml', '[log]\nlevel = "loud"\n');
    expect(thrown(() => checkConfigFile(bad)).message).toContain('log.level');
  });
});
