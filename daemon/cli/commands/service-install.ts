/** `m2m service install`: installs the systemd units, the m2m system user and an example config. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_BAD_INPUT, EXIT_OK, err, out, parseCommandArgs } from '../command.js';
import { DAEMON_NODE_FLAGS } from '../node-flags.js';

export const help = `Usage: m2m service install [options]

Installs m2md as a systemd service:
  /etc/systemd/system/m2md.service   Type=notify, user m2m, RuntimeDirectory=m2m, hardened
  /etc/systemd/system/m2md.socket    optional socket activation of /run/m2m/agent.sock
  /etc/sysusers.d/m2m.conf           the dedicated m2m user and group
  /etc/m2m/config.toml               example configuration (never overwritten)
then prints the commands that create the user and start the service.
Needs root unless --root or --dry-run.

Options:
      --root DIR     install under DIR instead of / (packaging, tests)
      --bin CMD      ExecStart command for m2md (default: m2md on PATH, else node + this package's dist/daemon/cli/m2md.js)
      --dry-run      print what would be written, write nothing
      --force        overwrite existing unit files (config.toml is never overwritten)`;

/** The package root: the nearest directory above this file with the m2m package.json. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'm2m') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the m2m package root');
    dir = up;
  }
}

function onPath(name: string, pathVar: string | undefined): string | undefined {
  for (const d of (pathVar ?? '').split(':')) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  return undefined;
}

/** The unit text with `ExecStart=command`; ProtectHome relaxed when the binary lives in a home directory. */
export function renderService(template: string, command: string): string {
  let text = template.replace(/^ExecStart=.*$/m, `ExecStart=${command}`);
  if (/(^|\s)\/(home|root)\//.test(command)) {
    text = text.replace(/^ProtectHome=yes$/m, '# The daemon is installed under a home directory, so homes stay readable.\nProtectHome=read-only');
  }
  return text;
}

export interface InstallFile {
  path: string;
  content: string;
  /** Never replaced when present. */
  keep: boolean;
}

/** Everything `service install` writes, relative to `root`. */
export function planInstall(root: string, command: string, pkg: string = packageRoot()): InstallFile[] {
  const src = (f: string) => readFileSync(join(pkg, 'daemon', 'systemd', f), 'utf8');
  return [
    { path: join(root, 'etc/systemd/system/m2md.service'), content: renderService(src('m2md.service'), command), keep: false },
    { path: join(root, 'etc/systemd/system/m2md.socket'), content: src('m2md.socket'), keep: false },
    { path: join(root, 'etc/sysusers.d/m2m.conf'), content: src('m2m.sysusers.conf'), keep: false },
    { path: join(root, 'etc/m2m/config.toml'), content: src('config.example.toml'), keep: true },
  ];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { root: { type: 'string' }, bin: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } });
  const root = resolve((values.root as string | undefined) ?? '/');
  const dry = values['dry-run'] === true;
  if (!dry && root === '/' && typeof process.getuid === 'function' && process.getuid() !== 0) {
    err('m2m service install: writing to /etc needs root (run with sudo, or use --root DIR or --dry-run)');
    return EXIT_BAD_INPUT;
  }
  const pkg = packageRoot();
  const bin = (values.bin as string | undefined) ?? onPath('m2md', process.env.PATH) ?? `${[process.execPath, ...DAEMON_NODE_FLAGS, join(pkg, 'dist/daemon/cli/m2md.js')].join(' ')}`;
  const bin0 = bin.split(' ')[0];
  if (!existsSync(bin0)) err(`warning: ${bin0} does not exist yet (build or install the package first)`);
  for (const f of planInstall(root, `${bin} --config /etc/m2m/config.toml`, pkg)) {
    const exists = existsSync(f.path);
    if (exists && (f.keep || values.force !== true)) {
      out(`kept      ${f.path}${f.keep ? '' : ' (exists; --force replaces it)'}`);
      continue;
    }
    if (dry) {
      out(`would write ${f.path}`);
      continue;
    }
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content, { mode: f.path.endsWith('config.toml') ? 0o640 : 0o644 });
    out(`wrote     ${f.path}`);
  }
  out(`
Next steps (as root):
  systemd-sysusers                       # creates the m2m user and group
  chgrp m2m /etc/m2m/config.toml         # the daemon reads its config as user m2m
  systemctl daemon-reload
  systemctl enable --now m2md.service    # or m2md.socket for socket activation of /run/m2m/agent.sock
  journalctl -u m2md -f                  # logs (JSON lines)
Agents connect to /run/m2m/agent.sock; add their users to group m2m (usermod -aG m2m USER).
Reload peers and thresholds with: systemctl reload m2md`);
  return EXIT_OK;
}
