import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const unitDir = join(import.meta.dirname, '../../../daemon/systemd');
const service = readFileSync(join(unitDir, 'm2md.service'), 'utf8');
const socket = readFileSync(join(unitDir, 'm2md.socket'), 'utf8');

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const analyze = hasSystemdAnalyze();
const work = mkdtempSync(join(tmpdir(), 'm2m-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `Key=value` lines of one [Section]. */
function section(text: string, name: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      current = head[1];
      continue;
    }
    if (current !== name) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

describe('m2md.service', () => {
  const s = section(service, 'Service');
  it('runs as a notify service as a dedicated user with a runtime directory', () => {
    expect(s.get('Type')).toEqual(['notify']);
    expect(s.get('NotifyAccess')).toEqual(['all']);
    expect(s.get('User')).toEqual(['m2m']);
    expect(s.get('RuntimeDirectory')).toEqual(['m2m']);
    expect(s.get('ExecReload')?.[0]).toContain('-HUP');
  });

  it('is hardened', () => {
    for (const [k, v] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['PrivateTmp', 'yes'],
      ['ProtectHome', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['RestrictAddressFamilies', 'AF_UNIX AF_INET AF_INET6'],
    ]) {
      expect(s.get(k), k).toEqual([v]);
    }
  });

  it('the socket unit listens on the daemon default path under systemd', () => {
    const sock = section(socket, 'Socket');
    expect(sock.get('ListenStream')).toEqual(['/run/m2m/agent.sock']);
    expect(sock.get('SocketMode')).toEqual(['0660']);
    expect(sock.get('FileDescriptorName')).toEqual(['agent']);
  });

  it.skipIf(!analyze)('parses cleanly with systemd-analyze verify (skipped when systemd-analyze is not installed)', () => {
    // verify insists that ExecStart exists; point it at node for the check.
    writeFileSync(join(work, 'm2md.service'), service.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
    writeFileSync(join(work, 'm2md.socket'), socket);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(work, 'm2md.service'), join(work, 'm2md.socket')], { encoding: 'utf8', timeout: 20_000 });
    const ours = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(work));
    expect(ours).toEqual([]);
    expect(r.status).toBe(0);
  });

  it.skipIf(!analyze)('the verify check does catch a misspelt key', () => {
    writeFileSync(join(work, 'bad.service'), service.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`).replace('NoNewPrivileges=', 'NoNewPrivilegs='));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(work, 'bad.service')], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toContain("Unknown key 'NoNewPrivilegs'");
  });
});
