/**
 * Output side of an NDJSON socket (the agent socket, both ends): the pieces of lines written during
 * one event-loop turn are joined and handed to the socket as one string, in one `write` (one per
 * {@link MAX_JOIN_CHARS} on a busy turn).
 *
 * A corked socket with one `write` per piece also made one syscall per turn, but every piece went
 * through the stream's per-chunk bookkeeping and native writev's per-chunk encoding. Joining copies
 * the text once, which the socket's encoding of a string does anyway. Measured over a unix socket,
 * 45–200 lines of three pieces per turn: 2.3–3.4 µs per line joined, 2.7–5.4 µs corked; `bench e2e`
 * against the corked build, five sets of paired runs: the four processes' CPU per message ×0.90–1.03.
 */
import type { Socket } from 'node:net';

/**
 * Characters after which the pieces gathered so far are written at once rather than at the end of the
 * turn. A busy turn on the receiving daemon delivers hundreds of messages; without a bound their joined
 * text is one string of several hundred KB in V8's large-object space, encoded through a heap copy of
 * the same size. Under this bound it is an ordinary young string. CPU is a wash either way (`bench
 * e2e`, six pairs, a 1M-character bound instead of this one: the four processes ×1.015, the receiving
 * daemon ×1.1, its agent ×0.78 as it reads fewer, larger chunks); the bound is for memory.
 */
export const MAX_JOIN_CHARS = 32 * 1024;

export class LineWriter {
  private parts: string[] = [];
  private done: (() => void)[] = [];
  private scheduled = false;
  private ended = false;
  private chars = 0;

  constructor(private readonly socket: Socket) {}

  /**
   * Queue `piece` (the caller writes the line's `\n` itself). `written` runs once the turn's text has
   * been handed to the kernel, or at once (or at the flush) when the socket is already gone or ended: it always runs.
   */
  write(piece: string, written?: () => void): void {
    if (this.ended || this.socket.destroyed) {
      written?.();
      return;
    }
    this.parts.push(piece);
    this.chars += piece.length;
    if (written !== undefined) this.done.push(written);
    if (this.chars >= MAX_JOIN_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** Write what is queued, then end the socket (a plain `socket.end()` would drop this turn's lines). */
  end(): void {
    this.flush();
    this.ended = true;
    this.socket.end();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.parts.length === 0) return;
    this.chars = 0;
    const parts = this.parts;
    const done = this.done;
    this.parts = [];
    this.done = [];
    const text = parts.length === 1 ? parts[0] : parts.join('');
    if (this.socket.destroyed) {
      for (const f of done) f();
      return;
    }
    this.socket.write(text, done.length === 0 ? undefined : () => {
      for (const f of done) f();
    });
  };
}
