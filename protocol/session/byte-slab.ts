/**
 * Small byte arrays carved out of shared slabs, as Node's Buffer pool does: each frame, payload and
 * codec output of the message path used to be its own ArrayBuffer (a `new Uint8Array` or
 * `TextEncoder.encode`), and every young ArrayBuffer costs the scavenger a sweep and a `free`.
 * A slab is never reused: a view stays valid for as long as it lives, and the slab is freed once
 * none of its views is reachable. Views share `.buffer`, so they must not be transferred to a worker.
 */

/** Bytes per slab. @default 64 KiB */
export const SLAB_BYTES = 64 * 1024;
/** Longest array taken from a slab; longer ones get their own buffer. @default 16 KiB */
export const SLAB_MAX_BYTES = 16 * 1024;

const utf8 = new TextEncoder();

export class ByteSlab {
  private slab: Uint8Array;
  private pos = 0;

  /**
   * @param slabBytes size of each slab @default SLAB_BYTES
   * @param maxBytes longest array served from a slab @default SLAB_MAX_BYTES
   */
  constructor(private readonly slabBytes = SLAB_BYTES, private readonly maxBytes = SLAB_MAX_BYTES) {
    this.slab = new Uint8Array(slabBytes);
  }

  /** A zero-filled array of `n` bytes (a view into a slab when `n` is small). */
  alloc(n: number): Uint8Array {
    if (n > this.maxBytes) return new Uint8Array(n);
    if (this.pos + n > this.slabBytes) this.fresh();
    const out = this.slab.subarray(this.pos, this.pos + n);
    // Eight-byte steps keep later views aligned for any typed-array reader.
    this.pos += (n + 7) & ~7;
    return out;
  }

  /** A copy of `src` (as `src.slice()`, but from a slab). */
  copy(src: Uint8Array): Uint8Array {
    const out = this.alloc(src.length);
    out.set(src);
    return out;
  }

  /** The UTF-8 bytes of `text` (as `TextEncoder.encode`, but from a slab when short). */
  utf8(text: string): Uint8Array {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    const worst = text.length * 3;
    if (worst > this.maxBytes) return utf8.encode(text);
    if (this.pos + worst > this.slabBytes) this.fresh();
    const room = this.slab.subarray(this.pos, this.pos + worst);
    const { written } = utf8.encodeInto(text, room);
    this.pos += (written + 7) & ~7;
    return room.subarray(0, written);
  }

  /**
   * The UTF-8 bytes of `first`, the byte `separator`, then `second`: as encoding their concatenation,
   * without building the joined string first.
   */
  utf8Pair(first: string, separator: number, second: string): Uint8Array {
    const worst = (first.length + second.length) * 3 + 1;
    if (worst > this.maxBytes) {
      const a = utf8.encode(first);
      const b = utf8.encode(second);
      const out = new Uint8Array(a.length + 1 + b.length);
      out.set(a);
      out[a.length] = separator;
      out.set(b, a.length + 1);
      return out;
    }
    if (this.pos + worst > this.slabBytes) this.fresh();
    const at = this.pos;
    const n = utf8.encodeInto(first, this.slab.subarray(at, at + worst)).written;
    this.slab[at + n] = separator;
    const m = utf8.encodeInto(second, this.slab.subarray(at + n + 1, at + worst)).written;
    const used = n + 1 + m;
    this.pos += (used + 7) & ~7;
    return this.slab.subarray(at, at + used);
  }

  private fresh(): void {
    this.slab = new Uint8Array(this.slabBytes);
    this.pos = 0;
  }
}

/** The process-wide slab of the session message path (single-threaded use). */
export const messageSlab = new ByteSlab();
