/**
 * DATA payload codecs for one session: the stateless ones (raw, tokens, brotli, text) and the
 * session-context ones (bytes+ctx, tokens+ctx, brotli+ctx), which keep one context per direction for
 * the life of the connection, flushed after every frame and reset on RESUME. The agreed dictionary
 * picks the engine of `bytes+ctx`: `m2m-lz-1/…` → the LZ + adaptive range coder of lz-*.ts (no
 * per-frame table cost), `m2m-json-1/…` or none → Brotli. `tokens+ctx` always uses Brotli;
 * `brotli+ctx` is a second, cheap Brotli context `auto` falls back to when `bytes+ctx` is over its
 * CPU budget (each context keeps only the frames sent with it, at both ends).
 *
 * Memory per session (both directions, lgwin 22): see docs/PROTOCOL.md §5 for measured figures.
 * Contexts are created on first use, so a session that never uses a ctx codec pays nothing.
 */
import { brotliCompress, brotliDecompress } from '../brotli.js';
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { getTokenizer, type Tokenizer } from '../tokenizers.js';
import { decodeVarints, encodeVarints } from '../varint.js';
import type { Agreement } from './control.js';
import { builtinDictionary, type PrimingDictionary } from './dictionary.js';
import { lzDictionaryId, lzPrimed, type LzPrimed } from './dictionary-lz.js';
import type { LzDecoder } from './lz-decoder.js';
import type { LzEncoder } from './lz-encoder.js';
import { EngineChooser } from './engine-chooser.js';
import { Codec, codecName, type CodecId, type CodecName } from './frames.js';
import { SyncBrotliCompressor, SyncBrotliDecompressor } from './zlib-sync.js';

export interface DataCodecOptions {
  /** Brotli quality of the context compressor (Brotli engine only; `m2m-lz-1` has no levels). @default 7 */
  contextQuality?: number;
  /** Window (log2) of the context compressor, both engines (`m2m-lz-1`: 16–24). @default 22 */
  contextLgwin?: number;
  /** Brotli quality of the stateless `brotli` codec. @default 5 */
  brotliQuality?: number;
  /** Payloads shorter than this go `raw` under `auto`. @default 48 */
  minCompressBytes?: number;
  /**
   * CPU budget of `bytes+ctx` encoding under `auto`, as a fraction of one core. While the engine has
   * used more than this (a token bucket holding {@link DataCodecOptions.ctxBurstMs}), `auto` picks per
   * frame whichever of `bytes+ctx` and `brotli+ctx` (when agreed) has recently cost less CPU per input
   * byte (engine-chooser.ts): the best ratio while the link is light, the cheaper engine when it is
   * busy (usually Brotli, ~3× cheaper on fresh text; `m2m-lz-1` on traffic that repeats). @default Infinity (always `bytes+ctx`)
   */
  ctxCpuBudget?: number;
  /** Most CPU time (ms) the budget lets `bytes+ctx` spend in one burst. @default 50 */
  ctxBurstMs?: number;
  /**
   * The host's word that its CPU is saturated right now (e.g. event-loop utilisation near 1): while it
   * returns true, `auto` picks the cheaper engine as if the budget were spent.
   */
  ctxBusy?: () => boolean;
  /** Brotli quality of `brotli+ctx` (any; the receiver does not need to know it). @default 3 */
  fastQuality?: number;
  limits?: Limits;
}

/** Codec choice when sending: a codec name, or `auto` (what the daemon uses). */
export type CodecChoice = CodecName | 'auto';

/** Window (log2) of `brotli+ctx`. */
const FAST_LGWIN = 18;
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Dictionary ids this build can prime with at the given settings, preferred first (`m2m-lz-1`, then `m2m-json-1`). */
export function localDictionaryIds(opts: DataCodecOptions = {}): string[] {
  const lgwin = opts.contextLgwin ?? 22;
  const lz = lzDictionaryId(lgwin);
  const brotli = builtinDictionary(opts.contextQuality ?? 7, lgwin).id;
  return lz === undefined ? [brotli] : [lz, brotli];
}

