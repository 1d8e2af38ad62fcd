/**
 * What every CLI command module exports, and the shared input/exit helpers.
 * Exit codes: 0 ok, 1 bad input or a failed check, 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandModule {
  /** One-paragraph usage text printed by `--help`. */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** Thrown for bad flags or arguments; main prints it and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `node:util` parseArgs with `--help` added and errors turned into {@link UsageError}. */
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Resolve a command's input: `--file` first, else the positional (`-` = stdin), else stdin.
 * Returns raw bytes so binary input survives.
 */
export function readInput(file: string | undefined, positional: string | undefined): Buffer {
  if (file !== undefined) return readFileSync(file);
  if (positional !== undefined && positional !== '-') return Buffer.from(positional, 'utf8');
  if (process.stdin.isTTY && positional === undefined) throw new UsageError('no input: pass TEXT, - (stdin) or --file FILE');
  return readFileSync(0);
}

/** Write a line to stdout without a logger (CLI output). */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Write a one-line message to stderr. */
export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
