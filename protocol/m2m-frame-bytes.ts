/**
 * Byte layout of the M2M v1 variable headers (routing and response): u8
 * length-prefixed UTF-8 strings, LEB128 varints, 2-bit packed roles and an
 * f32 LE cost. Readers work on exactly the variable-header slice, so nothing
 * is read past `header_len`.
 */
import { M2MError } from './errors.js';
import {
  FINISH_CODES,
  FINISH_NAMES,
  REQUEST_FLAGS,
  RESPONSE_FLAGS,
  ROLES,
  ROLE_BITS,
  type ResponseHeader,
  type Role,
  type RoutingHeader,
} from './m2m-frame-header.js';
import { readVarint, varintSize, writeVarint } from './varint.js';

/** UTF-8 bytes of `s`, cut to at most 255 bytes at a character boundary. */
function shortString(s: string): Uint8Array {
  let b = Buffer.from(s, 'utf8');
  if (b.length > 255) {
    let end = 255;
    while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
    b = b.subarray(0, end);
  }
  return b;
}

class Writer {
  buf = new Uint8Array(64);
  pos = 0;
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  str(s: string): void {
    const b = shortString(s);
    this.byte(b.length);
    this.bytes(b);
  }
  varint(n: number): void {
    this.room(varintSize(n));
    this.pos = writeVarint(this.buf, this.pos, n);
  }
  f32(x: number): void {
    this.room(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.pos, x, true);
    this.pos += 4;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export function writeRoutingHeader(h: RoutingHeader, flags: number): Uint8Array {
  const w = new Writer();
  w.str(h.model);
  w.varint(h.msgCount);
  const packed = new Uint8Array(Math.ceil((h.roles.length * 2) / 8));
  h.roles.forEach((r, i) => {
    packed[(i * 2) >> 3] |= ROLE_BITS[r] << ((i * 2) % 8);
  });
  w.bytes(packed);
  w.varint(h.contentHint);
  if (flags & REQUEST_FLAGS.HAS_MAX_TOKENS && h.maxTokens !== undefined) w.varint(h.maxTokens);
  if (h.estCostUsd !== undefined) w.f32(h.estCostUsd);
  return w.done();
}

export function writeResponseHeader(h: ResponseHeader, flags: number): Uint8Array {
  const w = new Writer();
  w.str(h.id);
  w.str(h.model);
  w.byte(h.finishReason in FINISH_CODES ? FINISH_CODES[h.finishReason] : 0xff);
  w.varint(h.promptTokens);
  w.varint(h.completionTokens);
  if (flags & RESPONSE_FLAGS.HAS_CACHED_TOKENS) w.varint(h.cachedTokens ?? 0);
  if (flags & RESPONSE_FLAGS.HAS_REASONING_TOKENS) w.varint(h.reasoningTokens ?? 0);
  if (flags & RESPONSE_FLAGS.HAS_COST_ESTIMATE && h.estCostUsd !== undefined) w.f32(h.estCostUsd);
  return w.done();
}

const bad = (what: string): M2MError => new M2MError('MALFORMED_FRAME', `M2M frame header: ${what}`);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.pos;
  }
  byte(what: string): number {
    if (this.pos >= this.b.length) throw bad(`${what} missing`);
    return this.b[this.pos++];
  }
  str(what: string): string {
    const len = this.byte(`${what} length`);
    if (this.pos + len > this.b.length) throw bad(`${what} truncated`);
    try {
      return strictUtf8.decode(this.b.subarray(this.pos, (this.pos += len)));
    } catch {
      throw bad(`${what} is not UTF-8`);
    }
  }
  varint(what: string): number {
    try {
      const r = readVarint(this.b, this.pos, 10);
      this.pos = r.next;
      return r.value;
    } catch (e) {
      throw bad(`${what}: ${(e as Error).message}`);
    }
  }
  f32(): number {
    const x = new DataView(this.b.buffer, this.b.byteOffset).getFloat32(this.pos, true);
    this.pos += 4;
    return x;
  }
}

/** Parse a routing header from exactly the variable-header bytes. @throws M2MError MALFORMED_FRAME */
export function readRoutingHeader(b: Uint8Array, flags: number): RoutingHeader {
  const r = new Reader(b);
  const model = r.str('model');
  const msgCount = r.varint('msg_count');
  const roleBytes = Math.ceil((msgCount * 2) / 8);
  if (roleBytes > r.left) throw bad('roles truncated');
  const roles: Role[] = [];
  for (let i = 0; i < msgCount; i++) roles.push(ROLES[(b[r.pos + ((i * 2) >> 3)] >> ((i * 2) % 8)) & 3]);
  r.pos += roleBytes;
  const h: RoutingHeader = { model, msgCount, roles, contentHint: r.varint('content_hint') };
  if (flags & REQUEST_FLAGS.HAS_MAX_TOKENS) h.maxTokens = r.varint('max_tokens');
  if (r.left >= 4) h.estCostUsd = r.f32();
  return h;
}

/** Parse a response header from exactly the variable-header bytes. @throws M2MError MALFORMED_FRAME */
export function readResponseHeader(b: Uint8Array, flags: number): ResponseHeader {
  const r = new Reader(b);
  const id = r.str('id');
  const model = r.str('model');
  const code = r.byte('finish_reason');
  const h: ResponseHeader = {
    id,
    model,
    finishReason: FINISH_NAMES[code] ?? 'unknown',
    promptTokens: r.varint('prompt_tokens'),
    completionTokens: r.varint('completion_tokens'),
  };
  if (flags & RESPONSE_FLAGS.HAS_CACHED_TOKENS) h.cachedTokens = r.varint('cached_tokens');
  if (flags & RESPONSE_FLAGS.HAS_REASONING_TOKENS) h.reasoningTokens = r.varint('reasoning_tokens');
  if (flags & RESPONSE_FLAGS.HAS_COST_ESTIMATE && r.left >= 4) h.estCostUsd = r.f32();
  return h;
}
