import { isM2MError } from '../../protocol/errors.js';

/**
 * Runs `f` and returns the `M2MError` code it threw, `untyped: <message>` for
 * any other error, or undefined when it did not throw.
 */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isM2MError(e) ? e.code : `untyped: ${(e as Error).message}`;
  }
  return undefined;
}
