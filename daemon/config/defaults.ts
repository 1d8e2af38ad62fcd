/** Built-in defaults that depend on the host (node id, socket directory). */
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUSED_THRESHOLD } from '../../inference/fused-classifier.js';
import type { DaemonConfig } from './schema.js';

/** A node id derived from the host name (invalid characters become `-`). */
export function defaultNodeId(host: string = hostname()): string {
  const id = host.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64);
  return id.length > 0 ? id : 'm2m';
}

/** The agent socket path for this environment (see {@link DaemonConfig} `agent.socket_path`). */
export function defaultSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.RUNTIME_DIRECTORY) return join(env.RUNTIME_DIRECTORY.split(':')[0], 'agent.sock');
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'm2m', 'agent.sock');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid === 0) return '/run/m2m/agent.sock';
  return join(tmpdir(), `m2m-${uid}`, 'agent.sock');
}

const MiB = 1024 * 1024;

/** Built-in defaults; `env` supplies host-dependent ones (socket directory). */
export function defaultConfig(env: Readonly<Record<string, string | undefined>> = process.env): DaemonConfig {
  return {
    node: { id: defaultNodeId() },
    agent: { socket_path: defaultSocketPath(env), socket_mode: 0o660, max_line_bytes: MiB },
    http: { enabled: true, host: '127.0.0.1', port: 3000, body_limit: 10 * MiB, token: '', token_file: '' },
    listen: { ws: 'ws://127.0.0.1:7400', quic: '', webtransport: '', tls_cert: '', tls_key: '', tls_ca: '', require_client_cert: false },
    peers: [],
    auth: { psk: '', psk_file: '', client_cert: '', client_key: '' },
    queue: { max_per_peer: 10_000, max_bytes_per_peer: 64 * MiB },
    session: {
      hello_timeout_ms: 30_000,
      ping_interval_ms: 60_000,
      pong_timeout_ms: 10_000,
      max_missed_pongs: 3,
      closing_timeout_ms: 5_000,
      idle_timeout_ms: 300_000,
      reconnect_initial_ms: 250,
      reconnect_max_ms: 30_000,
    },
    shutdown: { grace_ms: 10_000 },
    compression: { enabled: true, default_algorithm: 'tokennative', brotli_threshold: 1024, encoding: 'cl100k', link_cpu_budget: 0.05 },
    security: { enabled: true, block_threshold: FUSED_THRESHOLD, blocking: false, model_path: '', pool_threads: 0 },
    log: { level: 'info', format: 'auto' },
    toon: { enabled: true, level: 'standard', gzip_threshold: 1024, custom_key_mappings: {}, custom_value_abbreviations: {} },
  };
}
