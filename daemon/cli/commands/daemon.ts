/** `m2m daemon`: run the session daemon in the foreground (also the `m2md` bin). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FLAG_HELP, CONFIG_FLAG_OPTIONS, flagsFromArgs, loadConfig } from '../../config/index.js';
import { startDaemon, type Daemon } from '../../daemon.js';
import { installSignalHandlers } from '../../shutdown.js';
import { systemdNotify } from '../../systemd/notify.js';
import { out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m daemon [options]      (same as: m2md [options])

Runs the M2M session daemon in the foreground: the agent unix socket, the HTTP
API, the peer listeners (WebSocket, QUIC, WebTransport) and the static peers.
Prints where it listens, then logs (JSON, or pretty on a terminal).
SIGTERM/SIGINT: stop accepting, flush queues within shutdown.grace_ms, close
peer sessions with SERVER_SHUTDOWN, exit 0 (1 if the grace period ran out);
a second signal exits 1 at once. SIGHUP reloads peers and thresholds.

Options:
${CONFIG_FLAG_HELP}
      --dev            development defaults: also a QUIC listener on
                       quic://127.0.0.1:7401 with the certificates in
                       ./certs/dev (made by \`make certs\`), when present`;

/** Config overrides for `--dev` (below user flags in precedence). */
export function devFlags(certDir = resolve('certs', 'dev')): Record<string, unknown> {
  if (!existsSync(join(certDir, 'server.crt'))) return {};
  return {
    'listen.quic': 'quic://127.0.0.1:7401',
    'listen.tls_cert': join(certDir, 'server.crt'),
    'listen.tls_key': join(certDir, 'server.key'),
    'listen.tls_ca': join(certDir, 'ca.crt'),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...CONFIG_FLAG_OPTIONS, dev: { type: 'boolean' } });
  const file = values.config as string | undefined;
  const flags = () => ({ ...(values.dev ? devFlags() : {}), ...flagsFromArgs(values) });
  const config = loadConfig({ file, flags: flags() });
  const daemon: Daemon = await startDaemon(config);
  out(`m2md: node "${daemon.nodeId}" is running`);
  out(`  agent socket   ${daemon.agentSocket}`);
  if (daemon.httpUrl) out(`  http api       ${daemon.httpUrl}  (GET /health /status /metrics)`);
  for (const url of daemon.listening) out(`  peer listener  ${url}`);
  for (const p of config.peers) out(`  static peer    ${p.id} at ${p.url}`);
  out(`  security       ${config.security.enabled ? `scanning, threshold ${config.security.block_threshold}, ${config.security.blocking ? 'blocking' : 'not blocking'}` : 'off'}`);

  void systemdNotify('READY=1').catch(() => undefined);
  // The handlers exit the process: 0 after a clean drain, 1 on timeout, failure or a second signal.
  installSignalHandlers({
    logger: daemon.logger.child({ component: 'shutdown' }),
    // A little over the drain's own grace, so a drain that gives up still closes links before exit.
    graceMs: config.shutdown.grace_ms + 2000,
    notify: (state) => systemdNotify(state),
    onShutdown: async () => {
      const flushed = await daemon.stop(config.shutdown.grace_ms);
      if (!flushed) throw new Error('queues not flushed within shutdown.grace_ms');
    },
    onReload: () => daemon.reload(loadConfig({ file, flags: flags() })),
  });
  return new Promise<number>(() => undefined);
}
