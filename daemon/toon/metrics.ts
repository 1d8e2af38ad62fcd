/** Counters kept by the TOON middleware, plugin and client (seed `003` TransportMetrics). */

export interface ToonMetrics {
  /** Requests handled (client: sent). */
  requestCount: number;
  /** Original JSON bytes sent (before TOON). */
  bytesSent: number;
  /** Original JSON bytes received (after TOON decoding). */
  bytesReceived: number;
  /** Original bytes minus wire bytes, both directions. */
  bytesSaved: number;
  /** Original tokens minus wire tokens (needs a token counter; gzip bodies are not counted). */
  tokensSaved: number;
  /** Mean of (1 − wire/original) over every encoded or decoded body. */
  compressionRatio: number;
  /** Total time spent encoding, nanoseconds. */
  encodeLatencyNs: number;
  /** Total time spent decoding, nanoseconds. */
  decodeLatencyNs: number;
}

/** Fresh zeroed metrics. */
export function newToonMetrics(): ToonMetrics {
  return { requestCount: 0, bytesSent: 0, bytesReceived: 0, bytesSaved: 0, tokensSaved: 0, compressionRatio: 0, encodeLatencyNs: 0, decodeLatencyNs: 0 };
}

/** Mutable recorder behind a metrics snapshot. */
export class ToonMeter {
  private readonly m = newToonMetrics();
  private bodies = 0;

  constructor(private readonly countTokens?: (text: string) => number) {}

  request(): void {
    this.m.requestCount++;
  }

  /** Record one body: its original JSON text and its wire form. */
  body(direction: 'sent' | 'received', original: string, wire: Uint8Array, ns: bigint, gzipped: boolean): void {
    const origBytes = Buffer.byteLength(original, 'utf8');
    if (direction === 'sent') {
      this.m.bytesSent += origBytes;
      this.m.encodeLatencyNs += Number(ns);
    } else {
      this.m.bytesReceived += origBytes;
      this.m.decodeLatencyNs += Number(ns);
    }
    this.m.bytesSaved += origBytes - wire.length;
    if (this.countTokens && !gzipped) this.m.tokensSaved += this.countTokens(original) - this.countTokens(Buffer.from(wire).toString('utf8'));
    const ratio = origBytes === 0 ? 0 : 1 - wire.length / origBytes;
    this.bodies++;
    this.m.compressionRatio += (ratio - this.m.compressionRatio) / this.bodies;
  }

  /** A copy of the current counters. */
  snapshot(): ToonMetrics {
    return { ...this.m };
  }
}
