/**
 * Shared model of the `m2m-lz-1` session compressor: adaptive binary probabilities (LZMA-style,
 * 11-bit, shift 5) and the coder state (last-symbol state, four repeat distances). Encoder and
 * decoder update it identically, and it lives for the whole session, so a frame pays no table
 * cost: only its symbols and ~2 bytes of range-coder flush.
 */

import { LiteralModel } from './lz-literal.js';

/** Probability scale (11 bits) and adaptation shift. */
export const PROB_BITS = 15;
export const PROB_INIT = 1 << (PROB_BITS - 1);
export const FAST_BITS = 4;
export const MOVE_BITS = 6;

/** Shortest and longest match one symbol codes. */
export const MIN_MATCH = 2;
export const MAX_MATCH = MIN_MATCH + 8 + 8 + 256 - 1;

const STATES = 12;
export const IS_MATCH = 0;
export const IS_REP = IS_MATCH + STATES;
export const IS_REP_G0 = IS_REP + STATES;
export const IS_REP_G1 = IS_REP_G0 + STATES;
export const IS_REP_G2 = IS_REP_G1 + STATES;
export const IS_REP0_LONG = IS_REP_G2 + STATES;
/** 4 length states × 64 distance slots. */
export const POS_SLOT = IS_REP0_LONG + STATES;
/** Reverse bit trees for the footer of slots 4..13 (64 probabilities per slot). */
export const POS_SPECIAL = POS_SLOT + 4 * 64;
/** Reverse bit tree for the 4 low bits of distances in slots ≥ 14. */
export const ALIGN = POS_SPECIAL + 14 * 64;
/** Length coders: choice, choice2, low[8], mid[8], high[256]. */
const LEN_SIZE = 2 + 8 + 8 + 256;
export const LEN = ALIGN + 16;
export const REP_LEN = LEN + LEN_SIZE;
/** Frame size: its bit length (0..31) through a 5-bit tree, then the bits below the top one direct. */
export const SIZE_SLOT = REP_LEN + LEN_SIZE;
/** Largest bit length of a frame size (frames up to 2^28 - 1 bytes, far above the frame limits). */
export const MAX_SIZE_BITS = 28;
export const PROBS = SIZE_SLOT + 32;

/** Distance slots that code their footer with direct bits plus the 4-bit align tree. */
export const END_POS_MODEL = 14;

/** State after a literal / match / long rep / short rep (LZMA's 12-state machine). */
export function afterLiteral(s: number): number {
  return s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
}
export function afterMatch(s: number): number {
  return s < 7 ? 7 : 10;
}
export function afterRep(s: number): number {
  return s < 7 ? 8 : 11;
}

/** Slot of a distance-1 value `d` (0..2^32-1): 0..3 as is, then 2 slots per power of two. */
export function distSlot(d: number): number {
  if (d < 4) return d;
  const n = 31 - Math.clz32(d);
  return 2 * n + ((d >>> (n - 1)) & 1);
}

/** Probabilities plus the coder state; `clone` gives an independent copy (used for primed starts). */
export class LzModel {
  readonly p: Uint16Array;
  state = 0;
  /** Repeat distances (≥ 1), most recent first. */
  readonly reps: Int32Array;
  /** Literal bytes are coded by their own mixing model. */
  readonly lit: LiteralModel;

  constructor(from?: LzModel) {
    this.p = from ? from.p.slice() : new Uint16Array(2 * PROBS).fill(PROB_INIT);
    this.reps = from ? from.reps.slice() : Int32Array.of(1, 1, 1, 1);
    this.lit = new LiteralModel(from?.lit);
    if (from) this.state = from.state;
  }

  /** Move repeat distance `k` to the front. */
  useRep(k: number): void {
    const d = this.reps[k];
    for (let j = k; j > 0; j--) this.reps[j] = this.reps[j - 1];
    this.reps[0] = d;
  }

  /** Push a new match distance. */
  pushDist(d: number): void {
    this.reps[3] = this.reps[2];
    this.reps[2] = this.reps[1];
    this.reps[1] = this.reps[0];
    this.reps[0] = d;
  }
}
