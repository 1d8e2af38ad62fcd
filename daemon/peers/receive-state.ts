/**
 * The receiving side of one peer's stream: which sequence numbers arrived,
 * which finished delivery (to the agent's socket), and what may be acknowledged.
 * Deliveries to different agents can finish out of order; only the contiguous
 * prefix is acknowledged, so an acknowledged message has always reached its agent.
 */
export class ReceiveState {
  /** Epoch of the stream being received ('' before the first HELLO). */
  epoch = '';
  /** Highest sequence number accepted (in order). */
  accepted = 0;
  /** Every message up to this one finished delivery. */
  delivered = 0;
  /** Last sequence number acknowledged to the sender. */
  acked = 0;
  private readonly ahead = new Set<number>();

  /** Start over when the sender's stream is a new one (its daemon restarted). */
  sync(epoch: string): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.accepted = this.delivered = this.acked = 0;
    this.ahead.clear();
  }

  /** Classify an arriving sequence number; `new` ones are accepted. */
  accept(seq: number): 'new' | 'repeat' | 'gap' {
    if (seq <= this.accepted) return 'repeat';
    if (seq !== this.accepted + 1) return 'gap';
    this.accepted = seq;
    return 'new';
  }

  /** Delivery of `seq` (of stream `epoch`) finished. */
  done(epoch: string, seq: number): void {
    if (epoch !== this.epoch) return;
    this.ahead.add(seq);
    while (this.ahead.delete(this.delivered + 1)) this.delivered++;
  }

  /** Delivered but not yet acknowledged. */
  get unacked(): number {
    return this.delivered - this.acked;
  }
}
