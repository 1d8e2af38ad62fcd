/**
 * Literal spans that the compiler must keep verbatim (and the fidelity metric
 * checks): inline code, quoted strings, URLs, paths and file names,
 * identifiers (snake_case, camelCase, PascalCase, ALL_CAPS, names with digits,
 * dotted or `::` names) and numbers. List-enumeration markers at line start
 * ("1.", "2)") are formatting, not literals.
 */
import { STOPWORDS } from './lexicon.js';
import { GLASGOW_STOPWORDS } from './stopwords.js';

const FILE_EXT = 'ts|tsx|js|jsx|mjs|cjs|py|md|mdc|json|ya?ml|toml|php|go|rs|java|kt|swift|dart|c|cc|cpp|h|hpp|cs|rb|sh|html?|css|scss|sass|less|txt|sql|vue|svelte|astro|xml|lock|env|ini|cfg|conf|csv|ipynb|gradle|proto|tf|lua|ex|exs|erl|hs|scala|r|jl|pl|zig|nim|sol|graphql|prisma|rst';

/** One literal occurrence. */
export interface LiteralSpan {
  start: number;
  end: number;
  text: string;
  kind: 'code' | 'quoted' | 'url' | 'path' | 'identifier' | 'number';
}

const PARTS: [LiteralSpan['kind'], string][] = [
  ['code', '`[^`\\n]+`|\\$?\\{\\{?[^{}\\n]{1,80}\\}\\}?'],
  ['quoted', '"(?=\\S)[^"\\n]{0,1000}(?<=\\S)"|“[^”\\n]{1,1000}”|(?<![\\w’])\'(?=\\S)[^\'\\n]{0,120}(?<=\\S)\'(?![\\w])'],
  ['url', 'https?://[^\\s<>()"\'`]*[^\\s<>()"\'`.,;:!?]'],
  ['path', `(?:~|\\.{1,2})?(?:[\\w@.-]+)?(?:[/\\\\][\\w@.*{}\\[\\]-]*[\\w@*{}\\[\\]-])+[/\\\\]?|(?<![\\w.])[\\w-]+(?:\\.[\\w-]+)*\\.(?:${FILE_EXT})(?![\\w])`],
  ['identifier', '[A-Za-z_$][\\w$]*(?:(?:\\.|::|->)[A-Za-z_$][\\w$]*)+(?:\\(\\))?|[A-Za-z_$][\\w$]*\\(\\)|\\w*[a-z]\\w*_\\w+|_\\w+|[a-z][a-z0-9]*[A-Z]\\w*|[A-Z][a-z0-9]+[A-Z]\\w*|[A-Z][A-Z0-9]*[0-9][A-Z0-9]*|(?=[A-Za-z]*\\d)[A-Za-z][\\w]*\\d[\\w]*|[A-Z]{2,}[0-9A-Z_]*'],
  ['number', '\\d+(?:[.,:]\\d+)*(?:%|\\+|[a-zA-Z]{1,3}\\b)?'],
];

/** A fenced code block (``` or ~~~), up to its closing fence or the end of the text. */
export const FENCE_RE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;

const LITERAL_RE = new RegExp(PARTS.map(([, p]) => `(${p})`).join('|'), 'g');
/**
 * A list-enumeration marker at line start, after optional quote, heading,
 * bullet or bold markup: group 1 is the prefix, group 2 the marker itself.
 */
export const LIST_MARKER_RE = /^(\s*(?:>\s*)*(?:#{1,6}\s+)?(?:[-*+•]\s+)?(?:\*\*|__)?)(\d{1,3}[.)]|[a-zA-Z][.)])(?=\s|\*\*|__)/;

/**
 * Find literal spans in `text`, left to right, non-overlapping. ALL-CAPS
 * words that are stopwords ("DO NOT") are not identifiers.
 */
export function findLiterals(text: string): LiteralSpan[] {
  const out: LiteralSpan[] = [];
  LITERAL_RE.lastIndex = 0;
  for (let m = LITERAL_RE.exec(text); m !== null; m = LITERAL_RE.exec(text)) {
    const kindIndex = m.slice(1).findIndex((g) => g !== undefined);
    const kind = PARTS[kindIndex][0];
    const start = m.index;
    const t = m[0];
    const before = text[start - 1];
    if (before !== undefined && /\w/.test(before) && kind !== 'quoted' && kind !== 'code') continue;
    if (kind === 'identifier' && /^[A-Z]+$/.test(t) && STOPWORDS.has(t.toLowerCase())) continue;
    if (kind === 'number' || kind === 'identifier') {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const lm = LIST_MARKER_RE.exec(text.slice(lineStart, start + t.length + 3));
      if (lm && lineStart + lm[1].length === start) continue;
    }
    out.push({ start, end: start + t.length, text: t, kind });
  }
  return out;
}

/** Distinct literal strings of `text` (the set the fidelity metric requires to survive). */
export function literalSet(text: string): Set<string> {
  return new Set(findLiterals(text).map((s) => s.text));
}

/** Lower-cased words of `text` (runs of Unicode letters, split at anything else). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/**
 * Distinct content words: lower-cased, at least 2 letters, not in `stop`
 * (the metric's published list, Glasgow/scikit-learn by default).
 */
export function contentWords(text: string, stop: ReadonlySet<string> = GLASGOW_STOPWORDS): Set<string> {
  const s = new Set<string>();
  for (const w of words(text)) if (w.length >= 2 && !stop.has(w)) s.add(w);
  return s;
}
