/**
 * systemd integration: readiness/state notifications and socket activation.
 * Node cannot send unix datagrams itself, so notifications go through
 * `systemd-notify` (which waits until systemd has processed the message, so the
 * short-lived sender is not a race with `NotifyAccess=all`).
 *
 * How to wire me (daemon/daemon.ts):
 * ```ts
 * await listenersUp();
 * await systemdNotify('READY=1');                          // no-op outside systemd (m2md.service is Type=notify)
 * const fd = listenFds().find((f) => f.name === 'agent');   // m2md.socket handed us the agent socket
 * if (fd) agentServer.listen({ fd: fd.fd }); else agentServer.listen(config.agent.socket_path);
 * ```
 */
import { execFile } from 'node:child_process';

/** First file descriptor systemd passes (SD_LISTEN_FDS_START). */
export const LISTEN_FDS_START = 3;

export interface NotifyOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** @default "systemd-notify" */
  command?: string;
  /** Runs the command (tests pass a fake). */
  run?: (command: string, args: string[]) => Promise<void>;
}

function runCommand(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 5000 }, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Sends `READY=1`, `STOPPING=1`, `RELOADING=1`, `STATUS=…` to systemd. Resolves to false
 * (doing nothing) when not started by systemd with `Type=notify` (no `$NOTIFY_SOCKET`).
 * @throws the command's error when systemd-notify fails
 */
export async function systemdNotify(state: string, options: NotifyOptions = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  if (!env.NOTIFY_SOCKET) return false;
  // Waits (no --no-block) until systemd has read the message, so the short-lived sender is no race.
  const args = state === 'READY=1' ? ['--ready'] : [state];
  await (options.run ?? runCommand)(options.command ?? 'systemd-notify', args);
  return true;
}

/** One socket systemd passed to this process. */
export interface ListenFd {
  fd: number;
  /** `FileDescriptorName=` from the .socket unit (`unknown` when unnamed). */
  name: string;
}

/** Sockets passed by systemd socket activation for this process (empty when none). */
export function listenFds(env: Readonly<Record<string, string | undefined>> = process.env, pid: number = process.pid): ListenFd[] {
  if (env.LISTEN_PID !== String(pid)) return [];
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count <= 0 || count > 64) return [];
  const names = (env.LISTEN_FDNAMES ?? '').split(':');
  return Array.from({ length: count }, (_, i) => ({ fd: LISTEN_FDS_START + i, name: names[i] || 'unknown' }));
}
