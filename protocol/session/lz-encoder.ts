/**
 * `m2m-lz-1` encoder: one per direction and session. LZ77 over everything this direction sent
 * (up to 2^lgwin bytes back), hash-chain match finder with one-step lazy evaluation and four
 * repeat distances, symbols coded with the session-long adaptive model (lz-model.ts).
 *
 * Frame payload: one range-coded stream: the uncompressed size, then the symbols (docs/PROTOCOL.md §5).
 * Memory: history 2^lgwin + 1 MiB, chain 2 MiB, hash heads 2 MiB, model ≈ 1.8 MiB (≈ 10.8 MiB at lgwin 22).
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
  MAX_MATCH,
  MIN_MATCH,
  POS_SLOT,
  POS_SPECIAL,
  REP_LEN,
  SIZE_SLOT,
  afterLiteral,
  afterMatch,
  afterRep,
  distSlot,
} from './lz-model.js';
import { RangeEncoder } from './lz-range.js';
import { nextRunMode } from './lz-literal.js';

/**
 * 2^19 hash buckets (2 MiB of heads): half the colliding strings of 2^18 per chain walk, so depth 12
 * reaches more real candidates (held-out output −0.2%) and failing searches stop sooner.
 */
const HASH_BITS = 19;
/**
 * New matches are found through a hash of 8 bytes: shorter new matches rarely pay for their
 * distance on JSON, and the chain then holds only useful candidates (measured: 4 → 8 bytes cut
 * the held-out output by 2.2%). Shorter repeats still go out as repeat-distance matches.
 */
const HASH_LEN = 8;
/**
 * Head and chain entries hold a *stream* position modulo 2^POS_BITS (buffer index + `base`, the
 * bytes slid out so far; 2^25 is above the largest buffer, 2^24 + 2^20 bytes) and, above it,
 * TAG_BITS more bits of that position's hash, or -1 for none. Candidates are read as distances
 * back from the current position, so sliding the history never rewrites the tables (that pass over
 * 1 M entries took ~2–3 ms once per 512 KB sent: a latency spike on a busy link). Most chain
 * candidates are other 8-byte strings that share the bucket; their tag differs, so they are skipped
 * without reading the history (one cache miss each fewer).
 */
const POS_BITS = 25;
const POS_MASK = (1 << POS_BITS) - 1;
const TAG_BITS = 6;
const CHAIN_BITS = 19;
const CHAIN_SIZE = 1 << CHAIN_BITS;
const CHAIN_MASK = CHAIN_SIZE - 1;
/** Bytes appended per step. The history slides by multiples of CHAIN_SIZE and keeps ≥ 2^lgwin bytes. */
const PIECE = 1 << 19;
/** Candidates tried per position, and the length at which the search stops early. */
const DEPTH = 12;
const NICE = 273;
/** Match length after which the search shortens, and below which the next position is tried too. */
const GOOD = 32;
const LAZY_BELOW = 64;
/** Matches longer than this index only their first and last SPARSE_EDGE positions (see insertMatch). */
const SPARSE_ABOVE = 64;
const SPARSE_EDGE = 8;
/** Absorbed bytes (another codec's frames) are indexed at every ABSORB_STEP-th position. */
const ABSORB_STEP = 4;
/** Literal run length after which only every 4th position is searched. */
const SKIP_AFTER = 32;

export class LzEncoder {
  private readonly win: number;
  private data: Uint8Array;
  /** The same bytes, for comparing 4 at a time. */
  private readonly view: DataView;
  private cur = 0;
  private hashed = 0;
  /** Stream position of buffer index 0, modulo 2^POS_BITS (a multiple of CHAIN_SIZE). */
  private base = 0;
  private readonly head: Int32Array;
  private readonly prev: Int32Array;
  private readonly m: LzModel;
  private readonly rc = new RangeEncoder();
  // Main-match result of the last find().
  private fLen = 0;
  private fDist = 0;
  // Run mode of the last literal and the position after it (see nextRunMode).
  private litMode = 0;
  private litEnd = -1;

  /** @param lgwin log2 of the farthest match distance (16–24) @default 22 */
  constructor(lgwin = 22, from?: LzEncoder) {
    this.win = 1 << lgwin;
    if (from) {
      this.data = from.data.slice();
      this.view = new DataView(this.data.buffer);
      this.cur = from.cur;
      this.hashed = from.hashed;
      this.base = from.base;
      this.head = from.head.slice();
      this.prev = from.prev.slice();
      this.m = new LzModel(from.m);
    } else {
      this.data = new Uint8Array(this.win + PIECE + CHAIN_SIZE);
      this.view = new DataView(this.data.buffer);
      this.head = new Int32Array(1 << HASH_BITS).fill(-1);
      this.prev = new Int32Array(CHAIN_SIZE).fill(-1);
      this.m = new LzModel();
    }
  }

