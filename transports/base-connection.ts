/**
 * Shared life cycle of every Connection: state, single `close` event, send checks,
 * backpressure bookkeeping, close deadline. Subclasses only move bytes.
 */
import { EventEmitter } from 'node:events';
import type { CloseInfo, Connection, ConnectionEvents, ConnectionState, RemoteIdentity, TransportName } from './transport.js';
import type { ResolvedOptions } from './defaults.js';
import { TransportError } from './errors.js';

export abstract class BaseConnection extends EventEmitter<ConnectionEvents> implements Connection {
  abstract readonly transport: TransportName;
  readonly remote: RemoteIdentity;
  protected readonly opts: ResolvedOptions;
  /** Reason given to close(), set once a local graceful close started. */
  protected closeReason: string | undefined;
  private paused = false;
  /** False until the first 'message' listener is attached: nothing is read or lost before that. */
  private flowing = false;
  /** Messages that arrived while not flowing or paused (already in flight); emitted later in order. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private _state: ConnectionState = 'open';
  private needDrain = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(remote: RemoteIdentity, opts: ResolvedOptions) {
    super();
    this.remote = remote;
    this.opts = opts;
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    const plain = this as unknown as EventEmitter;
    const onListener = (event: string | symbol): void => {
      if (event !== 'message') return;
      plain.off('newListener', onListener);
      // newListener fires before the listener is added: start flowing right after.
      queueMicrotask(() => {
        this.flowing = true;
        this.flush();
      });
    };
    plain.on('newListener', onListener);
  }

  /** True while the transport should not read: paused, or no 'message' listener and highWaterMark bytes held. */
  protected get readingPaused(): boolean {
    return this.paused || (!this.flowing && this.heldBytes >= this.opts.highWaterMark);
  }

  get state(): ConnectionState {
    return this._state;
  }

  abstract get bufferedAmount(): number;

  /** Hand one message to the underlying library. Called only while open. */
  protected abstract write(data: Uint8Array): void;
  /** Start an orderly close that flushes; must end in finish(). */
  protected abstract beginClose(reason: string): void;
  /** Tear down immediately; finish() is called by abort() right after. */
  protected abstract destroy(err: Error | undefined): void;
  /** Stop/restart reading from the network. */
  protected abstract setReading(on: boolean): void;

  send(data: Uint8Array): boolean {
    if (this._state !== 'open') throw new TransportError('CONNECTION_CLOSED', `send on a ${this._state} connection`);
    if (data.byteLength > this.opts.maxMessageBytes) {
      throw new TransportError('MESSAGE_TOO_LARGE', `message of ${data.byteLength} bytes exceeds maxMessageBytes ${this.opts.maxMessageBytes}`);
    }
    this.write(data);
    if (this.bufferedAmount >= this.opts.highWaterMark) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  close(reason = ''): Promise<void> {
    if (this._state === 'open') {
      this._state = 'closing';
      this.closeReason = reason;
      this.closeTimer = setTimeout(() => {
        this.abort(new TransportError('TIMEOUT', `graceful close did not finish within ${this.opts.closeTimeoutMs} ms`));
      }, this.opts.closeTimeoutMs);
      this.closeTimer.unref?.();
      try {
        this.beginClose(reason);
      } catch (e) {
        this.abort(e as Error);
      }
    }
    return this.closed;
  }

  abort(err?: Error): void {
    if (this._state === 'closed') return;
    try {
      this.destroy(err);
    } finally {
      this.finish({ local: true, graceful: false, reason: err?.message ?? 'aborted', error: err }, false);
    }
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this._state !== 'closed') this.setReading(false);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flush();
  }

  /** Emit held messages, then let the transport read again. */
  private flush(): void {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const m of held) this.deliver(m);
    if (!this.readingPaused) this.setReading(true);
  }

  /** Move open → closing without a local close() (the peer started an orderly close). */
  protected enterClosing(): void {
    if (this._state === 'open') this._state = 'closing';
  }

  /** Emit one received message unless closed. */
  protected deliver(data: Uint8Array): void {
    if (this.paused || !this.flowing) {
      this.held.push(data);
      this.heldBytes += data.byteLength;
      if (!this.paused && this.heldBytes >= this.opts.highWaterMark) this.setReading(false);
      return;
    }
    if (this._state !== 'closed') this.emit('message', data);
  }

  /** Call whenever buffered bytes went down. */
  protected maybeDrain(): void {
    if (this.needDrain && this._state === 'open' && this.bufferedAmount < this.opts.highWaterMark) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  /**
   * The connection ended: emits `close` exactly once. Remote errors are also emitted as `error`
   * when someone listens (never an unhandled `error` event).
   */
  protected finish(info: CloseInfo, emitError = !info.local): void {
    if (this._state === 'closed') return;
    this._state = 'closed';
    if (this.closeTimer) clearTimeout(this.closeTimer);
    if (emitError && info.error && this.listenerCount('error') > 0) this.emit('error', info.error);
    this.emit('close', info);
    this.resolveClosed();
  }

  /** Close info for an underlying close event: local when close() was called on this side. */
  protected endInfo(graceful: boolean, reason: string, error?: Error): CloseInfo {
    const local = this.closeReason !== undefined;
    return { local, graceful, reason: local ? (this.closeReason as string) : reason, error };
  }
}
