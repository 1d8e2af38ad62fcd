// The segment finders as they were before the run-length prefilters and the one-pass rot13 finder (commit 40029e5),
// kept verbatim as the reference the optimised decodeSegments must equal.

import { isUtf8 } from 'node:buffer';

/** Most segments one call decodes; later ones are ignored. */
const MAX_DECODE_SEGMENTS = 16;
/** Longest encoded segment decoded, in characters. */
const MAX_DECODE_SEGMENT_CHARS = 64 * 1024;

interface DecodedSegment {
  /** Which encoding: 'base64' | 'hex' | 'url-encoding' | 'ascii-codes' | 'rot13' | 'split-strings' (the last is not reported as a flag). */
  kind: string;
  text: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * True when `s` reads as text: no control characters besides whitespace,
 * mostly letters and spaces, at least 4 characters (16 without a space).
 */
function looksLikeText(s: string): boolean {
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

const COMMON = new Set(
  ('the and you for are with this that have not all your from what will can any must now new into only tell give show print write ' +
    'ignore previous instructions instruction system prompt password secret reveal rules above before forget disregard pretend mode user ' +
    'assistant say following text was has his her they them their there here then than when which who how why please should would could ' +
    'about also just like more some other been were its our out use make know take see get want need answer question developer admin ' +
    'access key code data send email message repeat output response everything').split(' '),
);

function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (ch) => {
    const c = ch.charCodeAt(0);
    const base = c >= 0x61 ? 0x61 : 0x41;
    return String.fromCharCode(((c - base + 13) % 26) + base);
  });
}

/** The common words as they look after rot13, so a word is checked without rotating it. */
const ROT_COMMON = new Set([...COMMON].map(rot13));
const WORD3 = /[A-Za-z]{3,}/g;

function commonHits(segment: string): { words: number; hits: number; rotHits: number } {
  let words = 0;
  let hits = 0;
  let rotHits = 0;
  WORD3.lastIndex = 0;
  for (let m = WORD3.exec(segment); m !== null; m = WORD3.exec(segment)) {
    words++;
    const w = m[0].toLowerCase();
    if (COMMON.has(w)) hits++;
    else if (ROT_COMMON.has(w)) rotHits++;
  }
  return { words, hits, rotHits };
}

/** Segments of running text (split at line breaks and sentence punctuation) that read as English only after rot13. */
function findRot13(text: string, out: DecodedSegment[]): void {
  if (!/[A-Za-z]{3,}/.test(text)) return;
  for (const seg of text.split(/[\n.!?;:"()[\]{}]+/)) {
    if (seg.length < 12 || out.length >= MAX_DECODE_SEGMENTS) continue;
    const { words, hits, rotHits } = commonHits(seg);
    if (words >= 3 && rotHits >= 2 && rotHits >= 2 * hits + 1 && rotHits * 4 >= words) out.push({ kind: 'rot13', text: rot13(seg).trim() });
  }
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
 * Decode every embedded segment of `text` that turns into readable text.
 * Returns at most {@link MAX_DECODE_SEGMENTS} segments, in the order found per encoding.
 */
export function referenceDecodeSegments(text: string): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  if (text.length >= 16) scan(text, BASE64_RE, 'base64', decodeBase64, out);
  if (text.length >= 16) scan(text, HEX_RUN_RE, 'hex', decodeHexDigits, out);
  if (text.includes('\\x')) scan(text, HEX_ESCAPED_RE, 'hex', (s) => decodeHexDigits(s.replace(/\\x/g, '')), out);
  scan(text, HEX_SPACED_RE, 'hex', (s) => decodeHexDigits(s.replace(/[ :,-]/g, '')), out);
  // A URL_RE match needs four `%XX` escapes (they cannot overlap), so texts with fewer skip that regex.
  if (text.includes('%') && (text.match(PERCENT_ESCAPE_RE)?.length ?? 0) >= 4) {
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
  scan(text, ASCII_CODES_RE, 'ascii-codes', (s) => {
    const d = String.fromCharCode(...s.split(/[\s,;]+/).filter(Boolean).map(Number));
    return looksLikeText(d) && d.includes(' ') ? d : null;
  }, out);
  findRot13(text, out);
  findSplitStrings(text, out);
  return out;
}
