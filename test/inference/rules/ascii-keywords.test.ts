// asciiKeywords is a prefilter: on ASCII text a rule's patterns must never match without one of its ASCII keywords.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RULES, matchRules } from '../../../inference/rules/index.js';

const withAscii = RULES.filter((r) => r.asciiKeywords && !r.keywords);
const matches = (text: string, patterns: readonly RegExp[]): boolean => patterns.some((p) => new RegExp(p.source, p.flags).test(text));

describe('asciiKeywords', () => {
  it('is set on the multilingual rules', () => {
    expect(withAscii.map((r) => r.id).sort()).toEqual(['exfiltration.secret-request-multilingual', 'injection.ignore-previous-multilingual']);
  });

  it('never hides a match on ASCII text', () => {
    for (const rule of withAscii) {
      const words = [...rule.examples.join(' ').split(/\s+/), ...(rule.asciiKeywords ?? []), 'PASSWORT', 'Instructions', "d'acces", 'the', ','];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...words.filter((w) => /^[\x20-\x7e]+$/.test(w))), { maxLength: 12 }), (parts) => {
          const text = parts.join(' ');
          const hit = matchRules(text, [rule]).length > 0;
          expect(hit).toBe(matches(text, rule.patterns));
        }),
        { numRuns: 500 },
      );
      for (const ex of rule.examples) expect(matchRules(ex, [rule]).length > 0).toBe(matches(ex, rule.patterns));
    }
  });
});
