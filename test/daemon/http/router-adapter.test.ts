import { describe, expect, it } from 'vitest';
import { httpRouterFromAgentHost } from '../../../daemon/http/router-adapter.js';
import { M2MError } from '../../../protocol/errors.js';

describe('httpRouterFromAgentHost', () => {
  it('commits in call order even when scans finish out of order', async () => {
    const committed: string[] = [];
    const delays: Record<string, number> = { a: 30, b: 1, c: 10 };
    const host = {
      prepare: (_from: string, _to: string, body: unknown) => new Promise<unknown>((r) => setTimeout(() => r(body), delays[body as string])),
      commit: (p: never) => {
        committed.push(p as unknown as string);
        return { status: 'delivered', msgId: `id-${p as unknown as string}` };
      },
    };
    const router = httpRouterFromAgentHost(host);
    const receipts = await Promise.all(['a', 'b', 'c'].map((body) => router.deliver({ from: 'x', to: 'y@n', body })));
    expect(committed).toEqual(['a', 'b', 'c']);
    expect(receipts.map((r) => r.msgId)).toEqual(['id-a', 'id-b', 'id-c']);
  });

  it('a failed prepare rejects that delivery only', async () => {
    const host = {
      prepare: async (_f: string, _t: string, body: unknown) => {
        if (body === 'bad') throw new M2MError('BLOCKED', 'blocked');
        return body;
      },
      commit: (p: never) => ({ status: 'queued', msgId: String(p), verdict: { safe: true } }),
    };
    const router = httpRouterFromAgentHost(host);
    await expect(router.deliver({ from: 'x', to: 'y@n', body: 'bad' })).rejects.toMatchObject({ code: 'BLOCKED' });
    await expect(router.deliver({ from: 'x', to: 'y@n', body: 'ok' })).resolves.toEqual({ status: 'queued', msgId: 'ok', verdict: { safe: true } });
  });
});