  /** An independent copy (same history and model): how primed sessions start cheaply. */
  clone(): LzEncoder {
    return new LzEncoder(Math.log2(this.win), this);
  }

  /** Compress one frame; the history and model carry over to the next call. @throws M2MError INPUT_TOO_LARGE at 2^28 bytes or more */
  compress(msg: Uint8Array): Uint8Array {
    const bits = 32 - Math.clz32(msg.length);
    if (bits > MAX_SIZE_BITS) throw new M2MError('INPUT_TOO_LARGE', `m2m-lz-1 frames hold less than 2^${MAX_SIZE_BITS} bytes`);
    this.rc.reset();
    this.rc.tree(this.m.p, SIZE_SLOT, 5, bits);
    if (bits > 1) this.rc.direct(msg.length - 2 ** (bits - 1), bits - 1);
    for (let off = 0; off < msg.length; off += PIECE) {
      const piece = msg.subarray(off, Math.min(msg.length, off + PIECE));
      this.makeRoom(piece.length);
      const start = this.cur;
      this.data.set(piece, start);
      this.cur += piece.length;
      this.parse(start, this.cur);
    }
    return this.rc.finish();
  }

  /**
   * Append `msg` to the history without coding it: the bytes of a frame the peer received through
   * another codec (`brotli+ctx`), so later frames can still refer to them. The decoder's
   * {@link LzDecoder.absorb} must see the same bytes at the same point of the stream.
   */
  absorb(msg: Uint8Array): void {
    for (let off = 0; off < msg.length; off += PIECE) {
      const piece = msg.subarray(off, Math.min(msg.length, off + PIECE));
      this.makeRoom(piece.length);
      this.data.set(piece, this.cur);
      this.cur += piece.length;
      this.insertSparse();
    }
    this.litEnd = -1;
  }

  /**
   * Index every ABSORB_STEP-th new position only: a later copy of absorbed bytes is still found, at
   * most ABSORB_STEP - 1 literals late, for a quarter of the hashing (which would otherwise cost more
   * than the Brotli frame that carried the bytes).
   */
  private insertSparse(): void {
    const last = this.cur - HASH_LEN + 1;
    const head = this.head;
    const prev = this.prev;
    const base = this.base;
    let p = this.hashed;
    for (; p < last; p += ABSORB_STEP) {
      const x = this.hash(p);
      const h = x >>> (32 - HASH_BITS);
      prev[p & CHAIN_MASK] = head[h];
      head[h] = ((p + base) & POS_MASK) | (((x >>> (32 - HASH_BITS - TAG_BITS)) & ((1 << TAG_BITS) - 1)) << POS_BITS);
    }
    if (last > this.hashed) this.hashed = last;
  }

  private makeRoom(n: number): void {
    if (this.cur + n <= this.data.length) return;
    // cur + n > capacity implies cur > win + CHAIN_SIZE, so shift ≥ CHAIN_SIZE and cur - shift ≥ win.
    const shift = Math.floor((this.cur - this.win) / CHAIN_SIZE) * CHAIN_SIZE;
    this.data.copyWithin(0, shift, this.cur);
    this.cur -= shift;
    this.litEnd = -1;
    this.hashed = Math.max(0, this.hashed - shift);
    // Entries hold stream positions: those slid out now lie more than `cur` back and find() skips them.
    this.base = (this.base + shift) & POS_MASK;
  }

  /** 32-bit hash of the HASH_LEN bytes at i: the top HASH_BITS pick the bucket, the next TAG_BITS are the tag. */
  private hash(i: number): number {
    const v = this.view;
    return Math.imul(v.getInt32(i, true), 0x9e3779b1) ^ Math.imul(v.getInt32(i + 4, true), 0x85ebca6b);
  }

  private insertUpTo(end: number): void {
    const last = Math.min(end, this.cur - HASH_LEN + 1);
    const head = this.head;
    const prev = this.prev;
    const base = this.base;
    for (let p = this.hashed; p < last; p++) {
      const x = this.hash(p);
      const h = x >>> (32 - HASH_BITS);
      // base is a multiple of CHAIN_SIZE: buffer and stream positions share their chain slot.
      prev[p & CHAIN_MASK] = head[h];
      head[h] = ((p + base) & POS_MASK) | (((x >>> (32 - HASH_BITS - TAG_BITS)) & ((1 << TAG_BITS) - 1)) << POS_BITS);
    }
    if (last > this.hashed) this.hashed = last;
  }

