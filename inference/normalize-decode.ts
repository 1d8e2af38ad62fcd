/**
 * Finds embedded encoded segments (base64, hex, URL-encoding, ASCII decimal
 * codes, rot13) and decodes the ones that turn into readable text. Each
 * finder is one regex pass; decoding is bounded by segment count and size.
 */

import { isUtf8 } from 'node:buffer';
import { rot13, SEEN_BACKSLASH, SEEN_PERCENT, SEEN_QUOTE, textProfile, type TextProfile } from './normalize-profile.js';

export { textProfile, type TextProfile } from './normalize-profile.js';

/** Most segments one call decodes; later ones are ignored. */
export const MAX_DECODE_SEGMENTS = 16;
/** Longest encoded segment decoded, in characters. */
export const MAX_DECODE_SEGMENT_CHARS = 64 * 1024;

export interface DecodedSegment {
  /** Which encoding: 'base64' | 'hex' | 'url-encoding' | 'ascii-codes' | 'rot13' | 'split-strings' (the last is not reported as a flag). */
  kind: string;
  text: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * True when `s` reads as text: no control characters besides whitespace,
 * mostly letters and spaces, at least 4 characters (16 without a space).
 */
export function looksLikeText(s: string): boolean {
  if (s.length < 4) return false;
  let letters = 0;
  let spaces = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f || c === 0xfffd) return false;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c > 0xbf) letters++;
    else if (c === 0x20 || c === 0x0a) spaces++;
  }
  if (spaces === 0 && s.length < 16) return false;
  return letters >= 3 && (letters + spaces) / s.length >= 0.6;
}

function bytesToText(bytes: Uint8Array): string | null {
  // Checking first spares the exception the fatal decoder throws on the (common) binary case.
  if (!isUtf8(bytes)) return null;
  try {
    const s = UTF8.decode(bytes);
    return looksLikeText(s) ? s : null;
  } catch {
    return null;
  }
}

const BASE64_RE = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN_RE = /(?<![0-9A-Za-z])(?:[0-9a-fA-F]{2}){8,}(?![0-9A-Za-z])/g;
const HEX_ESCAPED_RE = /(?:\\x[0-9a-fA-F]{2}){4,}/g;
const HEX_SPACED_RE = /(?<![0-9A-Za-z])[0-9a-fA-F]{2}(?:[ :,-][0-9a-fA-F]{2}){5,}(?![0-9A-Za-z])/g;
// The lookbehind only skips start positions after a non-space, non-% character: a match starting there would have
// started one character earlier, so the matches are the same and long unspaced runs are not rescanned from every position.
const URL_RE = /(?<![^\s%])[^\s%]*(?:%[0-9a-fA-F]{2}[^\s%]*){4,}/g;
const PERCENT_ESCAPE_RE = /%[0-9a-fA-F]{2}/g;
const URL_ENCODED_ALNUM = /%(?:3[0-9]|4[1-9a-fA-F]|5[0-9aA]|6[1-9a-fA-F]|7[0-9aA])/;
const ASCII_CODES_RE = /(?<![0-9])(?:(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6])[\s,;]+){5,}(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6])(?![0-9])/g;

function decodeBase64(seg: string): string | null {
  const body = seg.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  // Long all-letter runs are words or identifiers far more often than base64.
  if (!/[0-9+/_-]/.test(body) && !/[A-Z].*[a-z].*[A-Z]|[a-z][A-Z]/.test(body)) return null;
  const std = body.replace(/-/g, '+').replace(/_/g, '/');
  return bytesToText(Buffer.from(std, 'base64'));
}

function decodeHexDigits(digits: string): string | null {
  return bytesToText(Buffer.from(digits, 'hex'));
}

const SPLIT_RE = /"\s*,\s*"/g;

/** Payload splitting: many short quoted fragments (`"ig","no","re"`) that read as text once joined. Not a flag by itself: JSON arrays look alike. */
function findSplitStrings(text: string, out: DecodedSegment[]): void {
  if (out.length >= MAX_DECODE_SEGMENTS || !text.includes('","')) return;
  const joins = text.match(SPLIT_RE)?.length ?? 0;
  if (joins < 6 || text.length / joins > 24) return;
  out.push({ kind: 'split-strings', text: text.replace(SPLIT_RE, '') });
}

function scan(text: string, re: RegExp, kind: string, decode: (seg: string) => string | null, out: DecodedSegment[]): void {
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    if (out.length >= MAX_DECODE_SEGMENTS) return;
    if (m[0].length > MAX_DECODE_SEGMENT_CHARS) continue;
    const decoded = decode(m[0]);
    if (decoded !== null) out.push({ kind, text: decoded });
  }
}

/**
 * Decode every embedded segment of `text` that turns into readable text
 * (`runs`: the text's {@link textProfile}, when the caller has it).
 * Returns at most {@link MAX_DECODE_SEGMENTS} segments, in the order found per encoding.
 */
export function decodeSegments(text: string, runs: TextProfile = textProfile(text)): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  // A base64 match is a run of 16+ base64 characters, a hex run one of 16+ hex digits (also base64 characters).
  if (runs.base64 >= 16) scan(text, BASE64_RE, 'base64', decodeBase64, out);
  if (runs.base64 >= 16) scan(text, HEX_RUN_RE, 'hex', decodeHexDigits, out);
  const seen = runs.seen ?? SEEN_BACKSLASH | SEEN_PERCENT | SEEN_QUOTE;
  if (seen & SEEN_BACKSLASH && text.includes('\\x')) scan(text, HEX_ESCAPED_RE, 'hex', (s) => decodeHexDigits(s.replace(/\\x/g, '')), out);
  // Six hex pairs with five separators: 17+ characters of [0-9a-fA-F :,-] in a row.
  if (runs.hexSpaced >= 17) scan(text, HEX_SPACED_RE, 'hex', (s) => decodeHexDigits(s.replace(/[ :,-]/g, '')), out);
  // A URL_RE match needs four `%XX` escapes (they cannot overlap), so texts with fewer skip that regex.
  if (seen & SEEN_PERCENT && text.includes('%') && (text.match(PERCENT_ESCAPE_RE)?.length ?? 0) >= 4) {
    scan(text, URL_RE, 'url-encoding', (s) => {
      if (!URL_ENCODED_ALNUM.test(s)) return null;
      try {
        const d = decodeURIComponent(s);
        return looksLikeText(d) ? d : null;
      } catch {
        return null;
      }
    }, out);
  }
  // Six codes of 2+ digits with separators: 17+ characters of [0-9\s,;] in a row (non-ASCII counted as possible \s).
  if (runs.asciiCodes >= 17) scan(text, ASCII_CODES_RE, 'ascii-codes', (s) => {
    const d = String.fromCharCode(...s.split(/[\s,;]+/).filter(Boolean).map(Number));
    return looksLikeText(d) && d.includes(' ') ? d : null;
  }, out);
  for (let k = 0; k < runs.rot13.length && out.length < MAX_DECODE_SEGMENTS; k += 2) out.push({ kind: 'rot13', text: rot13(text.slice(runs.rot13[k], runs.rot13[k + 1])).trim() });
  if (seen & SEEN_QUOTE) findSplitStrings(text, out);
  return out;
}
