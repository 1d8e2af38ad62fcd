import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApi, type HttpApi } from '../../../daemon/http/server.js';
import { createMetrics } from '../../../daemon/http/metrics.js';
import { silentLogger } from '../../../daemon/log.js';
import { ToonCodec } from '../../../protocol/toon/codec.js';
import { fakeClassifier, fakeCodecs, testConfig } from './fakes.js';

let api: HttpApi | undefined;
afterEach(async () => {
  await api?.close(0);
  api = undefined;
});

async function start(flags: Record<string, unknown> = {}): Promise<string> {
  api = createHttpApi({ config: testConfig(flags), logger: silentLogger(), metrics: createMetrics({ processMetrics: false }), classifier: fakeClassifier(), codecs: fakeCodecs() });
  return `http://127.0.0.1:${(await api.listen()).port}`;
}

const TOON = 'application/toon+json';
const codec = new ToonCodec();

describe('TOON content negotiation', () => {
  it('decodes TOON request bodies and answers TOON when Accept prefers it', async () => {
    const base = await start();
    const body = Buffer.from(codec.encode({ content: 'hello world', algorithm: 'brotli' }));
    const res = await fetch(`${base}/compress`, { method: 'POST', headers: { 'content-type': TOON, accept: `${TOON}, application/json;q=0.9` }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TOON);
    expect(res.headers.get('vary')).toBe('Accept');
    const decoded = codec.decode(new Uint8Array(await res.arrayBuffer())) as Record<string, unknown>;
    expect(decoded).toMatchObject({ algorithm: 'brotli', original_bytes: 11 });
  });

  it('keeps JSON for clients that do not ask for TOON (including */*)', async () => {
    const base = await start();
    for (const accept of ['application/json', '*/*', `${TOON};q=0.5, application/json`]) {
      const res = await fetch(`${base}/health`, { headers: { accept } });
      expect(res.headers.get('content-type'), accept).toMatch(/^application\/json/);
    }
  });

  it('errors stay decodable: a TOON client gets a TOON error body with the code', async () => {
    const base = await start();
    const res = await fetch(`${base}/scan`, { method: 'POST', headers: { 'content-type': 'application/json', accept: TOON }, body: '{}' });
    expect(res.status).toBe(400);
    expect(codec.decode(new Uint8Array(await res.arrayBuffer()))).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('[toon] enabled = false turns it off both ways; reload turns it back on', async () => {
    const base = await start({ 'toon.enabled': false });
    const body = Buffer.from(codec.encode({ content: 'x' }));
    const r = await fetch(`${base}/scan`, { method: 'POST', headers: { 'content-type': TOON }, body });
    expect(r.status).toBe(415);
    const h = await fetch(`${base}/health`, { headers: { accept: TOON } });
    expect(h.headers.get('content-type')).toMatch(/^application\/json/);
    api!.reload(testConfig());
    expect((await fetch(`${base}/health`, { headers: { accept: TOON } })).headers.get('content-type')).toBe(TOON);
  });

  it('a malformed TOON body is a 400 with a TOON code', async () => {
    const base = await start();
    const res = await fetch(`${base}/scan`, { method: 'POST', headers: { 'content-type': TOON }, body: '\u0000not toon{{{' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toMatch(/^TOON_|INVALID_/);
  });
});
