/**
 * Scratch accumulator for hashed features: signed integer counts per bucket
 * in a small open-addressing table, turned into a sorted, sublinear-TF,
 * L2-normalised sparse vector by {@link Accumulator.finish}.
 */
import type { SparseVector } from './features.js';

/** `1 + ln c` for small counts, so the common case skips `Math.log` (same values: `Math.log` is deterministic). */
const SUBLINEAR = new Float64Array(256);
for (let c = 1; c < SUBLINEAR.length; c++) SUBLINEAR[c] = 1 + Math.log(c);

/**
 * Scratch accumulator reused across calls: an open-addressing table from
 * bucket to signed count, small enough to stay in cache (a dense array of
 * 2^18 counts does not), plus the list of occupied slots.
 */
/** A sparse vector held in scratch arrays: entries `[0, length)` are valid. */
export interface ScratchVector {
  indices: Int32Array;
  /** Before L2 normalisation: entry `i` of the vector is `Math.fround(values[i] * scale)`. */
  values: Float32Array;
  length: number;
  /** `1 / ‖values‖` (1 for the empty vector). */
  scale: number;
}

export class Accumulator {
  readonly mask: number;
  private readonly bits: number;
  /** Slot count minus one (a power of two minus one). */
  private slots = (1 << 13) - 1;
  /** Per slot: bucket + 1 (0 = empty), then the signed count; side by side so a probe touches one cache line. */
  private table = new Int32Array(2 << 13);
  /** Occupied slots, in no particular order. */
  private used = new Int32Array(1 << 12);
  size = 0;
  // Radix-sort scratch.
  private sortA: Int32Array = new Int32Array(1 << 12);
  private sortB: Int32Array = new Int32Array(1 << 12);
  private countA: Int32Array = new Int32Array(1 << 12);
  private countB: Int32Array = new Int32Array(1 << 12);
  private histogram = new Int32Array(1 << 11);
  private values = new Float32Array(1 << 12);
  /** Entries (indices into `used`) are also kept in lists per bin of their bucket's top bits, so they come out nearly sorted. */
  private readonly binShift: number;
  private readonly heads: Int32Array;
  /** One bit per bin with entries, so finishing visits only those (short texts fill few of the 1024 bins). */
  private readonly occupied: Int32Array;
  private next = new Int32Array(1 << 12);
  private readonly view: ScratchVector = { indices: this.sortA, values: this.values, length: 0, scale: 1 };

  constructor(bucketsLog2: number) {
    this.mask = (1 << bucketsLog2) - 1;
    this.bits = bucketsLog2;
    const binBits = Math.min(bucketsLog2, 10);
    this.binShift = bucketsLog2 - binBits;
    this.heads = new Int32Array(1 << binBits).fill(-1);
    this.occupied = new Int32Array(Math.ceil((1 << binBits) / 32));
  }

  /** Add the signed unit of hash `h` (bucket: low bits, sign: top bit). */
  add(h: number): void {
    this.addTimes(h, 1);
  }

  /** Add `times` signed units of hash `h` at once (integer counts: the same sums as `times` calls to {@link add}). */
  addTimes(h: number, times: number): void {
    const key = (h & this.mask) + 1;
    const sign = h & 0x80000000 ? -times : times;
    const table = this.table;
    const slots = this.slots;
    // Buckets are already hash bits; their low bits pick the slot.
    for (let s = (key - 1) & slots; ; s = (s + 1) & slots) {
      const k = table[2 * s];
      if (k === key) {
        table[2 * s + 1] += sign;
        return;
      }
      if (k === 0) {
        table[2 * s] = key;
        table[2 * s + 1] = sign;
        const e = this.size++;
        this.used[e] = s;
        const bin = (key - 1) >>> this.binShift;
        this.next[e] = this.heads[bin];
        this.heads[bin] = e;
        this.occupied[bin >>> 5] |= 1 << (bin & 31);
        if (this.size * 2 > slots) this.grow();
        return;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.slots + 1) * 2;
    const table = new Int32Array(2 * cap);
    this.table = table;
    this.slots = cap - 1;
    this.used = new Int32Array(cap / 2);
    this.sortA = new Int32Array(cap / 2);
    this.sortB = new Int32Array(cap / 2);
    this.countA = new Int32Array(cap / 2);
    this.countB = new Int32Array(cap / 2);
    this.next = new Int32Array(cap / 2);
    this.heads.fill(-1);
    const slots = cap - 1;
    let n = 0;
    for (let o = 0; o < old.length; o += 2) {
      const k = old[o];
      if (k === 0) continue;
      let s = (k - 1) & slots;
      while (table[2 * s] !== 0) s = (s + 1) & slots;
      table[2 * s] = k;
      table[2 * s + 1] = old[o + 1];
      const bin = (k - 1) >>> this.binShift;
      this.next[n] = this.heads[bin];
      this.heads[bin] = n;
      this.occupied[bin >>> 5] |= 1 << (bin & 31);
      this.used[n++] = s;
    }
  }

  /** LSD radix sort by bucket (at most 11 bits per pass), carrying the counts along. */
  private radixSort(buckets: Int32Array, counts: Int32Array, n: number): { buckets: Int32Array; counts: Int32Array } {
    const passes = Math.max(1, Math.ceil(this.bits / 11));
    const digit = Math.ceil(this.bits / passes);
    const bins = 1 << digit;
    if (this.histogram.length < bins) this.histogram = new Int32Array(bins);
    const hist = this.histogram;
    let outB = buckets === this.sortA ? this.sortB : this.sortA;
    let outC = counts === this.countA ? this.countB : this.countA;
    for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
      hist.fill(0, 0, bins);
      for (let k = 0; k < n; k++) hist[(buckets[k] >>> shift) & (bins - 1)]++;
      for (let d = 0, sum = 0; d < bins; d++) {
        const h = hist[d];
        hist[d] = sum;
        sum += h;
      }
      for (let k = 0; k < n; k++) {
        const at = hist[(buckets[k] >>> shift) & (bins - 1)]++;
        outB[at] = buckets[k];
        outC[at] = counts[k];
      }
      const tb = buckets;
      buckets = outB;
      outB = tb;
      const tc = counts;
      counts = outC;
      outC = tc;
    }
    return { buckets, counts };
  }

