/**
 * Obfuscation generators for evaluation: the cheap character tricks that
 * defeat most published detectors. `m2m eval security` applies each one to
 * every attack and reports recall on the copies.
 */

/** Letters with a Cyrillic look-alike (the most common homoglyph attack). */
const TO_CYRILLIC: Readonly<Record<string, string>> = Object.freeze({
  a: 'а', c: 'с', e: 'е', i: 'і', j: 'ј', o: 'о', p: 'р', s: 'ѕ', x: 'х', y: 'у',
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х',
});

/** `ignore all` → `i g n o r e   a l l` (letters one space apart, words three). */
export function spacedLetters(text: string): string {
  return text
    .split(/([ \t]+)/)
    .map((part) => (/^[ \t]+$/.test(part) ? '   ' : part.replace(/[A-Za-z]{2,}/g, (w) => w.split('').join(' '))))
    .join('');
}

/** A zero-width space between every two letters of each word. */
export function zeroWidth(text: string): string {
  return text.replace(/[A-Za-z]{2,}/g, (w) => w.split('').join('\u200B'));
}

/** Replace every letter that has a Cyrillic look-alike. */
export function homoglyphs(text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => TO_CYRILLIC[ch] ?? ch);
}

/** The whole text as base64 (UTF-8). */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** ASCII as invisible Unicode tag characters (U+E0000 + code); other characters stay visible. */
export function unicodeTags(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    out += c >= 0x20 && c <= 0x7e ? String.fromCodePoint(0xe0000 + c) : ch;
  }
  return out;
}

export type ObfuscationName = 'spaced-letters' | 'zero-width' | 'homoglyphs' | 'base64' | 'unicode-tags';

/** Every generator by name, in report order. */
export const OBFUSCATIONS: Readonly<Record<ObfuscationName, (text: string) => string>> = Object.freeze({
  'spaced-letters': spacedLetters,
  'zero-width': zeroWidth,
  homoglyphs,
  base64,
  'unicode-tags': unicodeTags,
});
