/**
 * Runs async preparations concurrently but their completions in submission
 * order (scans may finish out of order; deliveries must not).
 */
export class OrderedRunner {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Queued completions not yet run. */
  get size(): number {
    return this.pending;
  }

  run<T>(work: Promise<T>, complete: (result: T) => void, failed: (e: unknown) => void): void {
    this.pending++;
    work.catch(() => undefined);
    this.tail = this.tail.then(async () => {
      try {
        complete(await work);
      } catch (e) {
        failed(e);
      } finally {
        this.pending--;
      }
    });
  }

  /** Resolves once everything submitted so far completed. */
  idle(): Promise<void> {
    return this.tail;
  }
}
