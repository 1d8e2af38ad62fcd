/**
 * A full garbage collection on demand, for benchmarks: `global.gc` when node runs with
 * `--expose-gc`, else the same function obtained by turning the flag on at run time (V8 then
 * exposes `gc` to contexts created afterwards). Benchmarks call it between runs so one run's
 * garbage (whole compression contexts) is not billed to the next.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | undefined;

export function fullGc(): () => void {
  if (cached) return cached;
  const own = (globalThis as { gc?: () => void }).gc;
  if (typeof own === 'function') return (cached = own);
  setFlagsFromString('--expose-gc');
  return (cached = runInNewContext('gc') as () => void);
}
