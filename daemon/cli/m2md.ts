#!/usr/bin/env node
/** `m2md`: the daemon bin; the same as `m2m daemon`. */
import { main } from './main.js';

main(['daemon', ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`m2md: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
