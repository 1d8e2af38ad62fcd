/**
 * Synchronous, long-lived Brotli streams: compress one frame and flush, keep the context.
 *
 * Node's public zlib API is either one-shot (no context) or asynchronous streams. A session
 * codec must run synchronously in order, so this drives the stream's native handle directly
 * (`_handle.writeSync` + `_writeState`), exactly as Node's own `zlib.*Sync` functions do, but
 * without closing the handle afterwards. These internals have been stable since Node 10; the
 * constructor checks they are there and fails with a clear error if a runtime changes them
 * (tests round-trip every frame, so a silent change would show there).
 */
import { constants, createBrotliCompress, createBrotliDecompress } from 'node:zlib';
import { M2MError } from '../errors.js';

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  close(): void;
}
interface ZlibInternals {
  _handle: NativeHandle | null;
  _writeState: Uint32Array;
  destroyed: boolean;
  close(): void;
  on(event: 'error', fn: (e: Error) => void): unknown;
}

const OUT_CHUNK = 64 * 1024;

abstract class SyncStream {
  private out = new Uint8Array(OUT_CHUNK);
  private closed = false;
  protected constructor(private readonly z: ZlibInternals) {
    // The native error callback destroys the stream and emits 'error' later; we detect it synchronously.
    z.on('error', () => {});
    if (!z._handle || typeof z._handle.writeSync !== 'function' || !(z._writeState instanceof Uint32Array)) {
      throw new M2MError('PROTOCOL_ERROR', 'this Node.js runtime does not expose zlib stream internals needed for session-context compression');
    }
  }

  protected run(input: Uint8Array, flush: number, maxOut: number, errCode: 'DECOMPRESS_FAILED' | 'CORRUPT_PAYLOAD'): Uint8Array {
    if (this.closed || this.z._handle === null) throw new M2MError('SESSION_CLOSED', 'compression context is closed');
    const handle = this.z._handle;
    const state = this.z._writeState;
    const parts: Uint8Array[] = [];
    let total = 0;
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      handle.writeSync(flush, input, inOff, inLen, this.out, 0, this.out.length);
      if (this.z.destroyed) {
        this.closed = true;
        throw new M2MError(errCode, 'compression context stream is corrupt');
      }
      const availOut = state[0];
      const availIn = state[1];
      const have = this.out.length - availOut;
      if (have > 0) {
        total += have;
        if (total > maxOut) {
          this.close();
          throw new M2MError('DECOMPRESSED_TOO_LARGE', `frame decompresses to more than ${maxOut} bytes`, { maxBytes: maxOut });
        }
        parts.push(this.out.slice(0, have));
      }
      inOff += inLen - availIn;
      inLen = availIn;
      if (availOut !== 0) break;
    }
    if (inLen !== 0) throw new M2MError(errCode, 'compression context left input unconsumed');
    if (parts.length === 1) return parts[0];
    const joined = new Uint8Array(total);
    let p = 0;
    for (const part of parts) {
      joined.set(part, p);
      p += part.length;
    }
    return joined;
  }

  /** Free the native stream. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.z.close();
  }
}

/** One direction's compressor: every `compress` call returns a self-contained, flushed chunk. */
export class SyncBrotliCompressor extends SyncStream {
  /**
   * @param quality 0–11 @default 7
   * @param lgwin window log2 10–24 @default 22
   */
  constructor(quality = 7, lgwin = 22) {
    super(
      createBrotliCompress({
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_LGWIN]: lgwin,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      }) as unknown as ZlibInternals,
    );
  }
  /** Compress and flush. */
  compress(bytes: Uint8Array): Uint8Array {
    return this.run(bytes, constants.BROTLI_OPERATION_FLUSH, Number.MAX_SAFE_INTEGER, 'CORRUPT_PAYLOAD');
  }
}

/** One direction's decompressor, fed exactly the chunks the peer's compressor produced. */
export class SyncBrotliDecompressor extends SyncStream {
  constructor() {
    super(createBrotliDecompress() as unknown as ZlibInternals);
  }
  /** @throws M2MError DECOMPRESS_FAILED, DECOMPRESSED_TOO_LARGE (the context is unusable afterwards) */
  decompress(bytes: Uint8Array, maxBytes: number): Uint8Array {
    return this.run(bytes, constants.BROTLI_OPERATION_PROCESS, maxBytes, 'DECOMPRESS_FAILED');
  }
}
