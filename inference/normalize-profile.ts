/**
 * One pass over a text before normalisation's finders run: run lengths
 * that tell which finder regexes could match at all, the segments that read
 * as English only after rot13, and whether spaced-out letters or leetspeak
 * tokens could be present. Each answer is exactly what the finder or step it
 * stands for would conclude, so skipping on it never changes the result.
 */
import { asciiBytes, isAscii } from './ascii.js';
import { keepTokens, MAX_PUNCT_RUN, TOKEN_CLASS, TOKEN_FIELDS, TOKEN_OTHER, TOKEN_SEED, TOKEN_SPACE, TOKEN_WORD, tokenHash, tokenScratch } from './ascii-tokens.js';

/** Common English words: a segment is rot13 when more of its words are these rotated than plain. */
const COMMON = new Set(
  ('the and you for are with this that have not all your from what will can any must now new into only tell give show print write ' +
    'ignore previous instructions instruction system prompt password secret reveal rules above before forget disregard pretend mode user ' +
    'assistant say following text was has his her they them their there here then than when which who how why please should would could ' +
    'about also just like more some other been were its our out use make know take see get want need answer question developer admin ' +
    'access key code data send email message repeat output response everything').split(' '),
);

/** Rotate ASCII letters by 13. */
export function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (ch) => {
    const c = ch.charCodeAt(0);
    const base = c >= 0x61 ? 0x61 : 0x41;
    return String.fromCharCode(((c - base + 13) % 26) + base);
  });
}

/** The common words as they look after rot13, so a word is checked without rotating it. */
const ROT_COMMON = new Set([...COMMON].map(rot13));

/**
 * COMMON and ROT_COMMON in one open-addressing table keyed by a hash of the
 * lower-cased letters, so words are looked up straight from the text (no
 * substring, no lower-casing). Kind 1: a common word; 2: a rot13'd common word only.
 */
const WORD_SLOTS = 1024;
const WORD_KEYS: string[] = new Array<string>(WORD_SLOTS).fill('');
const WORD_KINDS = new Uint8Array(WORD_SLOTS);
let LONGEST_WORD = 0;
for (const w of new Set([...COMMON, ...ROT_COMMON])) {
  let slot = lowerWordHash(w, 0, w.length) & (WORD_SLOTS - 1);
  while (WORD_KEYS[slot] !== '') slot = (slot + 1) & (WORD_SLOTS - 1);
  WORD_KEYS[slot] = w;
  WORD_KINDS[slot] = COMMON.has(w) ? 1 : 2;
  LONGEST_WORD = Math.max(LONGEST_WORD, w.length);
}

/** FNV-1a of `s[from, to)` with ASCII letters lower-cased. */
function lowerWordHash(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (s.charCodeAt(i) | 0x20), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * The characters of a text as bytes: `codes[i]` is `text.charCodeAt(i)`, or {@link NON_ASCII_CODE} for a
 * code unit above U+007F (the profile treats them all alike). One element kind for every text.
 */
type Codes = Uint8Array;

const NON_ASCII_CODE = 128;
let wide = new Uint8Array(1024);

/** `text`'s codes: its bytes when ASCII (shared scratch, see `ascii.ts`), else a scratch copy with non-ASCII clamped. */
function codesOf(text: string): Codes {
  if (isAscii(text)) return asciiBytes(text);
  if (wide.length < text.length) wide = new Uint8Array(Math.max(text.length, wide.length * 2));
  for (let i = 0; i < text.length; i++) wide[i] = Math.min(text.charCodeAt(i), NON_ASCII_CODE);
  return wide;
}

/** 1 when the letters `s[from, to)` lower-cased are a common word, 2 when a rot13'd one, else 0. */
function wordKind(s: Codes, from: number, to: number): number {
  const len = to - from;
  if (len > LONGEST_WORD) return 0;
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (s[i] | 0x20), 0x01000193);
  for (let slot = (h ^ (h >>> 15)) >>> 0 & (WORD_SLOTS - 1); ; slot = (slot + 1) & (WORD_SLOTS - 1)) {
    const key = WORD_KEYS[slot];
    if (key === '') return 0;
    if (key.length !== len) continue;
    let same = true;
    for (let i = 0; i < len && same; i++) same = key.charCodeAt(i) === (s[from + i] | 0x20);
    if (same) return WORD_KINDS[slot];
  }
}

