/**
 * Text normalisation run before every rule and before the model. It undoes
 * the cheap obfuscations attackers use against detectors and reports each
 * one as a flag, because obfuscation itself is evidence:
 *
 * 1. strip invisible characters: zero-width, bidi controls, Unicode tag
 *    characters and variation selectors (tag- and selector-smuggled text is
 *    decoded into `decoded`);
 * 2. NFKC (full-width and mathematical letters become ASCII);
 * 3. decode embedded base64 / hex / URL-encoded / ASCII-code / rot13 segments
 *    that turn into text (normalised again, up to depth 2, into `decoded`),
 *    and join payloads split into many short quoted fragments;
 * 4. strip diacritics from Latin letters (flags dense or stacked marks);
 * 5. fold homoglyphs in mixed-script words;
 * 6. collapse spaced-out letters (`i g n o r e`, `i.g.n.o.r.e`);
 * 7. fold leetspeak (`1gn0r3`).
 *
 * Every step is a linear pass; ASCII text skips the Unicode steps.
 */
import { INVISIBLE_RE, foldHomoglyphs, foldLeet, stripInvisible } from './normalize-chars.js';
import { isAscii } from './ascii.js';
import { decodeSegments, textProfile } from './normalize-decode.js';

/** Flags {@link normalize} can report. */
export type NormalizeFlag =
  | 'zero-width'
  | 'bidi'
  | 'tag-chars'
  | 'variation-selectors'
  | 'compat-letters'
  | 'diacritics'
  | 'homoglyphs'
  | 'spaced-letters'
  | 'leet'
  | 'base64'
  | 'hex'
  | 'url-encoding'
  | 'ascii-codes'
  | 'rot13';

export interface Normalized {
  /** The de-obfuscated text (decoded payloads are not spliced in; see `decoded`). */
  text: string;
  /** What was undone, sorted, each once. Empty for ordinary text. */
  flags: NormalizeFlag[];
  /** Hidden payloads found in the text (tag-smuggled, base64, hex, rot13, …), each normalised. */
  decoded: string[];
}

export interface NormalizeOptions {
  /** How many times decoded payloads are themselves decoded again. @default 2 */
  maxDepth?: number;
}

/** The empty flags and payloads of ordinary text: one frozen array shared by every result. */
const NONE = Object.freeze([]) as unknown as never[];

/** The flags of the current call: one set reused by every call (a call is synchronous; the result copies them). */
const FLAGS = new Set<string>();

/** Most decoded payloads kept per call. */
export const MAX_DECODED = 16;

const NON_ASCII = /[\u0080-\uFFFF]/;
const COMPAT_LETTERS = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u24B6-\u24E9\u1D00-\u1DBF]|\uD835[\uDC00-\uDFFF]|\uD83C[\uDD30-\uDD89]/;
const MARKS = /[\u0300-\u036f]/;
const SPACED_RE = /(?<![A-Za-z0-9])[A-Za-z0-9@$](?:(?: {1,3}|\t|[.\-_*/] ?|\r?\n)[A-Za-z0-9@$]){4,}(?![A-Za-z0-9])/g;

function foldDiacritics(text: string, flags: Set<string>): string {
  const nfd = text.normalize('NFD');
  if (!MARKS.test(nfd)) return text;
  let marks = 0;
  let letters = 0;
  let run = 0;
  let stacked = false;
  for (let i = 0; i < nfd.length; i++) {
    const c = nfd.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) {
      marks++;
      if (++run >= 3) stacked = true;
    } else {
      run = 0;
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++;
    }
  }
  if (stacked || (letters >= 8 && marks * 3 > letters)) flags.add('diacritics');
  return nfd.replace(/([A-Za-z])[\u0300-\u036f]+/g, '$1').normalize('NFC');
}

/** `[A-Za-z0-9@$]` */
function isSpacedChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x40 || c === 0x24;
}

/**
 * Necessary for a {@link SPACED_RE} match: its 5+ single characters are separated by 1–3 separator
 * characters (none of them `[A-Za-z0-9@$]`), so at least three characters in a row stand alone (no
 * such character on either side), each at most 4 positions after the previous one.
 */
export function mayHaveSpacedRun(text: string): boolean {
  let run = 0;
  let last = -10;
  let prev = false;
  let cur = text.length > 0 && isSpacedChar(text.charCodeAt(0));
  for (let i = 0; i < text.length; i++) {
    const next = i + 1 < text.length && isSpacedChar(text.charCodeAt(i + 1));
    if (cur && !prev && !next) {
      run = i - last <= 4 ? run + 1 : 1;
      if (run >= 3) return true;
      last = i;
    }
    prev = cur;
    cur = next;
  }
  return false;
}

