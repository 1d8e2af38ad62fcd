/** Builds daemon configs and starts daemons for end-to-end tests. */
import { join } from 'node:path';
import { loadConfig } from '../../../daemon/config/index.js';
import type { DaemonConfig } from '../../../daemon/config/schema.js';
import { startDaemon, type Daemon, type DaemonExtras } from '../../../daemon/daemon.js';
import { createLogger } from '../../../daemon/log.js';

export const PSK = 'e2e-shared-secret-0123456789';

export interface NodeSpec {
  id: string;
  dir: string;
  /** Listener URLs. */
  ws?: string;
  quic?: string;
  peers?: Array<{ id: string; url: string }>;
  blocking?: boolean;
  tls?: { cert: string; key: string; ca: string };
  extra?: Record<string, unknown>;
}

export function configFor(spec: NodeSpec): DaemonConfig {
  const flags: Record<string, unknown> = {
    'node.id': spec.id,
    'agent.socket_path': join(spec.dir, `${spec.id}.sock`),
    'http.enabled': 'false',
    'listen.ws': spec.ws ?? '',
    'listen.quic': spec.quic ?? '',
    'auth.psk': PSK,
    'security.blocking': spec.blocking ? 'true' : 'false',
    'session.reconnect_initial_ms': '20',
    'session.reconnect_max_ms': '200',
    'log.level': 'silent',
    ...(spec.tls ? { 'listen.tls_cert': spec.tls.cert, 'listen.tls_key': spec.tls.key, 'listen.tls_ca': spec.tls.ca } : {}),
    ...spec.extra,
  };
  const config = loadConfig({ env: {}, searchPaths: [], flags });
  if (!spec.peers?.length) return config;
  return { ...config, peers: spec.peers.map((p) => ({ id: p.id, url: p.url, psk: '', tls_ca: '', server_name: '', cert_sha256: '' })) };
}

export async function startNode(spec: NodeSpec, extras: DaemonExtras = {}): Promise<Daemon> {
  return startDaemon(configFor(spec), { logger: createLogger({ level: 'silent' }), ...extras });
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