/** Character classes of ASCII code points, as bits. */
const B64 = 1; // [A-Za-z0-9+/_-]
const HEX_SPACED = 2; // [0-9a-fA-F :,-]
const CODES = 4; // [0-9\s,;]
const LETTER = 8; // [A-Za-z]
const ROT_SEP = 16; // [\n.!?;:"()[\]{}]: where findRot13's segments end
const SPACED = 32; // [A-Za-z0-9@$]: the single characters of spaced-out words
const LEET_TOKEN = 64; // [A-Za-z0-9@$!|]: characters of a token leetspeak folding looks at
const LEET_MARK = 128; // [01345789@$!|]: what makes such a token a leetspeak candidate
const CLASS = new Uint8Array(256);
// Every code unit above U+007F reads as NON_ASCII_CODE: a possible \s for the ASCII-codes run, nothing else.
CLASS.fill(CODES, 128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9+/_-]/.test(ch)) CLASS[c] |= B64;
  if (/[0-9a-fA-F :,-]/.test(ch)) CLASS[c] |= HEX_SPACED;
  if (/[0-9\s,;]/.test(ch)) CLASS[c] |= CODES;
  if (/[A-Za-z]/.test(ch)) CLASS[c] |= LETTER;
  if (/[\n.!?;:"()[\]{}]/.test(ch)) CLASS[c] |= ROT_SEP;
  if (/[A-Za-z0-9@$]/.test(ch)) CLASS[c] |= SPACED;
  if (/[A-Za-z0-9@$!|]/.test(ch)) CLASS[c] |= LEET_TOKEN;
  if (/[01345789@$!|]/.test(ch)) CLASS[c] |= LEET_MARK;
}

/** Three-letter prefixes (a–z, lower-cased) of the words that count as rot13'd common words. */
// One bit per prefix (2 KB, not 17 KB: a word's lookup stays in cache in a busy daemon).
const ROT_PREFIX = new Uint8Array((26 * 26 * 26) >> 3);
for (const w of ROT_COMMON) {
  if (COMMON.has(w)) continue;
  const at = ((w.charCodeAt(0) - 97) * 26 + (w.charCodeAt(1) - 97)) * 26 + (w.charCodeAt(2) - 97);
  ROT_PREFIX[at >> 3] |= 1 << (at & 7);
}

/** 1 when the letters at `s[at, at + 3)` could start a rot13'd common word, else 0 (added to a count without a branch). */
function rotPrefix(s: Codes, at: number): number {
  const k = (((s[at] | 0x20) - 97) * 26 + ((s[at + 1] | 0x20) - 97)) * 26 + ((s[at + 2] | 0x20) - 97);
  return (ROT_PREFIX[k >> 3] >> (k & 7)) & 1;
}

/** Does the segment `s[from, to)` read as English only after rot13 (the test findRot13 applies)? */
function rotSegment(s: Codes, from: number, to: number): boolean {
  let words = 0;
  let hits = 0;
  let rotHits = 0;
  let start = -1;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s[i] : 0x20;
    if (CLASS[c] & LETTER) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= 3) {
      words++;
      const kind = wordKind(s, start, i);
      if (kind === 1) hits++;
      else if (kind === 2) rotHits++;
    }
    start = -1;
  }
  return words >= 3 && rotHits >= 2 && rotHits >= 2 * hits + 1 && rotHits * 4 >= words;
}

