/**
 * The rule set and the matcher. Rules run over normalised text (see
 * `normalize.ts`), so obfuscated spellings match the same patterns.
 */
import type { Rule, RuleHit } from './types.js';
import { INJECTION_RULES } from './injection.js';
import { JAILBREAK_RULES } from './jailbreak.js';
import { EXFILTRATION_RULES } from './exfiltration.js';
import { SECRET_RULES } from './secrets.js';
import { KeywordAutomaton } from './keyword-automaton.js';
import { requiredLiterals } from './required-literals.js';
import { isAscii } from '../ascii.js';

export type { Rule, RuleHit } from './types.js';
export { MALFORMED_RULES, checkStructure, type StructureFinding } from './malformed.js';

/** Every text rule, in evaluation order. */
export const RULES: readonly Rule[] = [...INJECTION_RULES, ...JAILBREAK_RULES, ...EXFILTRATION_RULES, ...SECRET_RULES];

/** Characters before a match inspected by `unlessBefore`. */
const BEFORE = 40;

const GLOBAL = new Map<RegExp, RegExp>();

function global(pattern: RegExp): RegExp {
  let g = GLOBAL.get(pattern);
  if (!g) {
    g = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    GLOBAL.set(pattern, g);
  }
  g.lastIndex = 0;
  return g;
}

/**
 * The first hit of `rule` in `text`, trying its patterns in order. `patternIds`/`present`
 * (ASCII text only): a pattern with a set of required literals none of which is present cannot match
 * and is skipped.
 */
function matchOne(rule: Rule, text: string, patternIds?: (Int32Array[] | null)[], present?: Uint8Array): RuleHit | null {
  for (let p = 0; p < rule.patterns.length; p++) {
    if (patternIds && present) {
      const sets = patternIds[p];
      if (sets !== null && !allPresent(sets, present)) continue;
    }
    const g = global(rule.patterns[p]);
    // exec in a loop, as matchAll would iterate, without cloning the regex on every call.
    for (let m = g.exec(text); m !== null; m = g.exec(text)) {
      const at = m.index;
      if (m[0].length === 0) g.lastIndex = advance(text, g.lastIndex, g.flags.includes('u') || g.flags.includes('v'));
      if (rule.unlessBefore) {
        const before = text.slice(Math.max(0, at - BEFORE), at);
        if (rule.unlessBefore.some((u) => u.test(before))) continue;
      }
      return { rule, match: m[0].slice(0, 80) };
    }
  }
  return null;
}

/** Whether every set has a present literal. */
function allPresent(sets: Int32Array[], present: Uint8Array): boolean {
  for (let k = 0; k < sets.length; k++) if (!anyPresent(sets[k], present)) return false;
  return true;
}

function anyPresent(ids: Int32Array, present: Uint8Array): boolean {
  for (let k = 0; k < ids.length; k++) if (present[ids[k]] === 1) return true;
  return false;
}

/** The index after `at` for an empty match (a whole code point in unicode mode), as the spec's AdvanceStringIndex. */
function advance(text: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= text.length) return at + 1;
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00 ? at + 2 : at + 1;
}

/** Every distinct keyword and required literal of a rule set, found in one pass by an automaton. */
interface KeywordIndex {
  /** Per rule: ids of its keywords, or null when the rule always runs. */
  ruleKeywords: (Int32Array | null)[];
  /** Per rule: ids of its ASCII-text keywords, or null. */
  ruleAsciiKeywords: (Int32Array | null)[];
  /** Per rule, per pattern: sets of literal ids; every match contains one literal of each set (ASCII text). Null: none known. */
  patternLiterals: (Int32Array[] | null)[][];
  /** The same for any text: null also for patterns that fold case by Unicode rules (`iu`), where `ſ` matches `s`. */
  anyTextLiterals: (Int32Array[] | null)[][];
  /**
   * {@link ruleKeywords} (else {@link ruleAsciiKeywords}) of every rule for ASCII text, flattened: rule `r`'s ids
   * are `asciiIds[asciiStart[r] .. asciiStart[r + 1])`, and `asciiAlways[r]` is 1 when it has none (it always runs).
   */
  asciiIds: Int32Array;
  asciiStart: Int32Array;
  asciiAlways: Uint8Array;
  automaton: KeywordAutomaton;
}

const INDEXES = new WeakMap<readonly Rule[], KeywordIndex>();