  /**
   * Index the positions a match of `len` at i covers: all of them for a short match, only the first
   * and last SPARSE_EDGE of a long one (zlib's max_insert_length idea). A later copy of the inside of
   * a long match is still found at its older occurrence, and the skipped hashing was ~10% of the time.
   */
  private insertMatch(i: number, len: number): void {
    if (len > SPARSE_ABOVE) {
      this.insertUpTo(i + SPARSE_EDGE);
      if (this.hashed < i + len - SPARSE_EDGE) this.hashed = i + len - SPARSE_EDGE;
    }
    this.insertUpTo(i + len);
  }

  /** Longest match (≥ HASH_LEN) for position i within maxLen; sets fLen/fDist and inserts i. */
  private find(i: number, maxLen: number): void {
    this.insertUpTo(i);
    this.fLen = 0;
    if (i + HASH_LEN > this.cur || maxLen < HASH_LEN) return;
    const d = this.data;
    const prev = this.prev;
    const x = this.hash(i);
    const h = x >>> (32 - HASH_BITS);
    const tag = ((x >>> (32 - HASH_BITS - TAG_BITS)) & ((1 << TAG_BITS) - 1)) << POS_BITS;
    let e = this.head[h];
    const at = (i + this.base) & POS_MASK;
    prev[i & CHAIN_MASK] = e;
    this.head[h] = at | tag;
    this.hashed = i + 1;
    // A candidate lies 1..maxDist back; entries slid out of the buffer (or beyond the window) lie farther.
    const maxDist = Math.min(i, this.win);
    // Only HASH_LEN-byte matches count, so a candidate with another tag (another string) cannot be one.
    let best = HASH_LEN - 1;
    let bestDist = 0;
    for (let depth = DEPTH; e >= 0 && depth > 0; depth--) {
      const dist = (at - (e & POS_MASK)) & POS_MASK;
      if (dist === 0 || dist > maxDist) break;
      const cand = i - dist;
      if ((e & ~POS_MASK) === tag && d[cand + best] === d[i + best]) {
        const n = this.extend(cand, i, 0, maxLen);
        if (n > best) {
          best = n;
          bestDist = i - cand;
          if (n >= NICE || n === maxLen) break;
          // zlib's "good match" rule: once a long match is in hand, look much less further.
          if (n >= GOOD && depth > DEPTH >> 2) depth = DEPTH >> 2;
        }
      }
      if (dist >= CHAIN_SIZE) break;
      const next = prev[cand & CHAIN_MASK];
      // The chain runs to older positions only; anything else is a slot reused since.
      if (next < 0 || ((at - (next & POS_MASK)) & POS_MASK) <= dist) break;
      e = next;
    }
    if (bestDist !== 0) {
      this.fLen = best;
      this.fDist = bestDist;
    }
  }

  private repLen(i: number, k: number, maxLen: number): number {
    const dist = this.m.reps[k];
    if (dist > i || dist > this.win) return 0;
    const d = this.data;
    if (d[i - dist] !== d[i] || d[i - dist + 1] !== d[i + 1]) return 0;
    return this.extend(i - dist, i, 2, maxLen);
  }

  /** Length of the common run of bytes at a and b, from n (already equal) up to max. */
  private extend(a: number, b: number, n: number, max: number): number {
    const v = this.view;
    const d = this.data;
    while (n + 4 <= max && v.getUint32(a + n) === v.getUint32(b + n)) n += 4;
    while (n < max && d[a + n] === d[b + n]) n++;
    return n;
  }

