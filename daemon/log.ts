/**
 * Structured logging (pino). JSON lines by default; human-readable (pino-pretty,
 * in-process, no worker thread) when stdout is a terminal or `log.format = "pretty"`.
 *
 * How to wire me:
 * ```ts
 * const root = createLogger({ level: config.log.level, format: config.log.format, name: config.node.id });
 * const log = componentLogger(root, 'router');                 // {"component":"router", …}
 * const peerLog = componentLogger(root, 'peer', { peer: 'b', session: sid });
 * ```
 * Library code takes a {@link Logger} as a parameter; tests pass {@link silentLogger}().
 */
import { createRequire } from 'node:module';
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config/schema.js';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** @default "auto" (pretty when `isTty`) */
  format?: LogFormat;
  /** Bound to every line as `node`. */
  name?: string;
  /** Where lines go. @default stdout */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Whether the destination is a terminal. @default process.stdout.isTTY */
  isTty?: boolean;
}

/** True when `format` resolves to pretty output. */
export function wantsPretty(format: LogFormat = 'auto', isTty: boolean = process.stdout.isTTY === true): boolean {
  return format === 'pretty' || (format === 'auto' && isTty);
}

/** The daemon's root logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const base = options.name !== undefined ? { node: options.name } : {};
  const common = {
    level: options.level ?? 'info',
    base,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: ['psk', '*.psk', 'auth.psk'], censor: '<redacted>' },
  };
  if (wantsPretty(options.format, options.isTty)) {
    // Loaded only when wanted: a daemon logging JSON under systemd does not pay for it (~2 MB RSS).
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    const stream = pretty({
      colorize: options.destination === undefined && process.stdout.isTTY === true,
      destination: (options.destination as NodeJS.WritableStream | undefined) ?? 1,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    });
    return pino(common, stream);
  }
  return pino(common, (options.destination as DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false }));
}

/** Child logger for one component, with optional ids (peer, session, agent) bound to every line. */
export function componentLogger(parent: Logger, component: string, bindings: Record<string, string | number | undefined> = {}): Logger {
  const clean: Record<string, string | number> = { component };
  for (const [k, v] of Object.entries(bindings)) if (v !== undefined) clean[k] = v;
  return parent.child(clean);
}

/** A logger that writes nothing (tests, library defaults). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
