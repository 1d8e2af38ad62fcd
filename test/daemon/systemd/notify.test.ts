import { describe, expect, it } from 'vitest';
import { listenFds, systemdNotify } from '../../../daemon/systemd/notify.js';

describe('systemdNotify', () => {
  it('does nothing outside systemd', async () => {
    const calls: string[][] = [];
    expect(await systemdNotify('READY=1', { env: {}, run: async (_c, a) => void calls.push(a) })).toBe(false);
    expect(calls).toEqual([]);
  });

  it('calls systemd-notify --ready, or passes other states through', async () => {
    const calls: [string, string[]][] = [];
    const run = async (c: string, a: string[]) => void calls.push([c, a]);
    const env = { NOTIFY_SOCKET: '/run/systemd/notify' };
    expect(await systemdNotify('READY=1', { env, run })).toBe(true);
    await systemdNotify('STOPPING=1', { env, run });
    expect(calls).toEqual([
      ['systemd-notify', ['--ready']],
      ['systemd-notify', ['STOPPING=1']],
    ]);
  });
});

describe('listenFds', () => {
  it('returns named fds from 3 only when LISTEN_PID is this process', () => {
    expect(listenFds({ LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'agent:http' }, 42)).toEqual([
      { fd: 3, name: 'agent' },
      { fd: 4, name: 'http' },
    ]);
    expect(listenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42)).toEqual([]);
    expect(listenFds({ LISTEN_PID: '42', LISTEN_FDS: 'x' }, 42)).toEqual([]);
    expect(listenFds({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42)).toEqual([{ fd: 3, name: 'unknown' }]);
  });
});