  /** The finished vector: sublinear TF, L2 norm (summed in bucket order); resets the table for the next call. */
  finish(): SparseVector {
    const v = this.finishScratch();
    const values = v.values.slice(0, v.length);
    if (v.scale !== 1) for (let i = 0; i < values.length; i++) values[i] *= v.scale;
    return { indices: v.indices.slice(0, v.length), values };
  }

  /**
   * {@link finish} into scratch arrays owned by the accumulator (valid until the
   * next call; the first `length` entries are the vector), so a scorer can take
   * the dot product without allocating.
   */
  finishScratch(): ScratchVector {
    // Bins in order, each bin's entries inserted in order: sorted output without a separate sort, as bins hold
    // about one bucket each. Crafted inputs that crowd a bin exhaust the budget and get the radix sort instead.
    const heads = this.heads;
    const next = this.next;
    const used = this.used;
    const table = this.table;
    const buckets = this.sortA;
    const counts = this.countA;
    let budget = 8 * this.size + 64;
    let n = 0;
    const occupied = this.occupied;
    for (let word = 0; word < occupied.length; word++) {
      let bits = occupied[word];
      occupied[word] = 0;
      while (bits !== 0) {
        // Lowest set bit first: bins in increasing order.
        const bin = word * 32 + (31 - Math.clz32(bits & -bits));
        bits &= bits - 1;
        let e = heads[bin];
        heads[bin] = -1;
        const binStart = n;
        for (; e !== -1; e = next[e]) {
          const s = 2 * used[e];
          const c = table[s + 1];
          const b = table[s] - 1;
          table[s] = 0;
          // Buckets whose signed count cancelled to 0 are dropped.
          if (c === 0) continue;
          let p = n;
          while (budget >= 0 && p > binStart && buckets[p - 1] > b) {
            buckets[p] = buckets[p - 1];
            counts[p] = counts[p - 1];
            p--;
            budget--;
          }
          buckets[p] = b;
          counts[p] = c;
          n++;
        }
      }
    }
    this.size = 0;
    const sorted = budget >= 0 ? { buckets, counts } : this.radixSort(buckets, counts, n);
    if (this.values.length < sorted.buckets.length) this.values = new Float32Array(sorted.buckets.length);
    const values = this.values;
    const sortedCounts = sorted.counts;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const c = sortedCounts[i];
      const abs = c < 0 ? -c : c;
      const a = abs < SUBLINEAR.length ? SUBLINEAR[abs] : 1 + Math.log(abs);
      const v = c < 0 ? -a : a;
      values[i] = v;
      norm += v * v;
    }
    // Stored unscaled: entry i of the vector is fround(values[i] * scale), as finish() computes it.
    this.view.scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
    this.view.indices = sorted.buckets;
    this.view.values = values;
    this.view.length = n;
    return this.view;
  }
}

const accumulators = new Map<number, Accumulator>();

/** The shared scratch accumulator for a bucket count (features run on one thread at a time). */
export function accumulatorFor(bucketsLog2: number): Accumulator {
  let acc = accumulators.get(bucketsLog2);
  if (!acc) {
    acc = new Accumulator(bucketsLog2);
    accumulators.set(bucketsLog2, acc);
  }
  return acc;
}
