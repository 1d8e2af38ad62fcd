import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installSignalHandlers, type SignalHandle, type ShutdownOptions } from '../../../daemon/shutdown.js';
import { silentLogger } from '../../../daemon/log.js';

let source: EventEmitter;
let exits: number[];
let notes: string[];
let handle: SignalHandle | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  source = new EventEmitter();
  exits = [];
  notes = [];
});
afterEach(() => {
  handle?.dispose();
  handle = undefined;
  vi.useRealTimers();
});

function install(over: Partial<ShutdownOptions>): SignalHandle {
  handle = installSignalHandlers({
    logger: silentLogger(),
    graceMs: 1000,
    onShutdown: async () => undefined,
    exit: (c) => exits.push(c),
    notify: (s) => notes.push(s),
    source,
    ...over,
  });
  return handle;
}

describe('installSignalHandlers', () => {
  it('SIGTERM runs onShutdown and exits 0 when it finishes in time', async () => {
    const seen: string[] = [];
    const h = install({
      onShutdown: async (signal) => {
        seen.push(signal);
        await new Promise((r) => setTimeout(r, 500));
      },
    });
    source.emit('SIGTERM', 'SIGTERM');
    expect(h.shuttingDown).toBe(true);
    expect(seen).toEqual(['SIGTERM']);
    expect(notes).toEqual(['STOPPING=1']);
    await vi.advanceTimersByTimeAsync(499);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when the grace period runs out, and aborts the deadline signal', async () => {
    let deadline: AbortSignal | undefined;
    install({
      onShutdown: (_s, d) => {
        deadline = d;
        return new Promise(() => undefined);
      },
    });
    source.emit('SIGINT', 'SIGINT');
    await vi.advanceTimersByTimeAsync(999);
    expect(exits).toEqual([]);
    expect(deadline?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
    expect(deadline?.aborted).toBe(true);
  });

  it('a second signal exits 1 immediately', async () => {
    install({ onShutdown: () => new Promise(() => undefined) });
    source.emit('SIGTERM', 'SIGTERM');
    source.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([1]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(exits).toEqual([1]);
  });

  it('a failing onShutdown exits 1', async () => {
    install({ onShutdown: async () => Promise.reject(new Error('boom')) });
    source.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([1]);
  });

  it('SIGHUP reloads, never overlapping; a failed reload is survived', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const h = install({
      onReload: async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 100));
        running--;
        if (calls === 1) throw new Error('bad config');
      },
    });
    source.emit('SIGHUP', 'SIGHUP');
    source.emit('SIGHUP', 'SIGHUP');
    source.emit('SIGHUP', 'SIGHUP');
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
    expect(notes).toEqual(['RELOADING=1', 'READY=1', 'RELOADING=1', 'READY=1']);
    expect(exits).toEqual([]);
    expect(h.shuttingDown).toBe(false);
  });

  it('SIGHUP during shutdown is ignored; programmatic shutdown behaves like a signal', async () => {
    let reloads = 0;
    const h = install({ onReload: () => void reloads++, onShutdown: () => new Promise((r) => setTimeout(r, 10)) });
    h.shutdown('fatal error');
    source.emit('SIGHUP', 'SIGHUP');
    await vi.advanceTimersByTimeAsync(10);
    expect(reloads).toBe(0);
    expect(exits).toEqual([0]);
  });

  it('dispose removes every listener', () => {
    const h = install({});
    expect(source.listenerCount('SIGTERM')).toBe(1);
    expect(source.listenerCount('SIGHUP')).toBe(1);
    h.dispose();
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT') + source.listenerCount('SIGHUP')).toBe(0);
  });
});
