/**
 * Unsigned LEB128 varints: 7 bits per byte, low group first, 0x80 = more follows.
 * `128 → 80 01`, `300 → AC 02`. Decoding is bounded and canonical: a truncated
 * varint, one longer than allowed, a non-minimal encoding or a value past
 * Number.MAX_SAFE_INTEGER is a typed error.
 */
import { M2MError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';

/** Bytes needed to encode `n`. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Write `n` at `pos` in `out`; returns the position after it. `out` must have room. */
export function writeVarint(out: Uint8Array, pos: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new M2MError('BAD_INPUT', `varint value must be a non-negative safe integer, got ${n}`);
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n = n >= 0x100000000 ? Math.floor(n / 128) : n >>> 7;
  }
  out[pos++] = n;
  return pos;
}

/** Encode one value. */
export function encodeVarint(n: number): Uint8Array {
  const out = new Uint8Array(varintSize(n));
  writeVarint(out, 0, n);
  return out;
}

/** Encode a list of values (e.g. token IDs) back to back. */
export function encodeVarints(values: ArrayLike<number>): Uint8Array {
  // Token IDs are < 2^21 in every tokenizer we ship, so 3 bytes per value is a tight first guess.
  let out = new Uint8Array(values.length * 3 + 8);
  let pos = 0;
  for (let i = 0; i < values.length; i++) {
    if (pos + 10 > out.length) {
      const bigger = new Uint8Array(out.length * 2 + 16);
      bigger.set(out.subarray(0, pos));
      out = bigger;
    }
    pos = writeVarint(out, pos, values[i]);
  }
  return out.slice(0, pos);
}

export interface VarintRead {
  value: number;
  /** Position just after the varint. */
  next: number;
}

/**
 * Read one varint at `pos`.
 * @throws M2MError VARINT_TRUNCATED, VARINT_OVERLONG, VARINT_OVERFLOW
 */
export function readVarint(buf: Uint8Array, pos: number, maxBytes: number = DEFAULT_LIMITS.maxVarintBytes): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; ; i++) {
    if (i >= maxBytes) throw new M2MError('VARINT_OVERLONG', `varint longer than ${maxBytes} bytes at offset ${pos}`);
    if (pos + i >= buf.length) throw new M2MError('VARINT_TRUNCATED', `varint truncated at offset ${pos + i}`);
    const b = buf[pos + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) throw new M2MError('VARINT_OVERLONG', `non-minimal varint at offset ${pos}`);
      if (!Number.isSafeInteger(value)) throw new M2MError('VARINT_OVERFLOW', `varint at offset ${pos} exceeds 2^53-1`);
      return { value, next: pos + i + 1 };
    }
    scale *= 128;
  }
}

/**
 * Decode back-to-back varints from `buf[start, end)`.
 * @param maxCount most values accepted (e.g. the token limit)
 * @throws M2MError VARINT_* codes, or TOO_MANY_TOKENS when `maxCount` is passed
 */
export function decodeVarints(buf: Uint8Array, start = 0, end = buf.length, maxCount = DEFAULT_LIMITS.maxTokens, maxBytes = 5): number[] {
  const out: number[] = [];
  let pos = start;
  const view = end === buf.length ? buf : buf.subarray(0, end);
  while (pos < end) {
    if (out.length >= maxCount) throw new M2MError('TOO_MANY_TOKENS', `more than ${maxCount} values`);
    const b = view[pos];
    if (b < 0x80) {
      out.push(b);
      pos++;
      continue;
    }
    const r = readVarint(view, pos, maxBytes);
    out.push(r.value);
    pos = r.next;
  }
  return out;
}
