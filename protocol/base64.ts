/**
 * Strict standard base64 (RFC 4648 §4, `A–Z a–z 0–9 + /`, `=` padding), as the
 * Rust reference's `base64::STANDARD` engine: canonical padding is required.
 * Node's own decoder silently skips bad characters, so we validate first.
 */
import { M2MError } from './errors.js';

const VALID = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decode strict standard base64.
 * @param maxBytes refuse input whose decoded size would exceed this
 * @throws M2MError INVALID_BASE64, INPUT_TOO_LARGE
 */
export function fromBase64(text: string, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array {
  if (text.length % 4 !== 0) throw new M2MError('INVALID_BASE64', `base64 length ${text.length} is not a multiple of 4 (truncated?)`);
  if ((text.length / 4) * 3 > maxBytes + 2) throw new M2MError('INPUT_TOO_LARGE', `base64 payload decodes to more than ${maxBytes} bytes`);
  if (!VALID.test(text)) throw new M2MError('INVALID_BASE64', 'base64 contains characters outside the standard alphabet or bad padding');
  const buf = Buffer.from(text, 'base64');
  // Canonical check: the unused low bits of the last symbol must be zero.
  if (buf.toString('base64') !== text) throw new M2MError('INVALID_BASE64', 'non-canonical base64 padding bits');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
