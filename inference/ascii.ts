/**
 * Whether a text is plain ASCII, and its characters as bytes, remembered for
 * the last text asked about: the normaliser, the rules and the type scorer
 * each read the same text of one scan back to back (the normalised text of
 * clean ASCII input is the input). Loops over a byte array run about twice as
 * fast as `charCodeAt` loops over the string.
 */
let lastText = '';
let lastAscii = true;

let bytesText = '';
let bytesLength = -1;
let buffer = Buffer.alloc(4096);
// A plain Uint8Array over the same memory: one element kind for the hot loops (a Buffer is a subclass).
let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
const ENCODER = new TextEncoder();

function grow(length: number): void {
  buffer = Buffer.alloc(Math.max(length, buffer.length * 2));
  view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/**
 * True when `s` has no UTF-16 code unit above U+007F. The text is encoded as UTF-8 into the shared byte
 * scratch on the way (one native pass for both questions): it is ASCII exactly when every code unit took
 * one byte (any other takes two or more, a lone surrogate three, as U+FFFD), and then the scratch holds
 * its bytes for {@link asciiBytes}.
 */
export function isAscii(s: string): boolean {
  if (s === lastText) return lastAscii;
  if (s.length > view.length) grow(s.length);
  const r = ENCODER.encodeInto(s, view);
  // The scratch was overwritten: it holds this text's bytes only when the text is ASCII.
  lastAscii = r.read === s.length && r.written === s.length;
  lastText = s;
  bytesText = lastAscii ? s : '';
  bytesLength = lastAscii ? s.length : -1;
  return lastAscii;
}

/**
 * The characters of the ASCII text `s` as bytes: element `i` is `s.charCodeAt(i)`, for `i < s.length`.
 * The array is scratch shared by every caller: valid until the next call of this or {@link isAscii} with
 * another text. Only for text {@link isAscii} accepts (other code units would be truncated).
 */
export function asciiBytes(s: string): Uint8Array {
  if (s.length === bytesLength && s === bytesText) return view;
  if (s.length > view.length) grow(s.length);
  buffer.write(s, 0, s.length, 'latin1');
  bytesText = s;
  bytesLength = s.length;
  return view;
}
