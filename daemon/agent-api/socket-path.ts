/**
 * Where the agent socket lives and how a leftover socket file is handled.
 */
import { connect } from 'node:net';
import { lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { M2MError } from '../../protocol/errors.js';

/** Socket path under systemd (RuntimeDirectory=m2m). */
export const SYSTEMD_SOCKET_PATH = '/run/m2m/agent.sock';

/**
 * Default agent socket path, the same rule as the config default (daemon/config/defaults.ts,
 * repeated here so the client does not load the config and classifier modules):
 * `$RUNTIME_DIRECTORY/agent.sock` under systemd, else `$XDG_RUNTIME_DIR/m2m/agent.sock`,
 * else `/run/m2m/agent.sock` for root, else `<tmpdir>/m2m-<uid>/agent.sock`.
 */
export function defaultAgentSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUNTIME_DIRECTORY) return join(env.RUNTIME_DIRECTORY.split(':')[0], 'agent.sock');
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'm2m', 'agent.sock');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid === 0) return SYSTEMD_SOCKET_PATH;
  return join(tmpdir(), `m2m-${uid}`, 'agent.sock');
}

/** True when something accepts connections on the unix socket at `path`. */
export function socketIsAlive(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (alive: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Make the socket's directory (mode 0750 when created) and remove a stale socket
 * file left by a daemon that died. A live socket is never touched.
 * @throws M2MError SOCKET_IN_USE when another daemon listens there, or when the path is not a socket
 */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isSocket()) throw new M2MError('SOCKET_IN_USE', `${path} exists and is not a socket; refusing to replace it`);
  if (await socketIsAlive(path)) throw new M2MError('SOCKET_IN_USE', `another daemon is listening on ${path}`);
  await unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}
