/**
 * A lean reader for our linear ONNX model: walks the protobuf wire format,
 * keeps only the metadata and the `W`/`b` initialisers, and leaves `W` as
 * float16 bit patterns (a view of the file's bytes when aligned). Loading the
 * shipped model this way avoids the full ONNX schema (`onnx-proto`), a decoded
 * copy of the whole model and a float32 copy of the weights: the same scores
 * for a fraction of the memory. The wire walk is a few lines of our own:
 * importing even `protobufjs/minimal` measured +4.7 MB RSS in the daemon.
 *
 * Only the happy path lives here: anything unexpected returns null and the
 * caller falls back to the full loader, which reports the precise error.
 */
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from './features.js';
import type { HalfLinearModel, LinearModel } from './linear-model.js';
import type { Label } from '../types.js';

/** `m2m.kind` of our linear model (as `onnx/linear-graph.ts` writes it). */
const LINEAR_KIND = 'linear-hashed-v1';
const FLOAT = 1;
const FLOAT16 = 10;

interface RawTensor {
  dims: number[];
  dataType: number;
  /** Byte range of `raw_data` in the file. */
  start: number;
  end: number;
}

interface Summary {
  metadata: Record<string, string>;
  nodes: number;
  tensors: Map<string, RawTensor>;
}

const UTF8 = new TextDecoder();

/** Protobuf wire-format cursor over `buf`; every read is bounds-checked (throws past the end). */
class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  /** A varint as a non-negative number (exact below 2^53; larger values only need to be skipped). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  }

  /** A length prefix, checked against the bytes left. */
  length(): number {
    const n = this.varint();
    if (n > this.buf.length - this.pos) throw new Error('length past the end');
    return n;
  }

  string(): string {
    const n = this.length();
    const s = UTF8.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  skip(n: number): void {
    if (n > this.buf.length - this.pos) throw new Error('skip past the end');
    this.pos += n;
  }

  /** Skip a field of wire type `wire` (groups are not used by ONNX and are refused). */
  skipType(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.skip(8);
    else if (wire === 2) this.skip(this.length());
    else if (wire === 5) this.skip(4);
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Read `len` bytes of an embedded message with `each(field, wireType)`; unknown fields are skipped. */
function message(r: Reader, end: number, each: (field: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (!each(field, wire)) r.skipType(wire);
  }
  if (r.pos !== end) throw new Error('truncated message');
}

function tensor(r: Reader, end: number): { name: string; t: RawTensor } {
  let name = '';
  const t: RawTensor = { dims: [], dataType: 0, start: -1, end: -1 };
  message(r, end, (field, wire) => {
    if (field === 1 && wire === 0) t.dims.push(r.varint());
    else if (field === 1 && wire === 2) {
      const stop = r.length() + r.pos;
      while (r.pos < stop) t.dims.push(r.varint());
    } else if (field === 2 && wire === 0) t.dataType = r.varint();
    else if (field === 8 && wire === 2) name = r.string();
    else if (field === 9 && wire === 2) {
      const len = r.length();
      t.start = r.pos;
      t.end = r.pos + len;
      r.skip(len);
    } else return false;
    return true;
  });
  return { name, t };
}

function summarize(bytes: Uint8Array): Summary {
  const r = new Reader(bytes);
  const out: Summary = { metadata: {}, nodes: 0, tensors: new Map() };
  message(r, bytes.length, (field, wire) => {
    if (field === 14 && wire === 2) {
      const stop = r.length() + r.pos;
      let key = '';
      let value = '';
      message(r, stop, (f, w) => {
        if (f === 1 && w === 2) key = r.string();
        else if (f === 2 && w === 2) value = r.string();
        else return false;
        return true;
      });
      if (key) out.metadata[key] = value;
    } else if (field === 7 && wire === 2) {
      const stop = r.length() + r.pos;
      message(r, stop, (f, w) => {
        if (f === 1 && w === 2) {
          out.nodes++;
          r.skip(r.length());
        } else if (f === 5 && w === 2) {
          const { name, t } = tensor(r, r.length() + r.pos);
          out.tensors.set(name, t);
        } else return false;
        return true;
      });
    } else return false;
    return true;
  });
  return out;
}

/** A copy of `bytes[start, end)` in its own buffer (`Buffer#slice` would be a view). */
function copyRange(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out.buffer;
}

function json<T>(s: string | undefined): T | undefined {
  try {
    return s === undefined ? undefined : (JSON.parse(s) as T);
  } catch {
    return undefined;
  }
}

export interface ReadLinearOptions {
  /**
   * The caller gives `bytes` up: when the float16 weights sit at an odd address and a spare byte
   * follows `bytes` in their buffer, the bytes are moved one place along (no 2 MB copy); `bytes`
   * no longer holds the model afterwards. @default false
   */
  shiftInPlace?: boolean;
}

/**
 * Read our linear model from ONNX bytes, weights kept as float16 when the
 * file stores them so (a view of `bytes` when aligned). Null when the bytes
 * are not a well-formed linear model of ours (the caller's full loader then
 * gives the precise error or handles the other model kinds).
 */
export function readLinearOnnx(bytes: Uint8Array, options: ReadLinearOptions = {}): HalfLinearModel | LinearModel | null {
  let s: Summary;
  try {
    s = summarize(bytes);
  } catch {
    return null;
  }
  const meta = s.metadata;
  if (meta['m2m.kind'] !== LINEAR_KIND || s.nodes === 0) return null;
  const labels = json<Label[]>(meta['m2m.labels']);
  const partial = json<Partial<FeatureConfig>>(meta['m2m.features']);
  const threshold = Number(meta['m2m.threshold']);
  if (!Array.isArray(labels) || !labels.includes('benign') || partial === undefined) return null;
  const features: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, ...partial };
  if (!Number.isInteger(features.bucketsLog2) || features.bucketsLog2 < 4 || features.bucketsLog2 > 24 || !(threshold > 0 && threshold < 1)) return null;
  const c = labels.length;
  const w = s.tensors.get('W');
  const b = s.tensors.get('b');
  if (!w || !b || w.start < 0 || b.start < 0) return null;
  if (w.dims.length !== 2 || w.dims[0] !== 1 << features.bucketsLog2 || w.dims[1] !== c) return null;
  const count = w.dims[0] * c;
  if (b.dataType !== FLOAT || b.end - b.start !== c * 4) return null;
  const bias = new Float32Array(copyRange(bytes, b.start, b.end));
  const settings = { version: meta['m2m.version'] ?? 'unknown', labels, features, threshold, bias };
  if (w.dataType === FLOAT16 && w.end - w.start === count * 2) {
    let at = bytes.byteOffset + w.start;
    // Misaligned for a Uint16Array view: move the bytes one place along inside their buffer when there is room
    // (the caller gave them up), else copy the weights.
    if (at % 2 !== 0 && options.shiftInPlace && bytes.byteOffset + bytes.length < bytes.buffer.byteLength) {
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length + 1).copyWithin(1, 0, bytes.length);
      at++;
    }
    const halfWeights = at % 2 === 0 ? new Uint16Array(bytes.buffer, at, count) : new Uint16Array(copyRange(bytes, w.start, w.end));
    return { ...settings, halfWeights };
  }
  if (w.dataType === FLOAT && w.end - w.start === count * 4) return { ...settings, weights: new Float32Array(copyRange(bytes, w.start, w.end)) };
  return null;
}
