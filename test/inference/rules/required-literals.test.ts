// Required literals: every match of a pattern on ASCII text contains one of them, so skipping a pattern whose
// literals are all absent never loses a hit; and the matcher with these skips equals the plain matcher.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { matchRules, RULES, type Rule, type RuleHit } from '../../../inference/rules/index.js';
import { requiredLiterals } from '../../../inference/rules/required-literals.js';
import { normalize } from '../../../inference/normalize.js';
import { extractText } from '../../../inference/extract.js';

const DATA = '/work/shared/data';
const ASCII = /^[^\u0080-\uffff]*$/;

const GLOBALS = new Map<RegExp, RegExp>();
function globalOf(p: RegExp): RegExp {
  let g = GLOBALS.get(p);
  if (!g) GLOBALS.set(p, (g = new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`)));
  return g;
}

/** The matcher without any prefilter: every rule whose keywords occur, every pattern, first hit not vetoed by unlessBefore. */
function plainMatch(text: string, rules: readonly Rule[]): RuleHit[] {
  const lower = text.toLowerCase();
  const ascii = ASCII.test(text);
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    const keywords = rule.keywords ?? (ascii ? rule.asciiKeywords : undefined);
    if (keywords && !keywords.some((k) => lower.includes(k))) continue;
    let hit: RuleHit | null = null;
    for (const p of rule.patterns) {
      const g = globalOf(p);
      for (const m of text.matchAll(g)) {
        const before = text.slice(Math.max(0, m.index - 40), m.index);
        if (rule.unlessBefore?.some((u) => u.test(before))) continue;
        hit = { rule, match: m[0].slice(0, 80) };
        break;
      }
      if (hit) break;
    }
    if (hit) hits.push(hit);
  }
  return hits;
}

function corpusTexts(): string[] {
  const out: string[] = [];
  for (const name of ['security.dev', 'security.train-extra', 'payloads.dev', 'prose.dev']) {
    const file = `${DATA}/${name}.jsonl`;
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { json?: string; text?: string };
      out.push(normalize(extractText(r.json ?? r.text ?? '').text).text);
    }
  }
  return out;
}

/** Literal sets hold on ASCII text, and on any text for patterns without Unicode case folding (`iu`). */
function sound(pattern: RegExp, text: string): void {
  const sets = requiredLiterals(pattern);
  const unicodeFold = /[uv]/.test(pattern.flags) && pattern.flags.includes('i');
  if (sets === null || (unicodeFold && !ASCII.test(text))) return;
  const g = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  if (!g.test(text)) return;
  const lower = text.toLowerCase();
  for (const set of sets) expect(set.some((l) => lower.includes(l)), `${pattern.source.slice(0, 60)} on ${text.slice(0, 60)}: ${set.join('|')}`).toBe(true);
}

describe('requiredLiterals', () => {
  it('finds the literals of simple shapes', () => {
    expect(requiredLiterals(/\b(?:DAN|STAN)\s+mode\b/i)).toEqual([['mode'], ['dan', 'stan']]);
    expect(requiredLiterals(/\bsummari[sz]ing\b/i)).toEqual([['summarising', 'summarizing']]);
    expect(requiredLiterals(/<\/?SYS>/)).toEqual([['<sys>', '</sys>']]);
    expect(requiredLiterals(/ab|cd?/)).toEqual([['ab', 'c', 'cd']]);
    expect(requiredLiterals(/x{2,3}y/)).toEqual([['xxy', 'xxxy'], ['x']]);
    expect(requiredLiterals(/(?:^|\n)\s*(?:end|stop)\s*(?:of\s+)?(?:user|system)\b/i)).toEqual([['user', 'system'], ['end', 'stop']]);
  });

  it('knows nothing where nothing is required', () => {
    for (const p of [/a*/, /(?:a|)/, /\w+/, /[^a]bc?/, /./, /(a)\1/, /\p{L}+/u, /x?/, /[a-z]+/, /é/, /a|\s/]) {
      const sets = requiredLiterals(p);
      if (sets !== null) for (const s of ['', 'z', 'é', ' ']) if (p.test(s)) for (const set of sets) expect(set.some((l) => s.includes(l))).toBe(true);
    }
    expect(requiredLiterals(/a*/)).toBeNull();
    expect(requiredLiterals(/\w+/)).toBeNull();
    expect(requiredLiterals(/(?:a|)/)).toBeNull();
  });

  it('is sound on every rule example and counter-example', () => {
    for (const rule of RULES) for (const p of rule.patterns) for (const t of [...rule.examples, ...rule.counterExamples]) sound(p, t);
  });

  it('is sound on random texts built from the rules’ own words (with case-folding traps)', () => {
    const words = [...new Set(RULES.flatMap((r) => [...(r.keywords ?? []), ...r.examples.join(' ').split(/\s+/)]))].filter((w) => ASCII.test(w));
    const piece = fc.oneof(fc.constantFrom(...words), fc.constantFrom(' ', '\n', '. ', ': ', '"', '### ', '<|', '|>', '[', ']', 'ſ', 'K', 'İ', 'ß', 'é', 'Σ'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join(' ');
        for (const rule of RULES) for (const p of rule.patterns) sound(p, text);
      }),
      { numRuns: 150 },
    );
  });

  it.skipIf(!existsSync(`${DATA}/security.dev.jsonl`))('the matcher equals the plain matcher on every corpus row', () => {
    for (const text of corpusTexts()) {
      const got = matchRules(text).map((h) => [h.rule.id, h.match]);
      const want = plainMatch(text, RULES).map((h) => [h.rule.id, h.match]);
      expect(got, text.slice(0, 80)).toEqual(want);
    }
  }, 60_000);
});