  private parse(start: number, end: number): void {
    let i = start;
    let cached = -1;
    let run = 0;
    while (i < end) {
      // Long literal runs (encoded blobs) are searched at every 4th position only: a match found
      // there loses at most 3 bytes, and blobs stop costing a full search per byte.
      if (run >= SKIP_AFTER && (run & 3) !== 0) {
        this.putLiteral(i);
        i++;
        run++;
        continue;
      }
      const maxLen = Math.min(MAX_MATCH, end - i);
      let rLen = 0;
      let rIdx = 0;
      if (maxLen >= MIN_MATCH) {
        for (let k = 0; k < 4; k++) {
          const n = this.repLen(i, k, maxLen);
          if (n > rLen) {
            rLen = n;
            rIdx = k;
          }
        }
      }
      if (cached !== i) this.find(i, maxLen);
      const mLen = this.fLen;
      const mDist = this.fDist;
      if (rLen >= MIN_MATCH && (rLen >= NICE || rLen + 1 >= mLen || (rLen + 2 >= mLen && mDist >= 1 << 9) || (rLen + 3 >= mLen && mDist >= 1 << 15))) {
        this.putRep(rIdx, rLen);
        this.insertMatch(i, rLen);
        i += rLen;
        run = 0;
        continue;
      }
      if (mLen >= 4) {
        if (mLen < LAZY_BELOW && i + 1 < end) {
          const nMax = Math.min(MAX_MATCH, end - i - 1);
          this.find(i + 1, nMax);
          cached = i + 1;
          const nLen = this.fLen;
          const nDist = this.fDist;
          let nRep = 0;
          if (nMax >= MIN_MATCH) for (let k = 0; k < 4; k++) nRep = Math.max(nRep, this.repLen(i + 1, k, nMax));
          if ((nLen >= mLen && nDist < mDist) || (nLen === mLen + 1 && nDist >>> 7 <= mDist) || nLen > mLen + 1 || nRep >= mLen) {
            this.putLiteral(i);
            i++;
            run++;
            continue;
          }
        }
        this.putMatch(mDist, mLen);
        this.insertMatch(i, mLen);
        i += mLen;
        run = 0;
        continue;
      }
      this.putLiteral(i);
      i++;
      run++;
    }
  }

  private putLiteral(i: number): void {
    const m = this.m;
    const p = m.p;
    const rc = this.rc;
    const d = this.data;
    rc.bit(p, IS_MATCH + m.state, 0);
    const mode = (this.litMode = nextRunMode(d, i, -1, i === this.litEnd ? this.litMode : -1));
    this.litEnd = i + 1;
    if (mode === 1 && m.state < 7) m.lit.encodeBlob(rc, d[i]);
    else m.lit.encode(rc, d[i], i > 0 ? d[i - 1] : 0, i > 1 ? d[i - 2] : 0, i > 2 ? d[i - 3] : 0, m.state < 7 ? -1 : d[i - m.reps[0]], mode);
    m.state = afterLiteral(m.state);
  }

  private putLen(base: number, len: number): void {
    const p = this.m.p;
    const rc = this.rc;
    const l = len - MIN_MATCH;
    if (l < 8) {
      rc.bit(p, base, 0);
      rc.tree(p, base + 2, 3, l);
    } else if (l < 16) {
      rc.bit(p, base, 1);
      rc.bit(p, base + 1, 0);
      rc.tree(p, base + 10, 3, l - 8);
    } else {
      rc.bit(p, base, 1);
      rc.bit(p, base + 1, 1);
      rc.tree(p, base + 18, 8, l - 16);
    }
  }

  private putRep(k: number, len: number): void {
    const m = this.m;
    const p = m.p;
    const rc = this.rc;
    const s = m.state;
    rc.bit(p, IS_MATCH + s, 1);
    rc.bit(p, IS_REP + s, 1);
    if (k === 0) {
      rc.bit(p, IS_REP_G0 + s, 0);
      rc.bit(p, IS_REP0_LONG + s, 1);
    } else {
      rc.bit(p, IS_REP_G0 + s, 1);
      if (k === 1) rc.bit(p, IS_REP_G1 + s, 0);
      else {
        rc.bit(p, IS_REP_G1 + s, 1);
        rc.bit(p, IS_REP_G2 + s, k - 2);
      }
      m.useRep(k);
    }
    this.putLen(REP_LEN, len);
    m.state = afterRep(s);
  }

  private putMatch(dist: number, len: number): void {
    const m = this.m;
    const p = m.p;
    const rc = this.rc;
    rc.bit(p, IS_MATCH + m.state, 1);
    rc.bit(p, IS_REP + m.state, 0);
    this.putLen(LEN, len);
    const dv = dist - 1;
    const slot = distSlot(dv);
    rc.tree(p, POS_SLOT + Math.min(len - MIN_MATCH, 3) * 64, 6, slot);
    if (slot >= 4) {
      const footer = (slot >>> 1) - 1;
      const reduced = dv - ((2 | (slot & 1)) << footer);
      if (slot < END_POS_MODEL) rc.reverseTree(p, POS_SPECIAL + slot * 64, footer, reduced);
      else {
        rc.direct(reduced >>> 4, footer - 4);
        rc.reverseTree(p, ALIGN, 4, reduced & 15);
      }
    }
    m.pushDist(dist);
    m.state = afterMatch(m.state);
  }
}
