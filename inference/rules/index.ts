/**
 * The rule set and the matcher. Rules run over normalised text (see
 * `normalize.ts`), so obfuscated spellings match the same patterns.
 */
import type { Rule, RuleHit } from './types.js';
import { INJECTION_RULES } from './injection.js';
import { JAILBREAK_RULES } from './jailbreak.js';
import { EXFILTRATION_RULES } from './exfiltration.js';
import { SECRET_RULES } from './secrets.js';

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

function matchOne(rule: Rule, text: string): RuleHit | null {
  for (const pattern of rule.patterns) {
    const g = global(pattern);
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

/** The index after `at` for an empty match (a whole code point in unicode mode), as the spec's AdvanceStringIndex. */
function advance(text: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= text.length) return at + 1;
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00 ? at + 2 : at + 1;
}

/** Every distinct keyword of a rule set, indexed by its first two characters, for one pass over the text. */
interface KeywordIndex {
  /** Per rule: ids of its keywords, or null when the rule always runs. */
  ruleKeywords: (Int32Array | null)[];
  /** Per rule: ids of its ASCII-text keywords, or null. */
  ruleAsciiKeywords: (Int32Array | null)[];
  /** `pairs[c0 * 128 + c1]`: keywords starting with these two ASCII characters. */
  pairs: (Int32Array | undefined)[];
  /** Keywords shorter than two characters or not starting with two ASCII characters: checked with `includes`. */
  other: { id: number; keyword: string }[];
  keywords: string[];
}

const NON_ASCII = /[\u0080-\uffff]/;

const INDEXES = new WeakMap<readonly Rule[], KeywordIndex>();

function keywordIndex(rules: readonly Rule[]): KeywordIndex {
  let index = INDEXES.get(rules);
  if (index) return index;
  const ids = new Map<string, number>();
  const keywords: string[] = [];
  const toIds = (list: readonly string[] | undefined): Int32Array | null => {
    if (!list) return null;
    return Int32Array.from(list, (k) => {
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
  const lists: number[][] = [];
  const other: KeywordIndex['other'] = [];
  keywords.forEach((k, id) => {
    const c0 = k.charCodeAt(0);
    const c1 = k.charCodeAt(1);
    if (k.length >= 2 && c0 < 128 && c1 < 128) (lists[c0 * 128 + c1] ??= []).push(id);
    else other.push({ id, keyword: k });
  });
  const pairs: KeywordIndex['pairs'] = new Array<Int32Array | undefined>(128 * 128);
  lists.forEach((list, at) => {
    pairs[at] = Int32Array.from(list);
  });
  index = { ruleKeywords, ruleAsciiKeywords, pairs, other, keywords };
  INDEXES.set(rules, index);
  return index;
}

/** Which keywords of `index` occur in `lower`: the same answers as `lower.includes(keyword)`, in one pass. */
function presentKeywords(index: KeywordIndex, lower: string): Uint8Array {
  const present = new Uint8Array(index.keywords.length);
  const { pairs, keywords } = index;
  let c1 = lower.length > 0 ? lower.charCodeAt(0) : 0;
  for (let i = 0; i + 1 < lower.length; i++) {
    const c0 = c1;
    c1 = lower.charCodeAt(i + 1);
    if (c0 >= 128 || c1 >= 128) continue;
    const list = pairs[c0 * 128 + c1];
    if (list === undefined) continue;
    for (let k = 0; k < list.length; k++) {
      const id = list[k];
      if (present[id] === 0 && lower.startsWith(keywords[id], i)) present[id] = 1;
    }
  }
  for (const o of index.other) if (lower.includes(o.keyword)) present[o.id] = 1;
  return present;
}

/**
 * Run `rules` over `text`; at most one hit per rule. Cost is linear in the
 * text length: each rule is a bounded regex, skipped when none of its
 * keywords occurs in the lower-cased text (all keywords are looked up in one pass).
 */
export function matchRules(text: string, rules: readonly Rule[] = RULES): RuleHit[] {
  const lower = text.toLowerCase();
  const ascii = !NON_ASCII.test(text);
  const hits: RuleHit[] = [];
  // A handful of rules (tests, one-off calls with a fresh array) is cheaper to check keyword by keyword than to index.
  if (rules.length < 8 && !INDEXES.has(rules)) {
    for (const rule of rules) {
      const keywords = rule.keywords ?? (ascii ? rule.asciiKeywords : undefined);
      if (keywords && !keywords.some((k) => lower.includes(k))) continue;
      const hit = matchOne(rule, text);
      if (hit) hits.push(hit);
    }
    return hits;
  }
  const index = keywordIndex(rules);
  const present = presentKeywords(index, lower);
  for (let r = 0; r < rules.length; r++) {
    const ids = index.ruleKeywords[r] ?? (ascii ? index.ruleAsciiKeywords[r] : null);
    if (ids !== null) {
      let any = false;
      for (let k = 0; k < ids.length && !any; k++) any = present[ids[k]] === 1;
      if (!any) continue;
    }
    const hit = matchOne(rules[r], text);
    if (hit) hits.push(hit);
  }
  return hits;
}
