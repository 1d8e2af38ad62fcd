/**
 * Hot-path metric updates kept in plain numbers and handed to prom-client when it collects (a
 * scrape or `registry.metrics()`, through the metrics' `collect` hook). prom-client hashes and
 * validates the label object on every `inc`/`observe`: at thousands of messages per second that
 * was ~5 µs per message per daemon. Here an update is a Map lookup on a caller-built key and an add.
 */
import type { Counter, Histogram } from 'prom-client';

type Labels = Record<string, string>;

/**
 * Pending increments for counters that share label sets. Wire it as the `collect` of each counter
 * (`collect: () => pending.flush()`), then call {@link add} on the hot path.
 */
export class PendingCounters {
  private readonly rows = new Map<string, { labels: Labels; values: Float64Array }>();
  private counters: Counter<string>[] = [];

  /** The counters, in the order of the values given to {@link add}. */
  bind(counters: Counter<string>[]): void {
    this.counters = counters;
  }

  /**
   * Add `values[i]` to counter `i` at the label set named by `key` (the same key must always mean
   * the same labels; `labels` runs only the first time a key is seen). Zeros add nothing, as before.
   */
  add(key: string, labels: () => Labels, v0: number, v1 = 0, v2 = 0): void {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { labels: labels(), values: new Float64Array(3) };
      this.rows.set(key, row);
    }
    row.values[0] += v0;
    row.values[1] += v1;
    row.values[2] += v2;
  }

  /** Move everything pending into prom-client. */
  flush(): void {
    for (const row of this.rows.values()) {
      for (let i = 0; i < this.counters.length; i++) {
        if (row.values[i] !== 0) this.counters[i].inc(row.labels, row.values[i]);
        row.values[i] = 0;
      }
    }
  }
}

/**
 * Observations of one histogram, buffered and observed at collect time or when the buffer fills.
 * The buffer is small on purpose: prom-client's `observe` costs the same whenever it runs
 * (4–5 µs on a loaded 2-core box), so a flush of 4,096 stalled a daemon for 15–25 ms every
 * ~4 s at 1k msgs/s (a burst of late messages); 128 at a time is well under a millisecond.
 */
export class PendingObservations {
  static readonly CAPACITY = 128;
  private readonly labels: Labels[] = [];
  private readonly values = new Float64Array(PendingObservations.CAPACITY);
  private count = 0;
  private histogram: Histogram<string> | undefined;

  bind(histogram: Histogram<string>): void {
    this.histogram = histogram;
  }

  /** @param labels kept by reference until the next flush: pass a constant object per label set */
  observe(labels: Labels, value: number): void {
    if (this.count === PendingObservations.CAPACITY) this.flush();
    this.labels[this.count] = labels;
    this.values[this.count++] = value;
  }

  flush(): void {
    const h = this.histogram;
    if (h) for (let i = 0; i < this.count; i++) h.observe(this.labels[i], this.values[i]);
    this.count = 0;
  }
}
