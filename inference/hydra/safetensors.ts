/**
 * Minimal safetensors reader/writer (F32 only, which is all Hydra uses):
 * `u64 LE header length | JSON header | raw little-endian data`.
 * The header is bounded and every tensor's offsets are checked.
 */
import { ModelError } from '../model/errors.js';

/** Largest JSON header accepted. @default 16 MiB */
export const MAX_SAFETENSORS_HEADER_BYTES = 16 * 1024 * 1024;

export interface F32Tensor {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function bad(msg: string): ModelError {
  return new ModelError('MODEL_INVALID', `invalid safetensors file: ${msg}`);
}

/** True when the bytes look like a safetensors file (header length plus a JSON object). */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 10) return false;
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return n > 1 && n <= MAX_SAFETENSORS_HEADER_BYTES && 8 + n <= bytes.byteLength && bytes[8] === 0x7b;
}

/**
 * Parse every tensor of a safetensors file.
 * @throws ModelError `MODEL_INVALID` for a bad header, an unsupported dtype or out-of-range offsets
 */
export function readSafetensors(bytes: Uint8Array): Map<string, F32Tensor> {
  if (bytes.byteLength < 8) throw bad('shorter than its 8-byte header length');
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_SAFETENSORS_HEADER_BYTES || 8 + n > bytes.byteLength) throw bad(`header length ${n} out of range`);
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as typeof header;
  } catch {
    throw bad('header is not UTF-8 JSON');
  }
  const base = 8 + n;
  const out = new Map<string, F32Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as HeaderEntry;
    if (e.dtype !== 'F32') throw bad(`tensor '${name}' has dtype ${e.dtype}; only F32 is supported`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`tensor '${name}' has a bad shape`);
    const [start, end] = e.data_offsets ?? [];
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || base + end > bytes.byteLength || end - start !== count * 4) {
      throw bad(`tensor '${name}' has bad data offsets`);
    }
    const copy = bytes.slice(base + start, base + end);
    out.set(name, { shape: e.shape, data: new Float32Array(copy.buffer, copy.byteOffset, count) });
  }
  return out;
}

/** Serialise F32 tensors (used by tests to build synthetic checkpoints). */
export function writeSafetensors(tensors: Map<string, F32Tensor>): Uint8Array {
  const header: Record<string, HeaderEntry> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let pos = 8 + head.byteLength;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
