import { describe, expect, it } from 'vitest';
import { createCodecAdapter } from '../../../daemon/http/codec-adapter.js';
import { testConfig } from './fakes.js';

const chat = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Summarise the quarterly report in three bullet points, please.' }] });

describe('createCodecAdapter', () => {
  const cfg = testConfig();
  const codecs = createCodecAdapter(() => cfg);

  it('speaks reference names and round-trips every algorithm', async () => {
    for (const algorithm of ['tokennative', 'brotli', 'm2m', 't1', 'none'] as const) {
      const out = await codecs.compress(chat, algorithm);
      expect(out.algorithm).toBe(algorithm);
      expect(await codecs.decompress(out.data)).toBe(chat);
    }
    expect((await codecs.compress('hi', 'tokennative')).data.startsWith('#TK|C|')).toBe(true);
  });

  it('uses the configured tokenizer', async () => {
    const o200 = testConfig({ 'compression.encoding': 'o200k' });
    const out = await createCodecAdapter(() => o200).compress('hello there', 'tokennative');
    expect(out.data.startsWith('#TK|O|')).toBe(true);
  });

  it('counts tokens before and after only when asked', async () => {
    const out = await codecs.compress(chat, 'none', { countTokens: true });
    expect(out.originalTokens).toBeGreaterThan(10);
    expect(out.compressedTokens).toBe(out.originalTokens);
    const tk = await codecs.compress(chat, 'tokennative', { countTokens: true });
    expect(tk.compressedTokens).toBeGreaterThan(0);
    expect((await codecs.compress(chat, 'none')).originalTokens).toBeUndefined();
    expect((await createCodecAdapter(() => cfg, { countTokens: true }).compress(chat, 'none')).originalTokens).toBeGreaterThan(10);
  });

  it('auto goes straight to Brotli above brotli_threshold, and never grows the input', async () => {
    const big = JSON.stringify({ rows: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024);
    expect((await codecs.compressAuto(big)).algorithm).toBe('brotli');
    expect((await codecs.compressAuto('short')).algorithm).toBe('none');
    const random = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)).toString('base64');
    const r = await codecs.compressAuto(random);
    expect(Buffer.byteLength(r.data)).toBeLessThanOrEqual(Buffer.byteLength(random));
  });

  it('analyze reports the reference fields', async () => {
    const a = await codecs.analyze(chat);
    expect(a).toMatchObject({ length: Buffer.byteLength(chat), is_json: true, is_llm_api: true, has_tools: false });
    expect((a.algorithms as { algorithm: string }[]).map((x) => x.algorithm)).toContain('tokennative');
  });

  it('corrupt payloads with a known prefix are typed errors', async () => {
    await expect(async () => codecs.decompress('#TK|C|!!!')).rejects.toMatchObject({ name: 'M2MError' });
  });
});
