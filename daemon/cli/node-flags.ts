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

/**
 * Environment the daemon runs with, from the same launchers (the systemd unit also sets it with
 * `Environment=`). A variable the caller sets itself wins.
 *
 * `MALLOC_MMAP_THRESHOLD_=131072`: glibc gives allocations of 128 KB and more their own mapping, but
 * once such a block is freed it raises that threshold to the block's size (up to 32 MB), so later
 * large blocks come from its heaps and often stay resident after they are freed. Which blocks go
 * first depends on timing: an idle daemon held 73.1–79.0 MB in `bench e2e` (8 of 10 runs ~78 MB,
 * against a target of 80). A fixed threshold keeps large blocks mapped and returned on free: ten
 * interleaved pairs, idle RSS median 78.0 → 72.6 MB (at most 75.5), msgs/s median 13.6k → 14.5k,
 * p99 at 1k msgs/s 2.52 → 2.09 ms (2026-11-22 03:39–03:45). `MALLOC_ARENA_MAX=1` instead made it
 * worse (~78 MB in every run): the memory is the same, kept in one heap.
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** `env` with the daemon's defaults added where it does not set them. */
export function withDaemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...DAEMON_ENV, ...env };
}