/** Join runs of single characters separated by spaces or punctuation; wider gaps become word breaks. */
function collapseSpaced(text: string, flags: Set<string>, mayHaveRun: boolean): string {
  if (text.length < 9 || !mayHaveRun) return text;
  return text.replace(SPACED_RE, (run) => {
    const chars: string[] = [];
    const seps: string[] = [];
    let i = 0;
    while (i < run.length) {
      chars.push(run[i]);
      i++;
      let sep = '';
      while (i < run.length && !/[A-Za-z0-9@$]/.test(run[i])) sep += run[i++];
      if (sep) seps.push(sep);
    }
    if (chars.filter((c) => /[A-Za-z]/.test(c)).length < 3) return run;
    const narrow = Math.min(...seps.map((s) => s.length));
    let out = chars[0];
    for (let k = 1; k < chars.length; k++) out += (seps[k - 1].length > narrow ? ' ' : '') + chars[k];
    flags.add('spaced-letters');
    return out;
  });
}

function run(input: string, depth: number, maxDepth: number, flags: Set<string>, decoded: string[]): string {
  let text = input;
  const nonAscii = !isAscii(text);
  if (nonAscii) {
    if (INVISIBLE_RE.test(text)) {
      const inv = stripInvisible(text);
      text = inv.text;
      for (const f of inv.flags) flags.add(f);
      for (const s of inv.smuggled) addDecoded(s, depth, maxDepth, flags, decoded);
    }
    if (COMPAT_LETTERS.test(text)) flags.add('compat-letters');
    text = text.normalize('NFKC');
  }
  const profile = textProfile(text);
  for (const seg of decodeSegments(text, profile)) {
    if (seg.kind !== 'split-strings') flags.add(seg.kind);
    addDecoded(seg.text, depth, maxDepth, flags, decoded);
  }
  // ASCII text is still ASCII here (nothing above changes it).
  if (nonAscii && NON_ASCII.test(text)) {
    text = foldDiacritics(text, flags);
    // Dotless ı is an ordinary Turkish letter: folded for matching, never evidence.
    if (text.includes('ı')) text = text.replace(/ı/g, 'i');
    text = foldHomoglyphs(text, flags);
  }
  // ASCII text is unchanged since it was profiled; other text may have changed.
  const collapsed = collapseSpaced(text, flags, nonAscii ? mayHaveSpacedRun(text) : profile.spaced);
  if (!nonAscii && collapsed === text && !profile.leet) return text;
  return foldLeet(collapsed, flags);
}

function addDecoded(payload: string, depth: number, maxDepth: number, flags: Set<string>, decoded: string[]): void {
  if (decoded.length >= MAX_DECODED || payload.trim().length === 0) return;
  const slot = decoded.length;
  decoded.push('');
  decoded[slot] = depth < maxDepth ? run(payload, depth + 1, maxDepth, flags, decoded) : payload;
}

/**
 * Normalise `text` for scanning. Linear in the length of the text. The
 * result is frozen (the last one is reused when the same text comes again).
 *
 * @example normalize('1gn0r3 pr3v10us r u l e s') → { text: 'ignore previous rules', flags: ['leet', 'spaced-letters'], decoded: [] }
 */
export function normalize(text: string, options: NormalizeOptions = {}): Normalized {
  const depth = options.maxDepth ?? 2;
  // The rules and the model both normalise the same message back to back: keep the last result.
  if (last !== null && last.depth === depth && last.input === text) return last.output;
  const flags = FLAGS;
  flags.clear();
  const decoded: string[] = [];
  const out = run(text, 0, depth, flags, decoded);
  const output: Normalized = Object.freeze({
    text: out,
    flags: flags.size === 0 ? NONE : (Object.freeze([...flags].sort()) as NormalizeFlag[]),
    decoded: decoded.length === 0 ? NONE : (Object.freeze(decoded.filter((d) => d.length > 0)) as string[]),
  });
  last = { input: text, depth, output };
  return output;
}

let last: { input: string; depth: number; output: Normalized } | null = null;

/** The text a scanner should read: the normalised text followed by each decoded payload on its own line. */
export function scanView(n: Normalized): string {
  return n.decoded.length === 0 ? n.text : `${n.text}\n${n.decoded.join('\n')}`;
}
