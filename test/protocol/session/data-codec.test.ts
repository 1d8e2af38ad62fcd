import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SessionDataCodec, localDictionaryIds } from '../../../protocol/session/data-codec.js';
import { builtinDictionary, dictionaryV1Bytes } from '../../../protocol/session/dictionary.js';
import { LZ_DEFAULT_ID, lzDictionaryId, lzPrimed } from '../../../protocol/session/dictionary-lz.js';
import { Codec } from '../../../protocol/session/frames.js';
import { SyncBrotliCompressor, SyncBrotliDecompressor } from '../../../protocol/session/zlib-sync.js';
import type { Agreement } from '../../../protocol/session/control.js';
import { limitsWith } from '../../../protocol/limits.js';
import { makePair } from './pair.js';

const agreed = (over: Partial<Agreement> = {}): Agreement => ({
  codecs: ['bytes+ctx', 'tokens+ctx', 'brotli', 'tokens', 'raw', 'text'],
  encoding: 'cl100k',
  maxFrameBytes: 1 << 24,
  security: { threatDetection: false, blocking: false, threshold: 0.8, modelVersion: null },
  streaming: true,
  dictionary: builtinDictionary(7, 22).id,
  extensions: [],
  ...over,
});
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const MSGS = Array.from({ length: 20 }, (_, i) => `{"model":"gpt-4o","messages":[{"role":"user","content":"question ${i}: what is ${i} + ${i}?"}],"stream":false}`);

