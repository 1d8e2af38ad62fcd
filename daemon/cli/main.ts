#!/usr/bin/env node
/** `m2m` entry point: dispatches to the command table in registry.ts. */
import { COMMANDS } from './registry.js';
import { EXIT_BAD_INPUT, EXIT_USAGE, UsageError, err, out } from './command.js';

const VERSION = '0.1.0';

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(...names.map((n) => n.length), 8);
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`);
  return ['Usage: m2m <command> [options]', '', 'Commands:', ...lines, '', 'Run `m2m <command> --help` for a command\'s options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(usage());
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    out(VERSION);
    return 0;
  }
  const two = argv.length > 1 ? `${argv[0]} ${argv[1]}` : '';
  const name = two && COMMANDS[two] ? two : argv[0];
  const entry = COMMANDS[name];
  if (!entry) {
    const group = Object.keys(COMMANDS).filter((n) => n.startsWith(`${argv[0]} `));
    err(group.length > 0 ? `m2m ${argv[0]}: expected one of: ${group.map((g) => g.split(' ')[1]).join(', ')}` : `m2m: unknown command '${argv[0]}' (see m2m --help)`);
    return EXIT_USAGE;
  }
  const rest = argv.slice(name.split(' ').length);
  const mod = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    out(mod.help);
    return 0;
  }
  try {
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`m2m ${name}: ${e.message}`);
      return EXIT_USAGE;
    }
    const code = (e as { code?: string }).code;
    err(`m2m ${name}: ${code ? `${code}: ` : ''}${(e as Error).message}`);
    return EXIT_BAD_INPUT;
  }
}

// Run when executed directly (not when imported by tests).
const invoked = process.argv[1] ?? '';
if (invoked.endsWith('main.js') || invoked.endsWith('main.ts') || invoked.endsWith('/m2m')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      err(`m2m: ${(e as Error).stack ?? e}`);
      process.exitCode = EXIT_BAD_INPUT;
    },
  );
}
