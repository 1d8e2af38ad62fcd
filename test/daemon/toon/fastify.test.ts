import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createToonFastifyPlugin } from '../../../daemon/toon/fastify.js';
import { ToonClient } from '../../../daemon/toon/client.js';
import { toonEncode } from '../../../protocol/toon/codec.js';

let app: FastifyInstance;
let base = '';
const plugin = createToonFastifyPlugin();

beforeAll(async () => {
  app = Fastify();
  await app.register(plugin, { level: 'standard' });
  app.post('/echo', async (req) => ({ status: 'completed', result: req.body }));
  app.get('/health', { config: { toon: false } }, async () => ({ status: 'healthy' }));
  app.get('/big', async () => ({ data: Array.from({ length: 200 }, (_, i) => ({ id: i, status: 'pending' })) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await app.close();
});

describe('Fastify plugin on a real loopback server', () => {
  it('parses TOON bodies and encodes JSON replies when Accept prefers TOON', async () => {
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/toon+json', accept: 'application/toon+json, application/json;q=0.9' },
      body: toonEncode({ id: '1', message: 'hi', flag: true }),
    });
    expect(res.headers.get('content-type')).toBe('application/toon+json');
    expect(await res.text()).toBe('{"s":"C","r":{"i":"1","m":"hi","flag":true}}');
  });

  it('keeps JSON for JSON clients and for routes with config.toon = false', async () => {
    const a = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' });
    expect(await a.json()).toEqual({ status: 'completed', result: { id: '1' } });
    const b = await fetch(`${base}/health`, { headers: { accept: 'application/toon+json' } });
    expect(b.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await b.json()).toEqual({ status: 'healthy' });
  });

  it('replies 400 with the TOON error code on a bad body', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/toon+json' }, body: 'nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('TOON_INVALID_FORMAT');
  });

  it('talks to the ToonClient at every level, gzip included', async () => {
    for (const level of ['none', 'minimal', 'standard', 'aggressive'] as const) {
      const client = new ToonClient({ baseUrl: `${base}/`, level, timeoutMs: 5000, countTokens: (s) => s.length });
      const r = await client.post('/echo', { id: 'x', status: 'failed', note: 'F' });
      expect(r.status).toBe(200);
      expect(r.toon).toBe(level !== 'none');
      expect(r.data).toEqual({ status: 'completed', result: { id: 'x', status: 'failed', note: 'F' } });
      const big = await client.get<{ data: unknown[] }>('big');
      expect(big.data.data).toHaveLength(200);
      const m = client.metrics();
      expect(m.requestCount).toBe(2);
      if (level === 'none') expect(m.bytesSaved).toBe(0);
      else expect(m.bytesSaved).toBeGreaterThan(0);
    }
    expect(plugin.metrics().requestCount).toBeGreaterThan(0);
  });

  it('client times out', async () => {
    const client = new ToonClient({ baseUrl: base, timeoutMs: 1, fetch: (_u, init) => new Promise((_, rej) => init?.signal?.addEventListener('abort', () => rej(init.signal?.reason))) });
    await expect(client.get('/health')).rejects.toThrow(/timed out|abort/i);
  });
});