describe('SessionDataCodec', () => {
  it.each(['raw', 'tokens', 'tokens+ctx', 'bytes+ctx', 'brotli', 'text', 'auto'] as const)('%s round-trips a stream of messages between two codecs', (c) => {
    const tx = new SessionDataCodec(agreed());
    const rx = new SessionDataCodec(agreed());
    for (const m of MSGS) {
      const enc = tx.encode(utf8(m), c);
      expect(new TextDecoder().decode(rx.decode(enc.codec, enc.bytes))).toBe(m);
    }
    tx.close();
    rx.close();
  });

  it('tokens carries raw varint token IDs ("Hello, world!" in cl100k)', () => {
    const enc = new SessionDataCodec(agreed()).encode(utf8('Hello, world!'), 'tokens');
    expect(Buffer.from(enc.bytes).toString('hex')).toBe('b24d0bfd0e00');
  });

  it('context codecs shrink repeated messages, and the dictionary helps the very first one', () => {
    const primed = new SessionDataCodec(agreed());
    const cold = new SessionDataCodec(agreed({ dictionary: null }));
    const first = utf8('{"id":"chatcmpl-abc123","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}');
    const p1 = primed.encode(first, 'bytes+ctx').bytes.length;
    const c1 = cold.encode(first, 'bytes+ctx').bytes.length;
    expect(p1).toBeLessThan(c1);
    const again = cold.encode(first, 'bytes+ctx').bytes.length;
    expect(again).toBeLessThan(c1 / 2);
  });

  it('auto sends tiny payloads raw and uses the context otherwise; falls back to the smallest stateless codec', () => {
    const c = new SessionDataCodec(agreed());
    expect(c.encode(utf8('{}')).codec).toBe(Codec.raw);
    expect(c.encode(utf8(MSGS[0])).codec).toBe(Codec['bytes+ctx']);
    const stateless = new SessionDataCodec(agreed({ codecs: ['raw', 'brotli', 'tokens'], dictionary: null }));
    const long = utf8(MSGS.join(''));
    const got = stateless.encode(long);
    expect(got.codec).toBe(Codec.brotli);
    expect(got.bytes.length).toBeLessThan(long.length);
  });

  it('reset() gives both ends fresh contexts (RESUME)', () => {
    const tx = new SessionDataCodec(agreed());
    const rx = new SessionDataCodec(agreed());
    const a = tx.encode(utf8(MSGS[0]), 'bytes+ctx');
    rx.decode(a.codec, a.bytes);
    tx.reset();
    rx.reset();
    const b = tx.encode(utf8(MSGS[0]), 'bytes+ctx');
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(new TextDecoder().decode(rx.decode(b.codec, b.bytes))).toBe(MSGS[0]);
  });

  it('refuses codecs that were not agreed, both ways', () => {
    const c = new SessionDataCodec(agreed({ codecs: ['raw'], dictionary: null }));
    expect(() => c.encode(utf8('x'), 'brotli')).toThrow(expect.objectContaining({ code: 'NEGOTIATION_FAILED' }));
    expect(() => c.decode(Codec.brotli, new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
  });

  it('bounds decompressed size and rejects corrupt context data', () => {
    const tx = new SessionDataCodec(agreed());
    const rx = new SessionDataCodec(agreed(), { limits: limitsWith({ maxDecompressedBytes: 1000 }) });
    const big = tx.encode(new Uint8Array(100_000).fill(97), 'bytes+ctx');
    expect(() => rx.decode(big.codec, big.bytes)).toThrow(expect.objectContaining({ code: 'DECOMPRESSED_TOO_LARGE' }));
    const rx2 = new SessionDataCodec(agreed());
    expect(() => rx2.decode(Codec['bytes+ctx'], new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'DECOMPRESS_FAILED' }));
  });

  it('refuses an agreed dictionary it does not have', () => {
    expect(() => new SessionDataCodec(agreed({ dictionary: 'm2m-json-1/q7w22:0000000000000000' }))).toThrow(expect.objectContaining({ code: 'NEGOTIATION_FAILED' }));
  });

  it('the built-in dictionary is intact and its id pins the primer', () => {
    expect(dictionaryV1Bytes().length).toBe(422771);
    expect(builtinDictionary(7, 22).id).toMatch(/^m2m-json-1\/q7w22:[0-9a-f]{16}$/);
    expect(builtinDictionary(5, 22).id).not.toBe(builtinDictionary(7, 22).id);
  });
});

describe('SessionDataCodec with the m2m-lz-1 engine', () => {
  const lz = (over: Partial<Agreement> = {}): Agreement => agreed({ dictionary: lzPrimed(22).id, ...over });

  it('is offered first, before the Brotli dictionary, and its id pins the primer', () => {
    expect(localDictionaryIds()).toEqual([lzPrimed(22).id, builtinDictionary(7, 22).id]);
    expect(lzPrimed(22).id).toMatch(/^m2m-lz-1\/w22:[0-9a-f]{16}$/);
    // The precomputed default id must be the primer's real hash (update LZ_DEFAULT_ID when the engine changes).
    expect(lzPrimed(22).id).toBe(LZ_DEFAULT_ID);
    expect(lzDictionaryId(22)).toBe(LZ_DEFAULT_ID);
    expect(lzDictionaryId(18)).not.toBe(lzDictionaryId(22));
    expect(lzDictionaryId(30)).toBeUndefined();
  });

  it.each(['bytes+ctx', 'auto'] as const)('%s round-trips a stream and beats the Brotli engine on small JSON frames', (c) => {
    const tx = new SessionDataCodec(lz());
    const rx = new SessionDataCodec(lz());
    const br = new SessionDataCodec(agreed());
    let lzBytes = 0;
    let brBytes = 0;
    for (const m of MSGS) {
      const enc = tx.encode(utf8(m), c);
      expect(enc.codec).toBe(Codec['bytes+ctx']);
      lzBytes += enc.bytes.length;
      brBytes += br.encode(utf8(m), c).bytes.length;
      expect(new TextDecoder().decode(rx.decode(enc.codec, enc.bytes))).toBe(m);
    }
    expect(lzBytes).toBeLessThan(brBytes);
  });

  it('the primed dictionary helps the first frame; reset() restarts both ends from the primed state', () => {
    const tx = new SessionDataCodec(lz());
    const rx = new SessionDataCodec(lz());
    const cold = new SessionDataCodec(lz({ dictionary: null }));
    const first = utf8(MSGS[0]);
    const a = tx.encode(first, 'bytes+ctx');
    expect(a.bytes.length).toBeLessThan(cold.encode(first, 'bytes+ctx').bytes.length);
    rx.decode(a.codec, a.bytes);
    tx.reset();
    rx.reset();
    const b = tx.encode(first, 'bytes+ctx');
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(new TextDecoder().decode(rx.decode(b.codec, b.bytes))).toBe(MSGS[0]);
  });

  it('bounds decompressed size, rejects corrupt data and unknown lz ids', () => {
    const tx = new SessionDataCodec(lz());
    const rx = new SessionDataCodec(lz(), { limits: limitsWith({ maxDecompressedBytes: 1000 }) });
    const big = tx.encode(new Uint8Array(100_000).fill(97), 'bytes+ctx');
    expect(() => rx.decode(big.codec, big.bytes)).toThrow(expect.objectContaining({ code: 'DECOMPRESSED_TOO_LARGE' }));
    expect(() => new SessionDataCodec(lz()).decode(Codec['bytes+ctx'], new Uint8Array([0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'DECOMPRESS_FAILED' }));
    expect(() => new SessionDataCodec(lz({ dictionary: 'm2m-lz-1/w22:0000000000000000' }))).toThrow(expect.objectContaining({ code: 'NEGOTIATION_FAILED' }));
  });
});

describe('the bytes+ctx CPU budget and brotli+ctx', () => {
  const both = (over: Partial<Agreement> = {}): Agreement => agreed({ dictionary: lzPrimed(22).id, codecs: ['bytes+ctx', 'brotli+ctx', 'raw'], ...over });
  const roundTrip = (tx: SessionDataCodec, rx: SessionDataCodec, choice: 'auto' | 'bytes+ctx' | 'brotli+ctx', m: string): number => {
    const enc = tx.encode(utf8(m), choice);
    expect(new TextDecoder().decode(rx.decode(enc.codec, enc.bytes))).toBe(m);
    return enc.codec;
  };

  it('auto stays on bytes+ctx while the budget lasts', () => {
    const tx = new SessionDataCodec(both(), { ctxCpuBudget: 0.5, ctxBurstMs: 1e9 });
    const rx = new SessionDataCodec(both());
    for (const m of MSGS) expect(roundTrip(tx, rx, 'auto', m)).toBe(Codec['bytes+ctx']);
  });

  it('once bytes+ctx has spent its budget, auto measures brotli+ctx too and the receiver follows every switch', () => {
    const tx = new SessionDataCodec(both(), { ctxCpuBudget: 0, ctxBurstMs: 0.000001 });
    const rx = new SessionDataCodec(both());
    const codecs = [...MSGS, ...MSGS, ...MSGS].map((m) => roundTrip(tx, rx, 'auto', m));
    // The first frame may still fit the tiny burst; from then on there is no credit and no refill, so
    // brotli+ctx is tried (its cost is unknown) and, whichever is cheaper, the other is re-measured now and then.
    expect(codecs.slice(1, 3)).toContain(Codec['brotli+ctx']);
    expect(new Set(codecs)).toEqual(new Set([Codec['bytes+ctx'], Codec['brotli+ctx']]));
  });

  it('auto follows the host\'s busy signal, whatever the budget', () => {
    let busy = false;
    const tx = new SessionDataCodec(both(), { ctxBusy: () => busy });
    const rx = new SessionDataCodec(both());
    expect(roundTrip(tx, rx, 'auto', MSGS[0])).toBe(Codec['bytes+ctx']);
    busy = true;
    // Busy: brotli+ctx is measured first; later frames go to whichever engine is cheaper per byte.
    expect(roundTrip(tx, rx, 'auto', MSGS[1])).toBe(Codec['brotli+ctx']);
    for (const m of MSGS.slice(2, 10)) roundTrip(tx, rx, 'auto', m);
    busy = false;
    for (const m of MSGS.slice(10)) expect(roundTrip(tx, rx, 'auto', m)).toBe(Codec['bytes+ctx']);
  });

  it('without brotli+ctx agreed, auto keeps bytes+ctx whatever the budget', () => {
    const tx = new SessionDataCodec(both({ codecs: ['bytes+ctx', 'raw'] }), { ctxCpuBudget: 0, ctxBurstMs: 0 });
    const rx = new SessionDataCodec(both({ codecs: ['bytes+ctx', 'raw'] }));
    for (const m of MSGS) expect(roundTrip(tx, rx, 'auto', m)).toBe(Codec['bytes+ctx']);
  });

  it('the two contexts are independent: any interleaving round-trips, and brotli+ctx gains from its own history', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (picks) => {
        const tx = new SessionDataCodec(both());
        const rx = new SessionDataCodec(both());
        picks.forEach((fast, i) => {
          roundTrip(tx, rx, fast ? 'brotli+ctx' : 'bytes+ctx', MSGS[i % MSGS.length]);
        });
      }),
      { numRuns: 30 },
    );
    const tx = new SessionDataCodec(both());
    const first = tx.encode(utf8(MSGS[0]), 'brotli+ctx').bytes.length;
    const again = tx.encode(utf8(MSGS[0]), 'brotli+ctx').bytes.length;
    expect(again).toBeLessThan(first / 2);
  });

  it('brotli+ctx payloads also enter the m2m-lz-1 history at both ends: a later bytes+ctx repeat is tiny', () => {
    const tx = new SessionDataCodec(both());
    const rx = new SessionDataCodec(both());
    const big = MSGS.join(' ');
    roundTrip(tx, rx, 'brotli+ctx', big);
    const again = tx.encode(utf8(big), 'bytes+ctx');
    expect(again.bytes.length).toBeLessThan(24);
    expect(again.bytes.length * 5).toBeLessThan(new SessionDataCodec(both()).encode(utf8(big), 'bytes+ctx').bytes.length);
    expect(new TextDecoder().decode(rx.decode(again.codec, again.bytes))).toBe(big);
  });

  it('reset() also restarts brotli+ctx at both ends', () => {
    const tx = new SessionDataCodec(both());
    const rx = new SessionDataCodec(both());
    const a = tx.encode(utf8(MSGS[0]), 'brotli+ctx');
    rx.decode(a.codec, a.bytes);
    tx.reset();
    rx.reset();
    const b = tx.encode(utf8(MSGS[0]), 'brotli+ctx');
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(new TextDecoder().decode(rx.decode(b.codec, b.bytes))).toBe(MSGS[0]);
  });

  it('refuses a budget that is not a number ≥ 0, and bounds brotli+ctx output', () => {
    expect(() => new SessionDataCodec(both(), { ctxCpuBudget: -1 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => new SessionDataCodec(both(), { ctxCpuBudget: Number.NaN })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    const tx = new SessionDataCodec(both());
    const rx = new SessionDataCodec(both(), { limits: limitsWith({ maxDecompressedBytes: 1000 }) });
    const big = tx.encode(new Uint8Array(100_000).fill(97), 'brotli+ctx');
    expect(() => rx.decode(big.codec, big.bytes)).toThrow(expect.objectContaining({ code: 'DECOMPRESSED_TOO_LARGE' }));
  });
});

describe('engine negotiation between builds', () => {
  it.each([
    ['both offer m2m-lz-1', undefined, /^m2m-lz-1\//],
    ['the responder only knows m2m-json-1 (an older build)', [builtinDictionary(7, 22).id], /^m2m-json-1\//],
    ['the responder has no dictionary', [], null],
  ] as const)('%s: both ends agree and every message round-trips', (_n, dictionaries, want) => {
    const p = makePair({}, dictionaries === undefined ? {} : { capabilities: { dictionaries: [...dictionaries] } });
    p.b.ep.start();
    p.a.ep.start();
    p.pump();
    if (want === null) expect(p.a.ep.agreed?.dictionary).toBeNull();
    else expect(p.a.ep.agreed?.dictionary).toMatch(want);
    for (const m of MSGS) p.a.ep.send({ from: 'x', to: 'y', payload: utf8(m), codec: 'bytes+ctx' });
    p.pump();
    expect(p.b.delivered.map((d) => new TextDecoder().decode(d.payload))).toEqual(MSGS);
  });
});

describe('sync Brotli streams', () => {
  it('every flushed chunk decodes on its own, in order, for any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 12 }), (chunks) => {
        const c = new SyncBrotliCompressor(5, 18);
        const d = new SyncBrotliDecompressor();
        for (const chunk of chunks) {
          const out = d.decompress(c.compress(chunk), 1 << 20);
          expect(Buffer.from(out).equals(Buffer.from(chunk))).toBe(true);
        }
        c.close();
        d.close();
      }),
      { numRuns: 40 },
    );
  });

  it('large output spans several internal buffers', () => {
    const c = new SyncBrotliCompressor(1, 22);
    const d = new SyncBrotliDecompressor();
    const input = new Uint8Array(500_000).map((_, i) => (i * 2654435761) >>> 24);
    expect(Buffer.from(d.decompress(c.compress(input), 1 << 20)).equals(Buffer.from(input))).toBe(true);
  });

  it('a closed stream refuses work', () => {
    const c = new SyncBrotliCompressor();
    c.close();
    expect(() => c.compress(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'SESSION_CLOSED' }));
  });
});