export class SessionDataCodec {
  private readonly quality: number;
  private readonly lgwin: number;
  private readonly brotliQuality: number;
  private readonly minCompress: number;
  private readonly limits: Limits;
  private readonly allowed: Set<number>;
  private readonly dict: PrimingDictionary | undefined;
  /** The agreed `m2m-lz-1` window; its primed snapshots are fetched on first use. */
  private readonly lzWindow: number | undefined;
  private txLz: LzEncoder | undefined;
  private rxLz: LzDecoder | undefined;
  private tokenizer: Tokenizer | undefined;
  private txBytes: SyncBrotliCompressor | undefined;
  private rxBytes: SyncBrotliDecompressor | undefined;
  private txTokens: SyncBrotliCompressor | undefined;
  private rxTokens: SyncBrotliDecompressor | undefined;
  private txFast: SyncBrotliCompressor | undefined;
  private rxFast: SyncBrotliDecompressor | undefined;
  private readonly budget: number;
  private readonly burstMs: number;
  private readonly fastQuality: number;
  private readonly busy: (() => boolean) | undefined;
  private readonly chooser = new EngineChooser();
  /** CPU time (ms) `bytes+ctx` may still spend now, and when it was last topped up. */
  private credit: number;
  private creditAt = 0;

  /** @throws M2MError NEGOTIATION_FAILED when the agreed dictionary is not one this build has */
  constructor(private readonly agreed: Agreement, opts: DataCodecOptions = {}) {
    this.quality = opts.contextQuality ?? 7;
    this.lgwin = opts.contextLgwin ?? 22;
    this.brotliQuality = opts.brotliQuality ?? 5;
    this.minCompress = opts.minCompressBytes ?? 48;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.allowed = new Set(agreed.codecs.map((c) => Codec[c]));
    this.budget = opts.ctxCpuBudget ?? Infinity;
    if (!(this.budget >= 0)) throw new M2MError('BAD_INPUT', `ctxCpuBudget must be a number ≥ 0, got ${opts.ctxCpuBudget}`);
    this.burstMs = opts.ctxBurstMs ?? 50;
    this.credit = this.burstMs;
    this.fastQuality = opts.fastQuality ?? 3;
    this.busy = opts.ctxBusy;
    if (agreed.dictionary?.startsWith('m2m-lz-1/')) {
      const id = lzDictionaryId(this.lgwin);
      if (id !== agreed.dictionary) throw new M2MError('NEGOTIATION_FAILED', `agreed dictionary ${agreed.dictionary} is not available here (have ${id ?? 'none'})`);
      this.lzWindow = this.lgwin;
    } else if (agreed.dictionary !== null) {
      const d = builtinDictionary(this.quality, this.lgwin);
      if (d.id !== agreed.dictionary) throw new M2MError('NEGOTIATION_FAILED', `agreed dictionary ${agreed.dictionary} is not available here (have ${d.id})`);
      this.dict = d;
    }
  }

  private lz(): LzPrimed {
    return lzPrimed(this.lzWindow!);
  }

  /** True when the session agreed on `codec`. */
  allows(codec: CodecName): boolean {
    return this.allowed.has(Codec[codec]);
  }

