/**
 * Node flags the daemon runs with wherever this package starts it (the `m2md` bin's shebang,
 * `make run`, `m2m service install` when it writes `node …/m2md.js`, and the bench's child
 * daemons).
 *
 * `--v8-pool-size=1`: V8 gives each process 4 helper threads by default (parallel scavenges,
 * concurrent marking, background compiles). A daemon shares its box with its agents and often a
 * second daemon; on 2 cores one process's GC or compile burst then ran on every core at once and
 * held the others off for 4–6 ms (`perf sched timehist` during `bench e2e`: the sending daemon's
 * main thread and three helpers on both CPUs, three other processes waiting 4–6 ms). With one helper
 * `bench e2e` gave p99 at 1k msgs/s 3.6–4.9 ms in 8 of 8 runs, against 3.3–16.6 ms (≤ 5 ms in 4 of
 * 8) for the default in the same interleaved series, at the same throughput. Set NODE_OPTIONS or
 * start node yourself to choose otherwise (a large dedicated box may want more helpers).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--v8-pool-size=1'];

/** `flags` with the daemon's defaults in front, minus any default the caller sets itself. */
export function withDaemonFlags(flags: readonly string[]): string[] {
  const own = (f: string) => f.split('=')[0];
  return [...DAEMON_NODE_FLAGS.filter((d) => !flags.some((f) => own(f) === own(d))), ...flags];
}
