/**
 * CPU time of this process's main thread, for benchmarks that state a rate "on one core". The whole
 * process's `process.cpuUsage()` also counts V8's helper threads (concurrent marking, background
 * compilation) that run beside the measured code on another core, and on a small shared box that
 * made the same run read anywhere from 7 to 11 MB/s. Linux exposes the main thread's own time in
 * nanoseconds (`/proc/self/task/<pid>/schedstat`); elsewhere this falls back to the process total.
 */
import { readFileSync } from 'node:fs';

const path = `/proc/self/task/${process.pid}/schedstat`;
let perThread: boolean | undefined;

/** Seconds of CPU the main thread has used (or, where the OS does not say, the whole process). */
export function mainThreadCpuSeconds(): number {
  if (perThread !== false) {
    try {
      const ns = Number(readFileSync(path, 'latin1').split(' ', 1)[0]);
      if (Number.isFinite(ns)) {
        perThread = true;
        return ns / 1e9;
      }
    } catch {
      // not Linux, or /proc unavailable
    }
    perThread = false;
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** True when {@link mainThreadCpuSeconds} measures the main thread alone. */
export function measuresMainThread(): boolean {
  if (perThread === undefined) mainThreadCpuSeconds();
  return perThread === true;
}