  /**
   * Encode a payload for the wire. `auto` picks: raw for tiny payloads, else bytes+ctx (or, under
   * CPU pressure with brotli+ctx agreed, whichever of the two recently cost less per byte: see
   * {@link DataCodecOptions.ctxCpuBudget}), else the smaller of stateless brotli/tokens/raw among the
   * agreed codecs.
   * @throws M2MError NEGOTIATION_FAILED when an explicit codec was not agreed; INVALID_UTF8 for tokens on non-text
   */
  encode(payload: Uint8Array, choice: CodecChoice = 'auto'): { codec: CodecId; bytes: Uint8Array } {
    if (choice !== 'auto') {
      if (!this.allowed.has(Codec[choice])) throw new M2MError('NEGOTIATION_FAILED', `codec ${choice} was not agreed for this session`);
      return { codec: Codec[choice], bytes: this.encodeWith(Codec[choice], payload) };
    }
    if (payload.length < this.minCompress && this.allowed.has(Codec.raw)) return { codec: Codec.raw, bytes: payload };
    if (this.allowed.has(Codec['bytes+ctx'])) {
      if ((this.budget === Infinity && this.busy === undefined) || !this.allowed.has(Codec['brotli+ctx'])) return { codec: Codec['bytes+ctx'], bytes: this.encodeWith(Codec['bytes+ctx'], payload) };
      const engine = this.chooser.choose(!this.haveCredit() || this.busy?.() === true);
      const codec = engine === 'lz' ? Codec['bytes+ctx'] : Codec['brotli+ctx'];
      const t0 = performance.now();
      const bytes = this.encodeWith(codec, payload);
      const ms = performance.now() - t0;
      this.chooser.record(engine, ms, payload.length, bytes.length);
      if (engine === 'lz') this.credit -= ms;
      return { codec, bytes };
    }
    let best: { codec: CodecId; bytes: Uint8Array } | undefined = this.allowed.has(Codec.raw) ? { codec: Codec.raw, bytes: payload } : undefined;
    for (const c of [Codec.brotli, Codec.tokens] as CodecId[]) {
      if (!this.allowed.has(c)) continue;
      let bytes: Uint8Array;
      try {
        bytes = this.encodeWith(c, payload);
      } catch {
        continue;
      }
      if (best === undefined || bytes.length < best.bytes.length) best = { codec: c, bytes };
    }
    if (best !== undefined) return best;
    const first = Codec[this.agreed.codecs[0]];
    return { codec: first, bytes: this.encodeWith(first, payload) };
  }

  /** Top up the `bytes+ctx` budget for the time since the last call; true while some is left. */
  private haveCredit(): boolean {
    if (this.budget === Infinity) return true;
    const now = performance.now();
    this.credit = Math.min(this.burstMs, this.credit + (now - this.creditAt) * this.budget);
    this.creditAt = now;
    return this.credit > 0;
  }

  /**
   * Decode a received payload back to the sender's bytes.
   * @throws M2MError PROTOCOL_ERROR (codec not agreed), DECOMPRESS_FAILED, DECOMPRESSED_TOO_LARGE, INVALID_TOKEN, VARINT_*
   */
  decode(codec: CodecId, bytes: Uint8Array): Uint8Array {
    if (!this.allowed.has(codec)) throw new M2MError('PROTOCOL_ERROR', `DATA uses codec ${codecName(codec) ?? codec}, which was not agreed`);
    const max = this.limits.maxDecompressedBytes;
    switch (codec) {
      case Codec.raw:
      case Codec.text:
        return bytes;
      case Codec.tokens:
        return this.detokenize(bytes);
      case Codec.brotli:
        return brotliDecompress(bytes, { maxBytes: max });
      case Codec['bytes+ctx']:
        if (this.lzWindow !== undefined) return (this.rxLz ??= this.lz().decoder()).decompress(bytes, max);
        return this.rxBytesCtx().decompress(bytes, max);
      case Codec['tokens+ctx']:
        return this.detokenize(this.rxTokensCtx().decompress(bytes, max));
      case Codec['brotli+ctx']: {
        const out = (this.rxFast ??= new SyncBrotliDecompressor()).decompress(bytes, max);
        // Both ends put brotli+ctx payloads into the m2m-lz-1 history too (see encodeWith).
        if (this.lzWindow !== undefined && this.allowed.has(Codec['bytes+ctx'])) (this.rxLz ??= this.lz().decoder()).absorb(out);
        return out;
      }
      default:
        throw new M2MError('PROTOCOL_ERROR', `unknown codec ${codec}`);
    }
  }

  /** Create (and prime) the agreed ctx contexts of both directions now. */
  warmUp(): void {
    if (this.allowed.has(Codec['bytes+ctx'])) {
      if (this.lzWindow !== undefined) {
        this.txLz ??= this.lz().encoder();
        this.rxLz ??= this.lz().decoder();
      } else {
        this.txBytesCtx();
        this.rxBytesCtx();
      }
    }
  }

