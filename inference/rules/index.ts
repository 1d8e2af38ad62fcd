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
    for (const m of text.matchAll(g)) {
      const at = m.index ?? 0;
      if (rule.unlessBefore) {
        const before = text.slice(Math.max(0, at - BEFORE), at);
        if (rule.unlessBefore.some((u) => u.test(before))) continue;
      }
      return { rule, match: m[0].slice(0, 80) };
    }
  }
  return null;
}

/**
 * Run `rules` over `text`; at most one hit per rule. Cost is linear in the
 * text length: each rule is a bounded regex, skipped when none of its
 * keywords occurs in the lower-cased text.
 */
export function matchRules(text: string, rules: readonly Rule[] = RULES): RuleHit[] {
  const lower = text.toLowerCase();
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    if (rule.keywords && !rule.keywords.some((k) => lower.includes(k))) continue;
    const hit = matchOne(rule, text);
    if (hit) hits.push(hit);
  }
  return hits;
}