/**
 * Keywords and literals longer than this are indexed by their first this many characters: "present" then
 * means the prefix occurs, a superset. Every use of the index is a necessary condition (a rule or pattern is
 * skipped only when what it needs is absent), so a pattern may run where it cannot match, never the reverse.
 * Shorter keys keep the automaton small and its interleaved walks' overlaps short (longest − 1 characters each).
 */
const MAX_INDEXED_CHARS = 16;

function keywordIndex(rules: readonly Rule[]): KeywordIndex {
  let index = INDEXES.get(rules);
  if (index) return index;
  const ids = new Map<string, number>();
  const keywords: string[] = [];
  const toIds = (list: readonly string[] | null | undefined): Int32Array | null => {
    if (!list) return null;
    return Int32Array.from(list, (keyword) => {
      const k = keyword.length > MAX_INDEXED_CHARS ? keyword.slice(0, MAX_INDEXED_CHARS) : keyword;
      let id = ids.get(k);
      if (id === undefined) {
        id = keywords.length;
        ids.set(k, id);
        keywords.push(k);
      }
      return id;
    });
  };
  const ruleKeywords = rules.map((rule) => toIds(rule.keywords));
  const ruleAsciiKeywords = rules.map((rule) => (rule.keywords ? null : toIds(rule.asciiKeywords)));
  const patternLiterals = rules.map((rule) => rule.patterns.map((p) => requiredLiterals(p)?.map((set) => toIds(set) as Int32Array) ?? null));
  // Without Unicode case folding an ASCII literal matches only ASCII characters (a non-ASCII character never
  // canonicalises to ASCII under the legacy `i` rules), and those stay together in the lower-cased text.
  const anyTextLiterals = rules.map((rule, r) => rule.patterns.map((p, k) => (/[uv]/.test(p.flags) && p.flags.includes('i') ? null : patternLiterals[r][k])));
  const asciiStart = new Int32Array(rules.length + 1);
  const asciiAlways = new Uint8Array(rules.length);
  const flat: number[] = [];
  rules.forEach((_, r) => {
    const list = ruleKeywords[r] ?? ruleAsciiKeywords[r];
    if (list === null) asciiAlways[r] = 1;
    else flat.push(...list);
    asciiStart[r + 1] = flat.length;
  });
  index = { ruleKeywords, ruleAsciiKeywords, patternLiterals, anyTextLiterals, asciiIds: Int32Array.from(flat), asciiStart, asciiAlways, automaton: new KeywordAutomaton(keywords) };
  INDEXES.set(rules, index);
  return index;
}

/**
 * Run `rules` over `text`; at most one hit per rule. Cost is linear in the
 * text length: each rule is a bounded regex, skipped when none of its
 * keywords occurs in the lower-cased text, and on ASCII text each pattern is
 * skipped when none of the literals it needs occurs (all looked up in one pass).
 */
export function matchRules(text: string, rules: readonly Rule[] = RULES): RuleHit[] {
  const ascii = isAscii(text);
  const hits: RuleHit[] = [];
  // A handful of rules (tests, one-off calls with a fresh array) is cheaper to check keyword by keyword than to index.
  if (rules.length < 8 && !INDEXES.has(rules)) {
    const lower = text.toLowerCase();
    for (const rule of rules) {
      const keywords = rule.keywords ?? (ascii ? rule.asciiKeywords : undefined);
      if (keywords && !keywords.some((k) => lower.includes(k))) continue;
      const hit = matchOne(rule, text);
      if (hit) hits.push(hit);
    }
    return hits;
  }
  const index = keywordIndex(rules);
  const present = index.automaton.find(text, ascii);
  if (ascii) {
    // The same test as below, over one flat array.
    const { asciiIds, asciiStart, asciiAlways, patternLiterals } = index;
    for (let r = 0; r < rules.length; r++) {
      if (asciiAlways[r] === 0) {
        let any = false;
        for (let k = asciiStart[r], end = asciiStart[r + 1]; k < end && !any; k++) any = present[asciiIds[k]] === 1;
        if (!any) continue;
      }
      const hit = matchOne(rules[r], text, patternLiterals[r], present);
      if (hit) hits.push(hit);
    }
    return hits;
  }
  for (let r = 0; r < rules.length; r++) {
    const ids = index.ruleKeywords[r];
    if (ids !== null) {
      let any = false;
      for (let k = 0; k < ids.length && !any; k++) any = present[ids[k]] === 1;
      if (!any) continue;
    }
    const hit = matchOne(rules[r], text, index.anyTextLiterals[r], present);
    if (hit) hits.push(hit);
  }
  return hits;
}
