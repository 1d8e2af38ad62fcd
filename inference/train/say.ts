/**
 * Output of the training scripts (`make model`, `convert-hydra`, `bench-model`): plain lines on stdout
 * and stderr. They are developer command lines run by hand, not the daemon, so they have no logger.
 */

/** One line of progress or result on stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** One line of error or usage on stderr. */
export function complain(line: string): void {
  process.stderr.write(`${line}\n`);
}