/** What one pass over a text tells the finders (and the spaced-letters step) before any regex runs. */
export interface TextProfile {
  /**
   * Three `[A-Za-z0-9@$]` characters each standing alone (no such character on either side), each at most
   * 4 positions after the previous one: necessary for a spaced-out run (see `normalize.ts`).
   */
  spaced: boolean;
  /**
   * A maximal run of `[A-Za-z0-9@$!|]` of 3–24 characters with a letter and one of `[01345789@$!|]`:
   * without one, leetspeak folding (see `normalize-chars.ts`) changes nothing.
   */
  leet: boolean;
  /** Longest runs of the characters each finder's regex needs. */
  base64: number;
  hexSpaced: number;
  asciiCodes: number;
  /** `[start, end)` of every segment that reads as English only after rot13, in order. */
  rot13: number[];
  /**
   * Which of backslash, `%` and `"` occur ({@link SEEN_BACKSLASH}, {@link SEEN_PERCENT}, {@link SEEN_QUOTE}):
   * the hex-escape, URL and split-string finders need them. Absent means unknown (any may occur).
   */
  seen?: number;
}

/** The rot13 segments of a text without any: one frozen empty array shared by every such profile. */
const NO_SEGMENTS = Object.freeze([]) as unknown as number[];

export const SEEN_BACKSLASH = 1;
export const SEEN_PERCENT = 2;
export const SEEN_QUOTE = 4;
/** Per ASCII code: its {@link TextProfile.seen} bit. */
const SEEN = new Uint8Array(256);
SEEN[0x5c] = SEEN_BACKSLASH;
SEEN[0x25] = SEEN_PERCENT;
SEEN[0x22] = SEEN_QUOTE;

/**
 * One pass over `text` for the finders' prefilters and the rot13 finder. Rot13 segments are the
 * pieces between `[\n.!?;:"()[\]{}]` characters (as splitting at that class would give) of at least 12
 * characters with three `[A-Za-z]{3,}` words, two of them common words in rot13 and more of those than
 * common words. Any non-ASCII character counts as a possible `\s` for the ASCII-codes run.
 */
