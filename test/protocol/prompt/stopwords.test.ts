import { describe, expect, it } from 'vitest';
import { DEFAULT_STOPWORD_LIST, GLASGOW_STOPWORDS, NLTK_STOPWORDS, PROJECT_STOPWORDS, stopwordList } from '../../../protocol/prompt/stopwords.js';
import { contentWords } from '../../../protocol/prompt/literals.js';
import { measureFidelity, reductionCeiling, tokenBreakdown } from '../../../protocol/prompt/fidelity.js';
import { compile } from '../../../protocol/prompt/compiler.js';
import { toKV } from '../../../protocol/prompt/kv.js';
import { STOPWORDS } from '../../../protocol/prompt/lexicon.js';

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

describe('published stopword lists', () => {
  it('have their published sizes and the default is Glasgow / scikit-learn', () => {
    expect(GLASGOW_STOPWORDS.size).toBe(318);
    expect(NLTK_STOPWORDS.size).toBe(179);
    expect(PROJECT_STOPWORDS.size).toBe(150);
    expect(DEFAULT_STOPWORD_LIST).toBe('glasgow');
    expect(stopwordList()).toBe(GLASGOW_STOPWORDS);
    expect(stopwordList('nltk')).toBe(NLTK_STOPWORDS);
  });
  it('differ where it matters: Glasgow holds please/system/first, NLTK and ours do not', () => {
    for (const w of ['please', 'system', 'first', 'also', 'amoungst']) expect(GLASGOW_STOPWORDS.has(w)).toBe(true);
    for (const w of ['please', 'system', 'first']) {
      expect(NLTK_STOPWORDS.has(w)).toBe(false);
      expect(PROJECT_STOPWORDS.has(w)).toBe(false);
    }
    expect(NLTK_STOPWORDS.has("don't")).toBe(true);
  });
  it('the compiler does not drop content-bearing words of the metric list', () => {
    for (const w of ['system', 'name', 'describe', 'find', 'empty', 'never', 'always', 'except', 'first']) expect(STOPWORDS.has(w)).toBe(false);
    for (const w of ['also', 'however', 'therefore', 'the', 'of']) expect(STOPWORDS.has(w)).toBe(true);
  });
});

describe('content-word metric per list', () => {
  const text = 'Please describe the system first, then fix the bug.';
  it('counts content words under the chosen list', () => {
    expect([...contentWords(text)].sort()).toEqual(['bug', 'fix']);
    expect([...contentWords(text, PROJECT_STOPWORDS)].sort()).toEqual(['bug', 'describe', 'first', 'fix', 'please', 'system']);
  });
  it('recall of the same round trip depends on the list', () => {
    const back = 'Fix bug. Describe system.';
    expect(measureFidelity(text, back).contentWordsKept / measureFidelity(text, back).contentWords).toBe(1);
    const p = measureFidelity(text, back, PROJECT_STOPWORDS);
    expect(p.contentWordsKept / p.contentWords).toBeCloseTo(4 / 6, 6);
  });
});

describe('ceiling and token breakdown', () => {
  const count = words;
  it('pricing code blocks verbatim lowers the ceiling', () => {
    const t = 'Write a parser for the config file format in parser.ts and keep it small.\n\n```ts\nexport function parse(s: string) { return s.split("\\n").map((l) => l.trim()); }\n```\n';
    const free = reductionCeiling(t, count, 0.9);
    const verbatim = reductionCeiling(t, count, 0.9, GLASGOW_STOPWORDS, true);
    expect(verbatim).toBeLessThan(free);
    expect(verbatim).toBeGreaterThan(0);
  });
  it('breakdown parts add up to the wire total and code is counted once', () => {
    const env = compile('Use `foo` in src/a.ts for parsing config. Use `foo` again for rendering.\n\n```js\nfoo();\n```');
    const wire = toKV(env, { short: true });
    const b = tokenBreakdown(env, wire, count);
    expect(b.total).toBe(count(wire));
    expect(b.code).toBe(count('```js\nfoo();\n```'));
    expect(b.literals).toBeGreaterThan(0);
    expect(b.other).toBeGreaterThan(0);
    expect(b.code + b.literals + b.contentWords + b.other).toBe(b.total);
  });
});

describe('abbreviations (why the compiler has no table)', () => {
  it('the common ones do not save o200k tokens over the full word', async () => {
    const { getTokenizer } = await import('../../../protocol/tokenizers.js');
    const tok = getTokenizer('o200k');
    const pairs = [
      ['configuration', 'config'],
      ['implementation', 'impl'],
      ['application', 'app'],
      ['environment', 'env'],
      ['repository', 'repo'],
      ['documentation', 'docs'],
      ['function', 'fn'],
      ['database', 'db'],
      ['authentication', 'auth'],
      ['dependency', 'dep'],
    ];
    for (const [full, short] of pairs) expect(tok.count(` ${full}`)).toBeLessThanOrEqual(tok.count(` ${short}`));
  });
});
