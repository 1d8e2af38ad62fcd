/**
 * Which context engine a busy sender should use for the next frame: `m2m-lz-1` (`bytes+ctx`, best
 * ratio) or session Brotli (`brotli+ctx`, usually cheaper). Under pressure Brotli wins when it costs
 * clearly less CPU per input byte *and* its output is not much larger, from recent measurements of
 * both; neither is assumed faster or smaller. On fresh text Brotli is ~3× cheaper for ~1.6× the bytes
 * (it wins). On traffic that repeats from further back than Brotli's 256 KB window, `m2m-lz-1` finds
 * the earlier copy: it is then as cheap and 5–10× smaller, so it keeps the frames even where Brotli
 * would be somewhat cheaper (measured on payloads.dev.jsonl cycled, 16 messages per frame: CPU alone
 * sent 45% of the messages to Brotli, wire/JSON 0.124 instead of 0.05).
 */

/** Brotli must cost less than this share of `m2m-lz-1`'s time per byte to be picked under pressure. */
const FAST_MARGIN = 0.75;
/** … and its output may be at most this many times `m2m-lz-1`'s (per input byte). */
const MAX_BYTES_RATIO = 2;
/**
 * Under pressure, every this-many frames go to the engine not preferred, to keep both estimates
 * current. While a re-measurement leaves the choice clear (it would not change even at half the
 * probed engine's costs), the interval doubles up to REPROBE_MAX: on fresh text an `m2m-lz-1` probe
 * costs ~3× a Brotli frame, and at every 32nd frame the probes alone were ~9 µs per message on the
 * sender and ~6 µs on the receiver (bench e2e profile, frames of batched 1 KB messages). A probe
 * that finds the choice close resets it.
 */
const REPROBE_EVERY = 32;
const REPROBE_MAX = 128;
/** Weight of a new measurement in the moving average; a re-measurement of the engine not in use counts more (it is rare). */
const ALPHA = 1 / 8;
const PROBE_ALPHA = 1 / 2;
/** A measurement counts at most this many times the average (a preempted encode is not the engine's cost). */
const OUTLIER = 4;

export type Engine = 'lz' | 'fast';

/** Moving averages of one engine: CPU ms and output bytes, each per input byte; NaN until measured. */
interface Costs {
  cpu: number;
  out: number;
}

function prefer(lz: Costs, fast: Costs): Engine {
  return fast.cpu < FAST_MARGIN * lz.cpu && fast.out <= MAX_BYTES_RATIO * lz.out ? 'fast' : 'lz';
}

function average(prev: number, x: number, alpha: number, clamp: boolean): number {
  if (Number.isNaN(prev)) return x;
  return prev + ((clamp ? Math.min(x, OUTLIER * prev) : x) - prev) * alpha;
}

export class EngineChooser {
  private readonly lz: Costs = { cpu: Number.NaN, out: Number.NaN };
  private readonly fast: Costs = { cpu: Number.NaN, out: Number.NaN };
  private pressured = 0;
  private every = REPROBE_EVERY;
  /** The last choice was a re-measurement of the engine not preferred. */
  private probing = false;

  /** The engine for the next frame: `lz` unless under pressure, where the rule above decides. */
  choose(pressure: boolean): Engine {
    this.probing = false;
    if (!pressure) return 'lz';
    if (Number.isNaN(this.fast.cpu)) return 'fast';
    if (Number.isNaN(this.lz.cpu)) return 'lz';
    const preferred = prefer(this.lz, this.fast);
    if (++this.pressured < this.every) return preferred;
    this.pressured = 0;
    this.probing = true;
    return preferred === 'fast' ? 'lz' : 'fast';
  }

  /** Record that `engine` took `ms` to encode `bytes` input bytes into `outBytes` (default: as many). */
  record(engine: Engine, ms: number, bytes: number, outBytes = bytes): void {
    if (bytes <= 0 || !(ms >= 0) || !(outBytes >= 0)) return;
    const c = engine === 'lz' ? this.lz : this.fast;
    const alpha = this.probing ? PROBE_ALPHA : ALPHA;
    c.cpu = average(c.cpu, ms / bytes, alpha, true);
    c.out = average(c.out, outBytes / bytes, alpha, false);
    if (this.probing) {
      const half = { cpu: c.cpu / 2, out: c.out / 2 };
      const clear = engine === 'lz' ? prefer(half, this.fast) === 'fast' : prefer(this.lz, half) === 'lz';
      this.every = clear ? Math.min(REPROBE_MAX, this.every * 2) : REPROBE_EVERY;
    }
    this.probing = false;
  }

  /** Current estimates (CPU ms and output bytes per input byte), for tests and diagnostics. */
  get costs(): { lz: number; fast: number; lzOut: number; fastOut: number } {
    return { lz: this.lz.cpu, fast: this.fast.cpu, lzOut: this.lz.out, fastOut: this.fast.out };
  }

  /** Pressured frames between two re-measurements now (for tests and diagnostics). */
  get reprobeInterval(): number {
    return this.every;
  }
}
