/**
 * Which context engine a busy sender should use for the next frame: `m2m-lz-1` (`bytes+ctx`, best
 * ratio) or session Brotli (`brotli+ctx`, usually cheaper). Under pressure the cheaper one per input
 * byte wins, from recent measured encode times; neither is assumed faster, because `m2m-lz-1` is
 * cheaper than Brotli on traffic that repeats (long matches) and dearer on fresh text.
 */

/** Brotli must cost less than this share of `m2m-lz-1`'s time per byte to be picked under pressure. */
const FAST_MARGIN = 0.75;
/**
 * Under pressure, every this-many frames go to the engine not preferred, to keep both costs current.
 * While a re-measurement still finds that engine at least FAR_APART times dearer, the interval doubles
 * (up to REPROBE_MAX): on fresh text an `m2m-lz-1` probe costs ~3× a Brotli frame, and at every 32nd
 * frame the probes alone were ~9 µs per message on the sender and ~6 µs on the receiver (bench e2e
 * profile, frames of batched 1 KB messages). A probe that finds the two closer resets it.
 */
const REPROBE_EVERY = 32;
const REPROBE_MAX = 256;
const FAR_APART = 2;
/** Weight of a new measurement in the moving average; a re-measurement of the engine not in use counts more (it is rare). */
const ALPHA = 1 / 8;
const PROBE_ALPHA = 1 / 2;
/** A measurement counts at most this many times the average (a preempted encode is not the engine's cost). */
const OUTLIER = 4;

export type Engine = 'lz' | 'fast';

export class EngineChooser {
  /** Recent cost of each engine in ms per input byte; NaN until measured. */
  private lz = Number.NaN;
  private fast = Number.NaN;
  private pressured = 0;
  private every = REPROBE_EVERY;
  /** The last choice was a re-measurement of the engine not preferred. */
  private probing = false;

  /** The engine for the next frame: `lz` unless under pressure, where the cheaper one wins. */
  choose(pressure: boolean): Engine {
    this.probing = false;
    if (!pressure) return 'lz';
    if (Number.isNaN(this.fast)) return 'fast';
    if (Number.isNaN(this.lz)) return 'lz';
    const preferred: Engine = this.fast < FAST_MARGIN * this.lz ? 'fast' : 'lz';
    if (++this.pressured < this.every) return preferred;
    this.pressured = 0;
    this.probing = true;
    return preferred === 'fast' ? 'lz' : 'fast';
  }

  /** Record that `engine` took `ms` to encode `bytes` input bytes. */
  record(engine: Engine, ms: number, bytes: number): void {
    if (bytes <= 0 || !(ms >= 0)) return;
    const prev = engine === 'lz' ? this.lz : this.fast;
    const x = Number.isNaN(prev) ? ms / bytes : Math.min(ms / bytes, OUTLIER * prev);
    const next = Number.isNaN(prev) ? x : prev + (x - prev) * (this.probing ? PROBE_ALPHA : ALPHA);
    if (engine === 'lz') this.lz = next;
    else this.fast = next;
    if (this.probing) {
      const apart = Math.max(this.lz, this.fast) / Math.min(this.lz, this.fast);
      this.every = apart >= FAR_APART ? Math.min(REPROBE_MAX, this.every * 2) : REPROBE_EVERY;
    }
    this.probing = false;
  }

  /** Pressured frames between two re-measurements now (for tests and diagnostics). */
  get reprobeInterval(): number {
    return this.every;
  }

  /** Current estimates (ms per byte), for tests and diagnostics. */
  get costs(): { lz: number; fast: number } {
    return { lz: this.lz, fast: this.fast };
  }
}
