/**
 * Telegraphic compression of one clause: literals stay verbatim, stopwords and
 * filler go, negation and restriction words stay. Four levels trade tokens
 * for fidelity; `aggressive` also drops content words and identifiers already
 * said elsewhere in the same envelope.
 */
import { FILLER_WORDS, GENERIC_WORDS, KEPT_LY_WORDS, MEANINGFUL_FUNCTION_WORDS, LOGIC_WORDS, POLARITY_WORDS, STOPWORDS } from './lexicon.js';
import { findLiterals, words } from './literals.js';

/** How hard the compiler squeezes prose. */
export type CompileLevel = 'light' | 'standard' | 'aggressive' | 'max';
export const COMPILE_LEVELS: readonly CompileLevel[] = Object.freeze(['light', 'standard', 'aggressive', 'max']);
/**
 * The level {@link compile} uses by default: the strongest one that never drops a content word
 * the prose says. `aggressive` and `max` score well on content-word recall (which counts distinct
 * words) but drop a word said twice in the envelope, and that can empty a rule ("do not type
 * commands unless I instruct" → "not unless instruct"), so they are opt-in.
 */
export const DEFAULT_COMPILE_LEVEL: CompileLevel = 'standard';

const ARTICLES = new Set(['a', 'an', 'the']);
const NEGATED = /^(?:don|doesn|didn|isn|aren|wasn|weren|won|can|cannot|shouldn|wouldn|couldn|mustn|needn|haven|hasn|hadn|ain)['’]?t$|^cannot$/i;
const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PH_RE = /\uE000(\d+)\uE001/g;

/** A line with its literals swapped for placeholders, so word rules never touch them. */
export interface Protected {
  text: string;
  literals: string[];
}

/** Replace literal spans by private-use placeholders. */
export function protect(line: string): Protected {
  const literals: string[] = [];
  let out = '';
  let pos = 0;
  for (const s of findLiterals(line)) {
    out += `${line.slice(pos, s.start)} ${PH_OPEN}${literals.length}${PH_CLOSE} `;
    literals.push(s.text);
    pos = s.end;
  }
  return { text: out + line.slice(pos), literals };
}

/** Put literals back. */
export function restore(text: string, literals: string[]): string {
  return text.replace(PH_RE, (_, i: string) => literals[Number(i)]);
}

/** True when the protected text holds at least one literal placeholder. */
export function hasLiteral(text: string): boolean {
  return text.includes(PH_OPEN);
}

function isMannerAdverb(lw: string): boolean {
  return lw.length >= 6 && lw.endsWith('ly') && !KEPT_LY_WORDS.has(lw);
}

function isIdentifier(lit: string): boolean {
  const spans = findLiterals(lit);
  return spans.length === 1 && spans[0].kind === 'identifier' && spans[0].text === lit;
}

const TOKEN_RE = /\uE000\d+\uE001|\p{L}[\p{L}\p{M}'’-]*[\p{L}\p{M}]|\p{L}|[^\s\p{L}\uE000\uE001]+/gu;

/**
 * Compress a protected clause. `seen` collects content words already emitted
 * (shared across one envelope); at `aggressive` a repeated word is dropped.
 * Returns '' when nothing with content is left.
 */
export function telegraph(p: Protected, level: CompileLevel, seen: Set<string>): string {
  const dedupe = level === 'aggressive' || level === 'max';
  const kept: string[] = [];
  let content = false;
  for (const tok of p.text.match(TOKEN_RE) ?? []) {
    if (tok.startsWith(PH_OPEN)) {
      const lit = p.literals[Number(tok.slice(1, -1))];
      // A name already given (identifier, not a number, path, quote or code) is dropped like a repeated word.
      const key = `\0${lit}`;
      if (dedupe && seen.has(key) && isIdentifier(lit)) continue;
      seen.add(key);
      kept.push(tok);
      content = true;
      for (const w of words(lit)) seen.add(w);
      continue;
    }
    if (!/^\p{L}/u.test(tok)) {
      if (level === 'light' && /^[,;()]$/.test(tok)) kept.push(tok);
      continue;
    }
    if (NEGATED.test(tok)) {
      kept.push('not');
      continue;
    }
    const lw = tok.toLowerCase().replace(/['’].*$/, '');
    if (FILLER_WORDS.has(lw)) continue;
    if (level === 'light') {
      if (ARTICLES.has(lw)) continue;
    } else if (level === 'max') {
      if ((STOPWORDS.has(lw) && !LOGIC_WORDS.has(lw)) || GENERIC_WORDS.has(lw) || isMannerAdverb(lw)) continue;
    } else if (STOPWORDS.has(lw) && !MEANINGFUL_FUNCTION_WORDS.has(lw)) continue;
    const parts = words(tok).filter((w) => w.length >= 2 && !STOPWORDS.has(w));
    if (dedupe && parts.length > 0 && !POLARITY_WORDS.has(lw) && parts.every((w) => seen.has(w))) continue;
    if (parts.length > 0) content = true;
    for (const w of parts) seen.add(w);
    kept.push(tok.replace(/['’]s$/, ''));
  }
  if (!content) return '';
  return restore(kept.join(' ').replace(/ ([,;)])/g, '$1').replace(/\( /g, '(').replace(/[,;(]+$/, ''), p.literals).trim();
}
