/**
 * Whether a text is plain ASCII, remembered for the last text asked about:
 * the normaliser, the rules and the model each ask about the same text of one
 * scan back to back (the normalised text of clean ASCII input is the input).
 */
const NON_ASCII = /[\u0080-\uffff]/;

let lastText = '';
let lastAscii = true;

/** True when `s` has no UTF-16 code unit above U+007F. */
export function isAscii(s: string): boolean {
  if (s === lastText) return lastAscii;
  lastAscii = !NON_ASCII.test(s);
  lastText = s;
  return lastAscii;
}
