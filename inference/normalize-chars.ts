/**
 * Character-level normalisation steps: invisible characters (zero-width,
 * bidi controls, Unicode tags, variation selectors), homoglyph folding and
 * leetspeak folding. Each step is one linear pass and reports what it saw.
 */

/** Zero-width and other invisible formatting characters that carry no text. */
const ZERO_WIDTH = new Set([0x00ad, 0x034f, 0x115f, 0x1160, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x3164, 0xfeff, 0xffa0]);
/** Bidi embedding/override/isolate controls and marks. */
const BIDI_OVERRIDE = new Set([0x202d, 0x202e]);
const BIDI_OTHER = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x2066, 0x2067, 0x2068, 0x2069]);
const WAVING_BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

/** Quick test: does the text contain anything {@link stripInvisible} acts on? */
export const INVISIBLE_RE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]|\u034F|[\uFE00-\uFE0F]|\uDB40[\uDC00-\uDDEF]/;
const RTL_RE = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isVariationSelector(c: number): boolean {
  return (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);
}

function vsByte(c: number): number {
  return c <= 0xfe0f ? c - 0xfe00 : c - 0xe0100 + 16;
}

export interface InvisibleResult {
  text: string;
  flags: Set<string>;
  /** Payloads smuggled in tag characters or variation selectors, decoded. */
  smuggled: string[];
}

/**
 * Remove invisible characters. Flags only what ordinary text does not do:
 * zero-width characters inside ASCII words, bidi overrides (or any bidi
 * control in text without right-to-left script), tag characters outside a
 * flag emoji, and runs of variation selectors (emoji smuggling). A leading
 * BOM, ZWJ inside emoji and ZWNJ in Persian or Indic text are removed silently.
 */
export function stripInvisible(text: string): InvisibleResult {
  const flags = new Set<string>();
  const smuggled: string[] = [];
  const out: string[] = [];
  const hasRtl = RTL_RE.test(text);
  let zwSuspicious = 0;
  let tagText = '';
  let inFlagEmoji = false;
  let vsBytes: number[] = [];
  let prevVisible = -1;
  let start = 0;
  const flushVs = (): void => {
    if (vsBytes.length >= 4) {
      const decoded = Buffer.from(vsBytes).toString('utf8');
      flags.add('variation-selectors');
      smuggled.push(decoded);
    }
    vsBytes = [];
  };
  const flushTags = (): void => {
    if (tagText.length > 0) {
      flags.add('tag-chars');
      smuggled.push(tagText);
      tagText = '';
    }
  };
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i) as number;
    const width = c > 0xffff ? 2 : 1;
    let drop = false;
    if (ZERO_WIDTH.has(c)) {
      drop = true;
      if (!(c === 0xfeff && i === 0)) {
        const next = i + width < text.length ? text.charCodeAt(i + width) : -1;
        const prevAscii = prevVisible >= 0 && isAsciiAlnum(prevVisible);
        const nextAscii = next >= 0 && isAsciiAlnum(next);
        if (prevAscii && nextAscii) zwSuspicious += 2;
        else if (prevAscii || nextAscii) zwSuspicious += 1;
      }
    } else if (BIDI_OVERRIDE.has(c)) {
      drop = true;
      flags.add('bidi');
    } else if (BIDI_OTHER.has(c)) {
      drop = true;
      if (!hasRtl) flags.add('bidi');
    } else if (c >= 0xe0000 && c <= 0xe007f) {
      drop = true;
      if (c === CANCEL_TAG) {
        if (!inFlagEmoji) flushTags();
        inFlagEmoji = false;
      } else if (!inFlagEmoji && ((c >= 0xe0020 && c <= 0xe007e) || c === 0xe0009 || c === 0xe000a || c === 0xe000d)) {
        tagText += String.fromCharCode(c - 0xe0000);
      }
    } else if (isVariationSelector(c)) {
      drop = true;
      vsBytes.push(vsByte(c));
    }
    if (!isVariationSelector(c) && vsBytes.length > 0) flushVs();
    if (!(c >= 0xe0000 && c <= 0xe007f) && tagText.length > 0) flushTags();
    if (c === WAVING_BLACK_FLAG) inFlagEmoji = true;
    else if (!(c >= 0xe0000 && c <= 0xe007f)) inFlagEmoji = false;
    if (drop) {
      if (i > start) out.push(text.slice(start, i));
      start = i + width;
    } else {
      prevVisible = c;
    }
    i += width;
  }
  if (start < text.length) out.push(text.slice(start));
  flushVs();
  flushTags();
  if (zwSuspicious >= 2) flags.add('zero-width');
  return { text: out.join(''), flags, smuggled };
}

/** Cyrillic, Greek, Armenian and Latin-extension letters that look like ASCII letters. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', к: 'k', м: 'm', н: 'h', т: 't', п: 'n', г: 'r', ь: 'b',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', ք: 'q',
  ȷ: 'j', ɡ: 'g', ɑ: 'a', ɩ: 'i', ʏ: 'y', ʀ: 'r', ɴ: 'n', ʜ: 'h', ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴋ: 'k', ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ꜱ: 's', ſ: 's',
};
const HOMOGLYPH_CLASS = Object.keys(HOMOGLYPHS).join('');
const WORD_RE = /[\p{L}\p{M}]+/gu;
const HOMOGLYPH_TEST = new RegExp(`[${HOMOGLYPH_CLASS}]`, 'u');
const HOMOGLYPH_ALL = new RegExp(`[${HOMOGLYPH_CLASS}]`, 'gu');
const LATIN_LETTER = /[A-Za-z]/;

/**
 * Fold look-alike letters to ASCII inside words that mix scripts (`іgnоrе`),
 * and inside all-look-alike words (`ассеѕѕ`) when the text is mostly Latin or
 * has mixed-script words elsewhere. Pure Cyrillic or Greek prose is left alone.
 */
