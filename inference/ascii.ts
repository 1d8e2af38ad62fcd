/**
 * Whether a text is plain ASCII, and its characters as bytes, remembered for
 * the last text asked about: the normaliser, the rules and the type scorer
 * each read the same text of one scan back to back (the normalised text of
 * clean ASCII input is the input). Loops over a byte array run about twice as
 * fast as `charCodeAt` loops over the string.
 */
let lastText = '';
let lastAscii = true;

/** True when `s` has no UTF-16 code unit above U+007F. */
export function isAscii(s: string): boolean {
  if (s === lastText) return lastAscii;
  // Every code unit above U+007F takes two or more UTF-8 bytes (a lone surrogate three, as U+FFFD), so the UTF-8
  // length equals the number of code units exactly for ASCII; counted natively, ~10× faster than /[\u0080-\uffff]/.
  lastAscii = Buffer.byteLength(s, 'utf8') === s.length;
  lastText = s;
  return lastAscii;
}

let bytesText = '';
let bytesLength = 0;
let buffer = Buffer.alloc(4096);
// A plain Uint8Array over the same memory: one element kind for the hot loops (a Buffer is a subclass).
let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

/**
 * The characters of the ASCII text `s` as bytes: element `i` is `s.charCodeAt(i)`, for `i < s.length`.
 * The array is scratch shared by every caller: valid until the next call with another text.
 * Only for text {@link isAscii} accepts (other code units would be truncated).
 */
export function asciiBytes(s: string): Uint8Array {
  if (s.length === bytesLength && s === bytesText) return view;
  if (s.length > buffer.length) {
    buffer = Buffer.alloc(Math.max(s.length, buffer.length * 2));
    view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  }
  buffer.write(s, 0, s.length, 'latin1');
  bytesText = s;
  bytesLength = s.length;
  return view;
}
