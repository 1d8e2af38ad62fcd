/**
 * Signal handling, all in one place.
 *
 * - First SIGTERM or SIGINT: `onShutdown` runs (stop accepting, CLOSE sessions with
 *   SERVER_SHUTDOWN, flush queues). If it finishes within `graceMs` the process
 *   exits 0; if it throws or the grace period runs out, it exits 1.
 * - A second SIGTERM/SIGINT while shutting down exits 1 at once.
 * - SIGHUP: `onReload` (re-read config; peers and thresholds). Reloads never overlap;
 *   one arriving during another runs once after it. A failed reload is logged and
 *   the old config stays. SIGHUP during shutdown is ignored.
 *
 * How to wire me (daemon/daemon.ts):
 * ```ts
 * const signals = installSignalHandlers({
 *   logger: componentLogger(root, 'shutdown'),
 *   graceMs: config.shutdown.grace_ms,
 *   onShutdown: async (signal, deadline) => { router.stopAccepting(); await links.closeAll('SERVER_SHUTDOWN', deadline); await api.close(); },
 *   onReload: async () => { const next = loadConfig(opts); router.setPolicy(…); api.reload(next); links.setPeers(next.peers); },
 *   notify: systemdNotify,                          // ./systemd/notify.ts (STOPPING=1, RELOADING=1, READY=1)
 * });
 * ```
 */
import type { Logger } from './log.js';

/** What this module needs from `process` (tests pass an EventEmitter). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Time `onShutdown` may take before the process exits 1. */
  graceMs: number;
  /** Graceful stop; `deadline` aborts when the grace period ends. */
  onShutdown(signal: string, deadline: AbortSignal): Promise<void>;
  onReload?(): Promise<void> | void;
  /** systemd state notifications (`STOPPING=1`, `RELOADING=1`, `READY=1`); failures are ignored. */
  notify?(state: string): unknown;
  /** @default process.exit */
  exit?(code: number): void;
  /** @default process */
  source?: SignalSource;
  /** Signals that start a shutdown. @default ['SIGTERM', 'SIGINT'] */
  stopSignals?: NodeJS.Signals[];
}

export interface SignalHandle {
  /** Starts the same graceful shutdown a signal would (e.g. after a fatal error). */
  shutdown(reason: string): void;
  /** Triggers a reload as SIGHUP would; resolves when it (and any queued one) finished. */
  reload(): Promise<void>;
  readonly shuttingDown: boolean;
  /** Removes the handlers (tests; never needed in the daemon). */
  dispose(): void;
}

/** Exit code after a clean shutdown. */
export const EXIT_CLEAN = 0;
/** Exit code after a forced shutdown (second signal, timeout, or a failing `onShutdown`). */
export const EXIT_FORCED = 1;

export function installSignalHandlers(options: ShutdownOptions): SignalHandle {
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.logger;
  const stopSignals = options.stopSignals ?? ['SIGTERM', 'SIGINT'];
  let shuttingDown = false;
  let exited = false;
  let reloading: Promise<void> | undefined;
  let reloadAgain = false;

  const finish = (code: number): void => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  const notify = (state: string): void => {
    try {
      const r = options.notify?.(state);
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // systemd notifications are best effort
    }
  };

  function shutdown(reason: string): void {
    if (shuttingDown) {
      log.warn({ signal: reason }, 'second stop request: exiting now');
      finish(EXIT_FORCED);
      return;
    }
    shuttingDown = true;
    notify('STOPPING=1');
    log.info({ signal: reason, graceMs: options.graceMs }, 'shutting down');
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new Error('grace period expired'));
      log.error({ graceMs: options.graceMs }, 'shutdown did not finish within the grace period: exiting');
      finish(EXIT_FORCED);
    }, options.graceMs);
    options.onShutdown(reason, deadline.signal).then(
      () => {
        clearTimeout(timer);
        log.info('shutdown complete');
        finish(EXIT_CLEAN);
      },
      (e: unknown) => {
        clearTimeout(timer);
        log.error({ err: e }, 'shutdown failed');
        finish(EXIT_FORCED);
      },
    );
  }

  async function runReloads(): Promise<void> {
    do {
      reloadAgain = false;
      notify('RELOADING=1');
      try {
        await options.onReload?.();
        log.info('configuration reloaded');
      } catch (e) {
        log.error({ err: e }, 'reload failed: keeping the previous configuration');
      }
      notify('READY=1');
    } while (reloadAgain && !shuttingDown);
  }

  function reload(): Promise<void> {
    if (shuttingDown) return Promise.resolve();
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    reloading = runReloads().finally(() => {
      reloading = undefined;
    });
    return reloading;
  }

  const onStop = (signal: NodeJS.Signals): void => shutdown(signal);
  const onHup = (): void => {
    if (shuttingDown) {
      log.warn('SIGHUP ignored: shutting down');
      return;
    }
    log.info({ signal: 'SIGHUP' }, 'reloading configuration');
    void reload();
  };
  for (const s of stopSignals) source.on(s, onStop);
  source.on('SIGHUP', onHup);

  return {
    shutdown,
    reload,
    get shuttingDown() {
      return shuttingDown;
    },
    dispose() {
      for (const s of stopSignals) source.off(s, onStop);
      source.off('SIGHUP', onHup);
    },
  };
}
