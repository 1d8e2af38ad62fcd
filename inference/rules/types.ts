/**
 * Rules as data: every rule has a stable id, a threat category, a severity
 * and a description, plus matchers. Rules are written from attack families
 * (instruction override, spoofed chat templates, persona jailbreaks,
 * extraction, exfiltration), not from any evaluation file.
 */
import type { ThreatType } from '../types.js';

export interface Rule {
  /** Stable id, `<category>.<name>`; appears in verdict reasons. */
  readonly id: string;
  readonly category: ThreatType;
  /** 0..1: how strongly one match alone indicates an attack. */
  readonly severity: number;
  readonly description: string;
  /**
   * Cheap prefilter: the regexes run only when the lower-cased text contains
   * one of these substrings. Omit to always run.
   */
  readonly keywords?: readonly string[];
  /**
   * Prefilter for text without non-ASCII characters (rules whose other
   * patterns need non-ASCII script): on such text the regexes can only match
   * when the lower-cased text contains one of these. Ignored when `keywords` is set.
   */
  readonly asciiKeywords?: readonly string[];
  /** Any one matching is a hit. */
  readonly patterns: readonly RegExp[];
  /** A hit is dropped when one of these matches the 40 characters just before it (e.g. a negation: "never ignore …"). */
  readonly unlessBefore?: readonly RegExp[];
  /** Example texts the rule must match (used by tests). */
  readonly examples: readonly string[];
  /** Example texts the rule must not match (used by tests). */
  readonly counterExamples: readonly string[];
}

export interface RuleHit {
  rule: Rule;
  /** The matched text, truncated to 80 characters. */
  match: string;
}

/** Join words into a regex alternation group. */
export function any(words: readonly string[]): string {
  return `(?:${words.join('|')})`;
}

/** Up to `n` intervening words between two parts of a phrase (bounded, so matching stays linear). */
export function gap(n: number): string {
  return `(?:[\\s,;:'"*_()-]+[\\w'’-]+){0,${n}}[\\s,;:'"*_()-]+`;
}

/** Case-insensitive regex from a source string. */
export function re(source: string, flags = 'i'): RegExp {
  return new RegExp(source, flags);
}
