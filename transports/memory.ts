/**
 * In-process transport for tests: `memory://name`. Each direction is a WHATWG byte pipe with real
 * backpressure (a paused reader stops the writer), carrying the same length-prefixed framing as
 * QUIC/WebTransport. Faults can be injected: per-chunk delay, splitting writes into small chunks
 * (partial writes), and sudden loss of the connection (`sever`).
 */
import { EventEmitter } from 'node:events';
import type { Connection, DialOptions, Listener, ListenerEvents, ListenOptions, Transport } from './transport.js';
import { resolveOptions, type ResolvedOptions } from './defaults.js';
import { StreamConnection, type ByteStreamPair } from './stream-connection.js';
import { TransportError, dialAborted } from './errors.js';

/** Faults applied to every chunk written in either direction. */
export interface MemoryFaults {
  /** Delay before a written chunk becomes readable, in ms. @default 0 */
  delayMs?: number;
  /** Split every write into chunks of at most this many bytes (partial writes). @default no split */
  maxChunkBytes?: number;
  /** Bytes a pipe holds before the writer waits for the reader (Infinity = a library that never pushes back). @default 64 KiB */
  pipeBytes?: number;
  /** Run the framing's credit-based flow control with this window (as WebTransport does). @default off */
  creditWindow?: number;
}

interface Pipe {
  pair: ByteStreamPair;
  fail(err: Error): void;
}

function pipe(faults: MemoryFaults): Pipe {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const capacity = faults.pipeBytes ?? 64 * 1024;
  const readable = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        const w = wake;
        wake = undefined;
        w?.();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: capacity }),
  );
  const deliver = (chunk: Uint8Array): void => {
    if (failed) return;
    const step = faults.maxChunkBytes ?? chunk.byteLength;
    for (let off = 0; off < chunk.byteLength; off += step) controller.enqueue(chunk.slice(off, off + step));
  };
  const writable = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      if (failed) throw failed;
      if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
      deliver(chunk);
      while (!failed && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((r) => (wake = r));
      if (failed) throw failed;
    },
    close: async () => {
      if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
      if (!failed) controller.close();
    },
    abort: (reason) => {
      fail(reason instanceof Error ? reason : new TransportError('CONNECTION_LOST', 'peer aborted'));
    },
  });
  function fail(err: Error): void {
    if (failed) return;
    failed = err;
    try {
      controller.error(err);
    } catch {
      // already closed
    }
    wake?.();
  }
  return { pair: { readable, writable }, fail };
}

class MemoryConnection extends StreamConnection {
  readonly transport = 'memory' as const;
  constructor(
    streams: ByteStreamPair,
    private readonly pipes: Pipe[],
    name: string,
    opts: ResolvedOptions,
    creditWindow: number | undefined,
  ) {
    super(streams, { address: `memory:${name}`, authenticated: false }, opts, { creditWindow });
  }

  /** The other end, for the session-level close a real transport would carry. */
  peer: MemoryConnection | undefined;

  protected shutdown(graceful: boolean, reason: string): void {
    if (!graceful) for (const p of this.pipes) p.fail(new TransportError('CONNECTION_LOST', `peer aborted: ${reason}`));
    else setImmediate(() => this.peer?.lost(undefined, reason));
  }

  /** Tear down both directions as if the link died; each side sees a non-graceful close. */
  sever(err: Error): void {
    for (const p of this.pipes) p.fail(err);
    this.lost(err, err.message);
  }
}

/** Two connected ends plus a switch that cuts the link. */
export interface MemoryPair {
  a: Connection;
  b: Connection;
  /** Lose the connection: both sides see a non-graceful close with `CONNECTION_LOST`. */
  sever(): void;
}

/** Create a connected pair directly (no listener). `opts` apply to `a`, and to `b` unless `bOpts` is given. */
export function memoryPair(faults: MemoryFaults = {}, opts: ListenOptions = {}, name = 'pair', bOpts?: ListenOptions): MemoryPair {
  const r = resolveOptions(opts);
  const rb = bOpts ? resolveOptions(bOpts) : r;
  const ab = pipe(faults);
  const ba = pipe(faults);
  const a = new MemoryConnection({ readable: ba.pair.readable, writable: ab.pair.writable }, [ab, ba], name, r, faults.creditWindow);
  const b = new MemoryConnection({ readable: ab.pair.readable, writable: ba.pair.writable }, [ab, ba], name, rb, faults.creditWindow);
  a.peer = b;
  b.peer = a;
  const sever = (): void => {
    const err = new TransportError('CONNECTION_LOST', 'connection lost');
    a.sever(err);
    b.sever(err);
  };
  return { a, b, sever };
}

const listeners = new Map<string, MemoryListener>();

class MemoryListener extends EventEmitter<ListenerEvents> implements Listener {
  readonly transport = 'memory' as const;
  readonly connections = new Set<Connection>();
  private closing: Promise<void> | undefined;
  constructor(
    readonly url: string,
    readonly name: string,
    readonly opts: ListenOptions,
    readonly faults: MemoryFaults,
  ) {
    super();
  }

  accept(conn: Connection): void {
    this.connections.add(conn);
    conn.once('close', () => this.connections.delete(conn));
    this.emit('connection', conn);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      listeners.delete(this.name);
      await Promise.all([...this.connections].map((c) => c.close('listener closed')));
      this.emit('close');
    })();
    return this.closing;
  }
}

function nameOf(url: string | URL): string {
  const u = new URL(url);
  if (u.protocol !== 'memory:' || !u.host) throw new TransportError('INVALID_ADDRESS', `not a memory://name URL: ${String(url)}`);
  return u.host;
}

/** The in-memory transport. `faults` apply to connections accepted by listeners created afterwards. */
export function memoryTransport(faults: MemoryFaults = {}): Transport {
  return {
    name: 'memory',
    schemes: ['memory'],
    async listen(url, opts = {}) {
      const name = nameOf(url);
      if (listeners.has(name)) throw new TransportError('LISTEN_FAILED', `memory://${name} is already listening`);
      resolveOptions(opts);
      const l = new MemoryListener(`memory://${name}`, name, opts, faults);
      listeners.set(name, l);
      return l;
    },
    async dial(url, opts: DialOptions) {
      const name = nameOf(url);
      if (opts.signal.aborted) throw dialAborted(opts.signal);
      await new Promise((r) => setImmediate(r));
      if (opts.signal.aborted) throw dialAborted(opts.signal);
      const l = listeners.get(name);
      if (!l) throw new TransportError('DIAL_FAILED', `nothing listens on memory://${name}`);
      const pair = memoryPair(l.faults, opts, name, l.opts);
      l.accept(pair.b);
      return pair.a;
    },
  };
}
