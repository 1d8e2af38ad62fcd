/**
 * `m2m-lz-1` decoder: one per direction and session, the mirror of lz-encoder.ts. Bounded: the
 * frame's declared length is checked against the limit before anything is allocated, every
 * symbol produces at least one byte, and a distance beyond the history or a length beyond the
 * declared size fails with DECOMPRESS_FAILED (the context is unusable afterwards).
 * Memory: history ring 2^lgwin bytes, model ≈ 1.8 MiB (docs/PROTOCOL.md §5).
 */
import { M2MError } from '../errors.js';
import {
  ALIGN,
  END_POS_MODEL,
  IS_MATCH,
  IS_REP,
  IS_REP0_LONG,
  IS_REP_G0,
  IS_REP_G1,
  IS_REP_G2,
  LEN,
  LzModel,
  MAX_SIZE_BITS,
  MIN_MATCH,
  POS_SLOT,
  POS_SPECIAL,
  REP_LEN,
  SIZE_SLOT,
  afterLiteral,
  afterMatch,
  afterRep,
} from './lz-model.js';
import { RangeDecoder } from './lz-range.js';
import { nextRunMode } from './lz-literal.js';
import { messageSlab } from './byte-slab.js';

/** Above this the byte count is folded (frames are below 2^28 bytes, so it never reaches 2^31). */
const TOTAL_FOLD = 2 ** 30;

export class LzDecoder {
  private readonly ring: Uint8Array;
  private readonly mask: number;
  /**
   * Bytes written, folded back to `size + total mod size` once past TOTAL_FOLD (only its position
   * modulo the ring size and min(total, size) matter), so it stays a small integer for V8.
   */
  private total = 0;
  private readonly m: LzModel;
  private readonly rc = new RangeDecoder();
  private broken = false;

  /** @param lgwin log2 of the history kept; must match the encoder's @default 22 */
  constructor(lgwin = 22, from?: LzDecoder) {
    this.ring = from ? from.ring.slice() : new Uint8Array(1 << lgwin);
    this.mask = this.ring.length - 1;
    this.total = from ? from.total : 0;
    this.m = new LzModel(from?.m);
  }

  /** An independent copy (same history and model). */
  clone(): LzDecoder {
    return new LzDecoder(Math.log2(this.ring.length), this);
  }

  /**
   * Decode one frame produced by {@link LzEncoder.compress}.
   * @throws M2MError DECOMPRESSED_TOO_LARGE, DECOMPRESS_FAILED (the context is unusable afterwards)
   */
  decompress(bytes: Uint8Array, maxBytes: number): Uint8Array {
    if (this.broken) throw new M2MError('DECOMPRESS_FAILED', 'compression context is unusable after an earlier corrupt frame');
    this.broken = true;
    this.rc.init(bytes, 0);
    const bits = this.rc.tree(this.m.p, SIZE_SLOT, 5);
    if (bits > MAX_SIZE_BITS) throw new M2MError('DECOMPRESS_FAILED', 'm2m-lz-1 frame size is out of range');
    const size = bits > 1 ? 2 ** (bits - 1) + this.rc.direct(bits - 1) : bits;
    if (size > maxBytes) throw new M2MError('DECOMPRESSED_TOO_LARGE', `frame decompresses to more than ${maxBytes} bytes`, { maxBytes });
    const out = messageSlab.alloc(size);
    if (size > 0) {
      const w = this.run(out);
      // Kept out of run(): a branch first reached after run()'s loop was compiled on stack (a long
      // frame such as the primer) had no type feedback and deoptimized run() again and again.
      this.total = w > TOTAL_FOLD ? this.ring.length + (w & this.mask) : w;
    }
    this.broken = false;
    return out;
  }

