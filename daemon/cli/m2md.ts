#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --v8-pool-size=1
/** `m2md`: the daemon bin; the same as `m2m daemon`, with the daemon's node flags (node-flags.ts) in the shebang. */
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