export function foldHomoglyphs(text: string, flags: Set<string>): string {
  if (!HOMOGLYPH_TEST.test(text)) return text;
  let latin = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
    else if (c >= 0x370 && c <= 0x58f) other++;
  }
  let mixedSeen = false;
  for (const m of text.matchAll(WORD_RE)) {
    if (HOMOGLYPH_TEST.test(m[0]) && LATIN_LETTER.test(m[0])) {
      mixedSeen = true;
      break;
    }
  }
  // Whole look-alike words are folded when the text is mostly Latin or mixes scripts inside words elsewhere.
  const foldWhole = mixedSeen || latin > 3 * other;
  let changed = false;
  const result = text.replace(WORD_RE, (word) => {
    if (!HOMOGLYPH_TEST.test(word)) return word;
    const mixed = LATIN_LETTER.test(word);
    if (!mixed && !foldWhole) return word;
    const folded = word.replace(HOMOGLYPH_ALL, (ch) => HOMOGLYPHS[ch] ?? ch);
    if (!mixed && /[\u0080-\uFFFF]/.test(folded)) return word;
    changed = true;
    return folded;
  });
  if (changed) flags.add('homoglyphs');
  return result;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l' };
const LEET_CHAR = /[013457890@$!|]/;
const UNIT_OR_VERSION = /^(?:\d+[A-Za-z]{1,3}|[A-Za-z]+\d[dD]|[A-Za-z_]+\d+|[0-9a-fA-F]+|\d+x\d+|0x[0-9a-fA-F]+)$/;
/** camelCase identifiers, `!` before a capital (sentence end) */
const NOT_LEET = /[a-z][A-Z]|![A-Z]/;

/**
 * Undo leetspeak (`1gn0r3` → `ignore`, `p@$$word` → `password`) in tokens
 * that mix letters and leet characters. Units and versions (`10am`, `gpt4`),
 * hex strings, numbers, e-mail addresses and `@mentions` are left alone.
 * A single folded token (a password like `Hunter2!`) is not flagged; two or more are.
 */
export function foldLeet(text: string, flags: Set<string>): string {
  if (!LEET_CHAR.test(text)) return text;
  let folded = 0;
  let out = '';
  let copied = 0;
  // Tokens are the maximal runs of [A-Za-z0-9@$!|] holding a letter (what LEET_TOKEN_RE matches); only
  // runs that also hold a leet character can change, so the others are skipped without building strings.
  for (let i = 0; i < text.length; ) {
    if (!isLeetTokenChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    let letter = false;
    let leetChar = false;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (!isLeetTokenChar(c)) break;
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letter = true;
      else if (c !== 0x32 && c !== 0x36) leetChar = true;
    }
    if (letter && leetChar && j - i >= 3 && j - i <= 24) {
      const tok = text.slice(i, j);
      const replaced = foldLeetToken(text, tok, i);
      if (replaced !== null) {
        folded++;
        out += text.slice(copied, i) + replaced;
        copied = j;
      }
    }
    i = j;
  }
  if (folded >= 2) flags.add('leet');
  return copied === 0 ? text : out + text.slice(copied);
}

/** `[A-Za-z0-9@$!|]` */
function isLeetTokenChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x40 || c === 0x24 || c === 0x21 || c === 0x7c;
}

/** The folded spelling of one token found at `offset` of `text`, or null when it is left alone. */
function foldLeetToken(text: string, tok: string, offset: number): string | null {
  if (tok.length < 3 || tok.length > 24 || !LEET_CHAR.test(tok) || /[0-9]{3}/.test(tok)) return null;
  // e-mail addresses: `name@host` followed by `.tld`
  if (tok.includes('@') && text.charCodeAt(offset + tok.length) === 0x2e) return null;
  // `\u67e5`-style escapes
  if (offset > 0 && text.charCodeAt(offset - 1) === 0x5c) return null;
  if (NOT_LEET.test(tok)) return null;
  let core = tok;
  let lead = '';
  let tail = '';
  while (core.length > 0 && (core[0] === '@' || core[0] === '$' || core[0] === '!' || core[0] === '|')) {
    lead += core[0];
    core = core.slice(1);
  }
  while (core.length > 0 && (core.endsWith('!') || core.endsWith('|'))) {
    tail = core[core.length - 1] + tail;
    core = core.slice(0, -1);
  }
  if (core.length < 3 || UNIT_OR_VERSION.test(core) || !LEET_CHAR.test(core)) return null;
  let leet = 0;
  let letters = 0;
  let out = '';
  for (const ch of core) {
    const m = LEET[ch];
    if (m !== undefined) {
      leet++;
      out += m;
    } else {
      if (ch >= '0' && ch <= '9') return null;
      letters++;
      out += ch;
    }
  }
  if (letters < 2 || leet > letters + 1) return null;
  return lead + out + tail;
}