  /** Append `bytes` to the history as {@link LzEncoder.absorb} did at the other end (no symbols read). */
  absorb(bytes: Uint8Array): void {
    const ring = this.ring;
    const mask = this.mask;
    let w = this.total;
    // Only the last ring-full can matter.
    const from = bytes.length > ring.length ? bytes.length - ring.length : 0;
    if (from > 0) w += from;
    for (let i = from; i < bytes.length; ) {
      const at = w & mask;
      const n = Math.min(bytes.length - i, ring.length - at);
      ring.set(bytes.subarray(i, i + n), at);
      i += n;
      w += n;
    }
    this.total = w > TOTAL_FOLD ? ring.length + (w & mask) : w;
  }

  /** Decode symbols into `out` until it is full; returns the new total. */
  private run(out: Uint8Array): number {
    const m = this.m;
    const p = m.p;
    const lit = m.lit;
    const rc = this.rc;
    const ring = this.ring;
    const mask = this.mask;
    let w = this.total;
    let o = 0;
    let litMode = 0;
    let litEnd = -1;
    while (o < out.length) {
      const s = m.state;
      if (rc.bit(p, IS_MATCH + s) === 0) {
        litMode = nextRunMode(ring, w, mask, w === litEnd ? litMode : -1);
        // Bytes before the first one written read as 0 (the ring starts zeroed and w never wraps below its size).
        const c = litMode === 1 && s < 7 ? lit.decodeBlob(rc) : lit.decodeMixed(rc, ring[(w - 1) & mask], ring[(w - 2) & mask], ring[(w - 3) & mask], s < 7 ? -1 : ring[(w - m.reps[0]) & mask], litMode);
        litEnd = w + 1;
        ring[w & mask] = c;
        out[o++] = c;
        w++;
        m.state = afterLiteral(s);
        continue;
      }
      let len: number;
      if (rc.bit(p, IS_REP + s) === 1) {
        if (rc.bit(p, IS_REP_G0 + s) === 0) {
          if (rc.bit(p, IS_REP0_LONG + s) === 0) throw new M2MError('DECOMPRESS_FAILED', 'm2m-lz-1: short rep is not used by this version');
        } else if (rc.bit(p, IS_REP_G1 + s) === 0) m.useRep(1);
        else m.useRep(rc.bit(p, IS_REP_G2 + s) === 0 ? 2 : 3);
        len = this.readLen(REP_LEN);
        m.state = afterRep(s);
      } else {
        len = this.readLen(LEN);
        m.pushDist(this.readDist(len) + 1);
        m.state = afterMatch(s);
      }
      const dist = m.reps[0];
      if (dist > Math.min(w, ring.length) || dist < 1) throw new M2MError('DECOMPRESS_FAILED', `m2m-lz-1: distance ${dist} is beyond the history`);
      if (len > out.length - o) throw new M2MError('DECOMPRESS_FAILED', 'm2m-lz-1: match runs past the declared frame size');
      for (let k = 0; k < len; k++) {
        const c = ring[(w - dist) & mask];
        ring[w & mask] = c;
        out[o++] = c;
        w++;
      }
    }
    return w;
  }

  private readLen(base: number): number {
    const p = this.m.p;
    const rc = this.rc;
    if (rc.bit(p, base) === 0) return MIN_MATCH + rc.tree(p, base + 2, 3);
    if (rc.bit(p, base + 1) === 0) return MIN_MATCH + 8 + rc.tree(p, base + 10, 3);
    return MIN_MATCH + 16 + rc.tree(p, base + 18, 8);
  }

  private readDist(len: number): number {
    const p = this.m.p;
    const rc = this.rc;
    const slot = rc.tree(p, POS_SLOT + Math.min(len - MIN_MATCH, 3) * 64, 6);
    if (slot < 4) return slot;
    const footer = (slot >>> 1) - 1;
    const base = (2 | (slot & 1)) * 2 ** footer;
    if (slot < END_POS_MODEL) return base + rc.reverseTree(p, POS_SPECIAL + slot * 64, footer);
    return base + rc.direct(footer - 4) * 16 + rc.reverseTree(p, ALIGN, 4);
  }
}
