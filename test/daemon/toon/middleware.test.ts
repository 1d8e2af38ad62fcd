import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createToonMiddleware } from '../../../daemon/toon/middleware.js';
import { toonDecode, toonEncode } from '../../../protocol/toon/codec.js';

const mw = createToonMiddleware({ exclude: ['/health'], countTokens: (s) => s.length });
let server: Server;
let base = '';
const seen: unknown[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    mw(req, res, (err) => {
      if (err) throw err;
      const body = (req as IncomingMessage & { body?: unknown }).body;
      if (req.url === '/echo') {
        seen.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '123', name: 'test', status: 'healthy', got: body ?? null }));
      } else if (req.url === '/health') {
        res.setHeader('content-type', 'application/json');
        res.end('{"status":"healthy"}');
      } else if (req.url === '/chunked') {
        res.setHeader('content-type', 'application/json');
        res.write('{"status":');
        res.write('"failed"}');
        res.end();
      } else if (req.url === '/float') {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end('{"temperature":1.0, "status":"success"}');
      } else if (req.url === '/text') {
        res.setHeader('content-type', 'text/plain');
        res.end('status: healthy');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const TOON_ACCEPT = 'application/toon+json, application/json;q=0.9';

describe('node:http middleware on a real loopback server', () => {
  it('decodes a TOON request and encodes the response as TOON', async () => {
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/toon+json', accept: TOON_ACCEPT },
      body: toonEncode({ id: 'p1', status: 'running', ok: 'true' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/toon+json');
    expect(res.headers.get('vary')).toBe('Accept');
    const text = await res.text();
    // keys of 3 characters or fewer that are not codes are escaped with '~' (so a strict decoder can tell them from codes)
    expect(text).toBe('{"i":"123","n":"test","s":"H","~got":{"i":"p1","s":"R","~ok":"T"}}');
    expect(toonDecode(text)).toEqual({ id: '123', name: 'test', status: 'healthy', got: { id: 'p1', status: 'running', ok: 'true' } });
    expect(seen.at(-1)).toEqual({ id: 'p1', status: 'running', ok: 'true' });
  });

  it('answers plain JSON clients with plain JSON', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ id: '123', name: 'test', status: 'healthy', got: null });
  });

  it('re-encodes chunked JSON writes and leaves non-JSON alone', async () => {
    const a = await fetch(`${base}/chunked`, { headers: { accept: TOON_ACCEPT } });
    expect(await a.text()).toBe('{"s":"F"}');
    const b = await fetch(`${base}/text`, { headers: { accept: TOON_ACCEPT } });
    expect(b.headers.get('content-type')).toBe('text/plain');
    expect(await b.text()).toBe('status: healthy');
  });

  it('keeps the JSON text byte for byte apart from the codes', async () => {
    const res = await fetch(`${base}/float`, { headers: { accept: TOON_ACCEPT } });
    expect(await res.text()).toBe('{"temperature":1.0, "s":"S"}');
  });

  it('skips excluded routes', async () => {
    const res = await fetch(`${base}/health`, { headers: { accept: TOON_ACCEPT } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"status":"healthy"}');
  });

  it('rejects a malformed TOON body with 400 and the error code', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/toon+json' }, body: '{"i":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TOON_INVALID_FORMAT');
    const gz = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/toon+json' }, body: new Uint8Array([0x1f, 0x8b, 1, 2, 3]) });
    expect(((await gz.json()) as { error: { code: string } }).error.code).toBe('TOON_DECOMPRESS_FAILED');
  });

  it('rejects oversized bodies with 413', async () => {
    const small = createToonMiddleware({ maxBodyBytes: 8 });
    const s = createServer((req, res) => small(req, res, () => res.end('ok')));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/toon+json' },
        body: '{"a":"0123456789"}',
      });
      expect(res.status).toBe(413);
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it('counts metrics', () => {
    const m = mw.metrics();
    expect(m.requestCount).toBeGreaterThanOrEqual(5);
    expect(m.bytesSaved).toBeGreaterThan(0);
    expect(m.tokensSaved).toBeGreaterThan(0);
    expect(m.compressionRatio).toBeGreaterThan(0);
    expect(m.compressionRatio).toBeLessThan(1);
  });
});
