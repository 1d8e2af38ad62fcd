import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packageRoot, planInstall, renderService, run } from '../../../daemon/cli/commands/service-install.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-svc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stdout = '';
beforeEach(() => {
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('m2m service install', () => {
  it('renders ExecStart and relaxes ProtectHome only for binaries under /home', () => {
    const tpl = readFileSync(join(packageRoot(), 'daemon/systemd/m2md.service'), 'utf8');
    const sys = renderService(tpl, '/usr/bin/m2md --config /etc/m2m/config.toml');
    expect(sys).toMatch(/^ExecStart=\/usr\/bin\/m2md --config \/etc\/m2m\/config.toml$/m);
    expect(sys).toMatch(/^ProtectHome=yes$/m);
    const home = renderService(tpl, '/usr/bin/node /home/me/m2m/dist/daemon/cli/m2md.js');
    expect(home).toMatch(/^ProtectHome=read-only$/m);
    expect(home.match(/^ExecStart=/gm)).toHaveLength(1);
  });

  it('writes the units, sysusers entry and example config under --root, keeping an existing config', async () => {
    const root = join(dir, 'r1');
    expect(await run(['--root', root, '--bin', '/usr/bin/m2md'])).toBe(0);
    const unit = readFileSync(join(root, 'etc/systemd/system/m2md.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/bin/m2md --config /etc/m2m/config.toml');
    expect(existsSync(join(root, 'etc/systemd/system/m2md.socket'))).toBe(true);
    expect(readFileSync(join(root, 'etc/sysusers.d/m2m.conf'), 'utf8')).toMatch(/^u m2m /m);
    expect(statSync(join(root, 'etc/m2m/config.toml')).mode & 0o777).toBe(0o640);
    expect(stdout).toContain('systemctl enable --now m2md.service');
    writeFileSync(join(root, 'etc/m2m/config.toml'), '# mine\n');
    expect(await run(['--root', root, '--bin', '/usr/bin/m2md', '--force'])).toBe(0);
    expect(readFileSync(join(root, 'etc/m2m/config.toml'), 'utf8')).toBe('# mine\n');
  });

  it('--dry-run writes nothing', async () => {
    const root = join(dir, 'r2');
    expect(await run(['--root', root, '--dry-run', '--bin', '/usr/bin/m2md'])).toBe(0);
    expect(existsSync(root)).toBe(false);
    expect(stdout).toContain('would write');
  });

  it('plans the four files', () => {
    expect(planInstall('/x', '/usr/bin/m2md').map((f) => f.path)).toEqual(['/x/etc/systemd/system/m2md.service', '/x/etc/systemd/system/m2md.socket', '/x/etc/sysusers.d/m2m.conf', '/x/etc/m2m/config.toml']);
  });
});
