/**
 * Splits a byte stream into lines with a bound on line length. A line that
 * grows past the bound is skipped up to its newline and reported once, so the
 * connection stays usable after a bad line.
 */

export type LineEvent = { line: string } | { tooLong: number };

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;
  private skipped = 0;

  /** @param maxLineBytes longest line accepted, newline excluded */
  constructor(private readonly maxLineBytes: number) {}

  /** Feed a chunk; returns the complete lines (and overlong-line reports) it finished. */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.keep(chunk, start, chunk.length);
        return out;
      }
      if (this.size === 0 && !this.skipping && nl - start <= this.maxLineBytes) {
        // The whole line lies in this chunk (the common case): decoded straight from it, no view or join.
        this.emit(out, chunk.toString('utf8', start, nl));
        start = nl + 1;
        continue;
      }
      this.keep(chunk, start, nl);
      if (this.skipping) {
        out.push({ tooLong: this.skipped });
        this.skipping = false;
        this.skipped = 0;
      } else {
        const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
        this.emit(out, buf.toString('utf8'));
      }
      this.parts = [];
      this.size = 0;
      start = nl + 1;
    }
  }

  /** A finished line without its CR, unless it is blank. */
  private emit(out: LineEvent[], text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim().length > 0) out.push({ line });
  }

  /** Bytes held for an unfinished line. */
  get buffered(): number {
    return this.size;
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const n = to - from;
    if (this.skipping) {
      this.skipped += n;
      return;
    }
    if (this.size + n > this.maxLineBytes) {
      this.skipping = true;
      this.skipped = this.size + n;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
    this.size += n;
  }
}