  /** Forget both directions' contexts (RESUME): the next frames start from fresh, re-primed contexts. */
  reset(): void {
    for (const s of [this.txBytes, this.rxBytes, this.txTokens, this.rxTokens, this.txFast, this.rxFast]) s?.close();
    this.txBytes = this.rxBytes = this.txTokens = this.rxTokens = this.txFast = this.rxFast = undefined;
    this.txLz = this.rxLz = undefined;
  }

  /** Free native memory. */
  close(): void {
    this.reset();
  }

  private encodeWith(codec: CodecId, payload: Uint8Array): Uint8Array {
    switch (codec) {
      case Codec.raw:
      case Codec.text:
        return payload;
      case Codec.tokens:
        return encodeVarints(this.tok().encode(this.text(payload)));
      case Codec.brotli:
        return brotliCompress(payload, { quality: this.brotliQuality, lgwin: this.lgwin });
      case Codec['bytes+ctx']:
        if (this.lzWindow !== undefined) return (this.txLz ??= this.lz().encoder()).compress(payload);
        return this.txBytesCtx().compress(payload);
      case Codec['tokens+ctx']:
        return this.txTokensCtx().compress(encodeVarints(this.tok().encode(this.text(payload))));
      case Codec['brotli+ctx']: {
        // A 256 KB window: same output as 4 MB at q3 on payloads.dev and synthetic bodies, 1/16 of the ring buffers.
        const out = (this.txFast ??= new SyncBrotliCompressor(this.fastQuality, Math.min(this.lgwin, FAST_LGWIN))).compress(payload);
        // The payload also enters the m2m-lz-1 history (no symbols; the receiver does the same), so
        // bytes+ctx frames can still refer to it: traffic that repeats stays cheap whichever codec carried it first.
        if (this.lzWindow !== undefined && this.allowed.has(Codec['bytes+ctx'])) (this.txLz ??= this.lz().encoder()).absorb(payload);
        return out;
      }
      default:
        throw new M2MError('BAD_INPUT', `unknown codec ${codec}`);
    }
  }

  private text(payload: Uint8Array): string {
    try {
      return utf8Strict.decode(payload);
    } catch {
      throw new M2MError('INVALID_UTF8', 'the tokens codecs need UTF-8 text');
    }
  }

  private detokenize(varints: Uint8Array): Uint8Array {
    const ids = decodeVarints(varints, 0, varints.length, this.limits.maxTokens);
    const out = utf8.encode(this.tok().decode(ids));
    if (out.length > this.limits.maxDecompressedBytes) throw new M2MError('DECOMPRESSED_TOO_LARGE', `tokens decode to more than ${this.limits.maxDecompressedBytes} bytes`);
    return out;
  }

  private tok(): Tokenizer {
    return (this.tokenizer ??= getTokenizer(this.agreed.encoding));
  }

  private txBytesCtx(): SyncBrotliCompressor {
    if (this.txBytes === undefined) {
      this.txBytes = new SyncBrotliCompressor(this.quality, this.lgwin);
      if (this.dict !== undefined) {
        const primer = this.txBytes.compress(this.dict.bytes);
        if (Buffer.compare(primer, this.dict.primer) !== 0) throw new M2MError('CHECKSUM_MISMATCH', 'context compressor produced a different primer than the dictionary id promises');
      }
    }
    return this.txBytes;
  }

  private rxBytesCtx(): SyncBrotliDecompressor {
    if (this.rxBytes === undefined) {
      this.rxBytes = new SyncBrotliDecompressor();
      if (this.dict !== undefined) this.rxBytes.decompress(this.dict.primer, this.dict.bytes.length);
    }
    return this.rxBytes;
  }

  private txTokensCtx(): SyncBrotliCompressor {
    return (this.txTokens ??= new SyncBrotliCompressor(this.quality, this.lgwin));
  }

  private rxTokensCtx(): SyncBrotliDecompressor {
    return (this.rxTokens ??= new SyncBrotliDecompressor());
  }
}
