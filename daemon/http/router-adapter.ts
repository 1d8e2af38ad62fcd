/**
 * Adapts the router's two-step agent interface (`prepare` scans, `commit` routes)
 * to the HTTP API's {@link HttpRouter}. Structural, so it fits daemon/router's
 * `Router` without importing it.
 */
import type { DeliveryReceipt, HttpRouter } from './types.js';

export interface PrepareCommitHost {
  prepare(from: string, to: string, body: unknown, id?: string): Promise<unknown>;
  commit(prepared: never): { status: string; msgId: string; verdict?: unknown };
}

/** An {@link HttpRouter} over a router's prepare + commit. Commits run in call order per HTTP session agent. */
export function httpRouterFromAgentHost(host: PrepareCommitHost): HttpRouter {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async deliver({ from, to, body, id }): Promise<DeliveryReceipt> {
      const prepared = host.prepare(from, to, body, id);
      const prev = tails.get(from) ?? Promise.resolve();
      // Scans may overlap; commits keep the order the requests arrived in.
      const result = prev.then(async () => host.commit((await prepared) as never));
      const tail = result.catch(() => undefined);
      tails.set(from, tail);
      void tail.then(() => {
        if (tails.get(from) === tail) tails.delete(from);
      });
      const r = await result;
      return { status: r.status, msgId: r.msgId, ...(r.verdict !== undefined ? { verdict: r.verdict } : {}) };
    },
  };
}