export function textProfile(text: string): TextProfile {
  const out: TextProfile = { spaced: false, leet: false, base64: 0, hexSpaced: 0, asciiCodes: 0, rot13: NO_SEGMENTS, seen: 0 };
  // Spaced letters: classes of the two previous characters, the run of lone characters and where the last one was.
  let p1 = 0;
  let p2 = 0;
  let loneRun = 0;
  let lastLone = -10;
  let b = 0;
  let h = 0;
  let a = 0;
  let maxB = 0;
  let maxH = 0;
  let maxA = 0;
  let segStart = 0;
  let words = 0;
  let rotCandidates = 0;
  let wordStart = -1;
  let leetStart = -1;
  let leetLetter = false;
  let leetMark = false;
  let seen = 0;
  const len = text.length;
  const codes = codesOf(text);
  // The model's tokens, cut on the way (ASCII text only; see ascii-tokens.ts): the open token's start (-1: none),
  // kind, running hash and packed codes.
  const tokens = isAscii(text) ? tokenScratch(len) : null;
  let nTok = 0;
  let tokFrom = -1;
  let tokWord = false;
  let th = 0;
  let tk0 = 0;
  let tk1 = 0;
  for (let i = 0; i <= len; i++) {
    // The end of the text closes the last word and segment like a separator.
    let c = i < len ? codes[i] : 0x0a;
    // The end sentinel is a separator for words and segments but extends no run.
    let k = i < len ? CLASS[c] : ROT_SEP;
    // Character i - 1 stands alone when it is [A-Za-z0-9@$] and neither neighbour is.
    if (p1 & SPACED && (p2 & SPACED) === 0 && (k & SPACED) === 0) {
      loneRun = i - 1 - lastLone <= 4 ? loneRun + 1 : 1;
      lastLone = i - 1;
      if (loneRun >= 3) out.spaced = true;
    }
    if (k & LETTER) {
      for (;;) {
        // A run of ASCII letters in one go: no letter next to another stands alone; every letter extends the
        // base64 run, breaks the ASCII-codes run, and joins the current leetspeak token and word. Letters are
        // word characters of the model's tokens: a punctuation token ends here, a word token starts or goes on.
        if (tokFrom >= 0 && !tokWord) {
          if (tokens !== null) putToken(tokens, nTok++, tokFrom, false, Math.min(i, tokFrom + MAX_PUNCT_RUN), th, tk0, tk1);
          tokFrom = -1;
        }
        if (tokFrom < 0) {
          tokFrom = i;
          tokWord = true;
          th = TOKEN_SEED;
          tk0 = 0;
          tk1 = 0;
        }
        const lc = c | 0x20;
        th = Math.imul(th ^ lc, 0x01000193);
        tk1 = (tk1 << 8) | (tk0 >>> 24);
        tk0 = (tk0 << 8) | lc;
        let j = i + 1;
        h = (h + 1) & -((k & HEX_SPACED) >> 1);
        if (h > maxH) maxH = h;
        for (; j < len; j++) {
          const cj = codes[j];
          const kj = CLASS[cj];
          if ((kj & LETTER) === 0) break;
          h = (h + 1) & -((kj & HEX_SPACED) >> 1);
          if (h > maxH) maxH = h;
          const l = cj | 0x20;
          th = Math.imul(th ^ l, 0x01000193);
          tk1 = (tk1 << 8) | (tk0 >>> 24);
          tk0 = (tk0 << 8) | l;
        }
        // p1 and p2 are only asked whether they are [A-Za-z0-9@$] (SPACED), as every letter is: any letter's
        // class stands for the run's last two characters.
        p2 = j - i >= 2 ? k : p1;
        p1 = k;
        b += j - i;
        if (b > maxB) maxB = b;
        a = 0;
        if (leetStart < 0) {
          leetStart = i;
          leetMark = false;
        }
        leetLetter = true;
        if (wordStart < 0) wordStart = i;
        if (j < len && codes[j] === 0x20) {
          // The space after a word (the commonest non-letter), as the general path below takes it with
          // k = CLASS[0x20] = HEX_SPACED | CODES folded in: it ends the word, its token and its leetspeak token.
          if ((p2 & SPACED) === 0) {
            loneRun = j - 1 - lastLone <= 4 ? loneRun + 1 : 1;
            lastLone = j - 1;
            if (loneRun >= 3) out.spaced = true;
          }
          p2 = p1;
          p1 = HEX_SPACED | CODES;
          if (tokens !== null) {
            // putToken(tokens, nTok++, tokFrom, true, j, th, tk0, tk1), written out: V8 leaves it a call here (the
            // function is past its inlining budget), a call per word. The hash is tokenHash's (fmix32 as int32).
            const at = nTok * TOKEN_FIELDS;
            let u = th;
            u ^= u >>> 16;
            u = Math.imul(u, 0x85ebca6b);
            u ^= u >>> 13;
            u = Math.imul(u, 0xc2b2ae35);
            u ^= u >>> 16;
            tokens[at] = (tokFrom << 1) | 1;
            tokens[at + 1] = j;
            tokens[at + 2] = u;
            tokens[at + 3] = tk0;
            tokens[at + 4] = tk1;
            nTok++;
          }
          tokFrom = -1;
          b = 0;
          h++;
          if (h > maxH) maxH = h;
          a = 1;
          if (maxA < 1) maxA = 1;
          if (leetLetter && leetMark && j - leetStart >= 3 && j - leetStart <= 24) out.leet = true;
          leetStart = -1;
          if (j - wordStart >= 3) {
            words++;
            rotCandidates += rotPrefix(codes, wordStart);
          }
          wordStart = -1;
          i = j;
          // A letter next: its run is taken here at once (the loop's checks for the space are done above).
          if (i + 1 < len && (CLASS[codes[i + 1]] & LETTER) !== 0) {
            i++;
            c = codes[i];
            k = CLASS[c];
            continue;
          }
          break;
        }
        i = j - 1;
        break;
      }
      continue;
    }
    p2 = p1;
    p1 = k;
    seen |= SEEN[c];
    // The model's tokens: a digit or underscore is a word character; a space (or the end) ends any token;
    // other characters make punctuation tokens, typed by their first MAX_PUNCT_RUN.
    const tc = TOKEN_CLASS[c];
    if (tc === TOKEN_WORD) {
      if (tokFrom >= 0 && !tokWord) {
        if (tokens !== null) putToken(tokens, nTok++, tokFrom, false, Math.min(i, tokFrom + MAX_PUNCT_RUN), th, tk0, tk1);
        tokFrom = -1;
      }
      if (tokFrom < 0) {
        tokFrom = i;
        tokWord = true;
        th = TOKEN_SEED;
        tk0 = 0;
        tk1 = 0;
      }
      th = Math.imul(th ^ c, 0x01000193);
      tk1 = (tk1 << 8) | (tk0 >>> 24);
      tk0 = (tk0 << 8) | c;
    } else {
      if (tokFrom >= 0 && (tokWord || tc === TOKEN_SPACE)) {
        if (tokens !== null) putToken(tokens, nTok++, tokFrom, tokWord, tokWord ? i : Math.min(i, tokFrom + MAX_PUNCT_RUN), th, tk0, tk1);
        tokFrom = -1;
      }
      if (tc === TOKEN_OTHER) {
        if (tokFrom < 0) {
          tokFrom = i;
          tokWord = false;
          th = TOKEN_SEED;
          tk0 = 0;
          tk1 = 0;
        }
        if (i - tokFrom < MAX_PUNCT_RUN) {
          th = Math.imul(th ^ c, 0x01000193);
          tk1 = (tk1 << 8) | (tk0 >>> 24);
          tk0 = (tk0 << 8) | c;
        }
      }
    }
    // Run lengths without branches on the class (letters and spaces alternate unpredictably): (run + 1) & mask.
    b = (b + 1) & -(k & B64);
    h = (h + 1) & -((k & HEX_SPACED) >> 1);
    a = (a + 1) & -((k & CODES) >> 2);
    if (b > maxB) maxB = b;
    if (h > maxH) maxH = h;
    if (a > maxA) maxA = a;
    if (k & LEET_TOKEN) {
      if (leetStart < 0) {
        leetStart = i;
        leetLetter = false;
        leetMark = false;
      }
      if (k & LETTER) leetLetter = true;
      else if (k & LEET_MARK) leetMark = true;
    } else if (leetStart >= 0) {
      if (leetLetter && leetMark && i - leetStart >= 3 && i - leetStart <= 24) out.leet = true;
      leetStart = -1;
    }
    if (k & LETTER) {
      if (wordStart < 0) wordStart = i;
      continue;
    }
    if (wordStart >= 0) {
      if (i - wordStart >= 3) {
        words++;
        rotCandidates += rotPrefix(codes, wordStart);
      }
      wordStart = -1;
    }
    if ((k & ROT_SEP) === 0 && i < len) continue;
    // Only a segment with two words that may be rot13'd common words can pass; those are counted exactly.
    if (i - segStart >= 12 && words >= 3 && rotCandidates >= 2 && rotSegment(codes, segStart, i)) {
      if (out.rot13 === NO_SEGMENTS) out.rot13 = [];
      out.rot13.push(segStart, i);
    }
    segStart = i + 1;
    words = 0;
    rotCandidates = 0;
  }
  out.base64 = maxB;
  out.hexSpaced = maxH;
  out.asciiCodes = maxA;
  out.seen = seen;
  if (tokens !== null) keepTokens(text, nTok);
  return out;
}

/** Token `n` of the stream: `[from, to)` (the typed part), its kind, its unigram hash from the running `h`, its packed codes. */
function putToken(tokens: Int32Array, n: number, from: number, isWord: boolean, to: number, h: number, k0: number, k1: number): void {
  const at = n * TOKEN_FIELDS;
  tokens[at] = (from << 1) | (isWord ? 1 : 0);
  tokens[at + 1] = to;
  tokens[at + 2] = tokenHash(h);
  tokens[at + 3] = k0;
  tokens[at + 4] = k1;
}
