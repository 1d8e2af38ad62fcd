import { describe, expect, it } from 'vitest';
import { compile } from '../../../protocol/prompt/compiler.js';
import type { Envelope } from '../../../protocol/prompt/schema.js';
import { decompile } from '../../../protocol/prompt/decompiler.js';
import { toKV, fromKV } from '../../../protocol/prompt/kv.js';
import { validateEnvelope } from '../../../protocol/prompt/validate.js';
import { measureFidelity } from '../../../protocol/prompt/fidelity.js';
import { COMPILE_LEVELS } from '../../../protocol/prompt/telegraph.js';
import { isM2MError } from '../../../protocol/errors.js';

describe('golden: WSP 99 seed §2.2 examples', () => {
  it('"Please analyze the authentication module" → OBJ: ANALYZE …', () => {
    expect(compile('Please analyze the authentication module')).toEqual({ M2M_VERSION: '1.0', MISSION: { OBJ: 'ANALYZE authentication module' } });
  });
  it('"Make sure to follow WSP 50 and WSP 22" → WSP: [50, 22]', () => {
    expect(compile('Fix the login bug. Make sure to follow WSP 50 and WSP 22').MISSION).toEqual({ OBJ: 'FIX login bug', WSP: [50, 22] });
  });
  it('"You should only modify files in src/auth/" → SCOPE.in', () => {
    expect(compile('You should only modify files in src/auth/. Fix the login bug.').MISSION.SCOPE).toEqual({ in: ['src/auth/'] });
  });
  it('"Do not touch the database layer" → SCOPE.out', () => {
    expect(compile('Fix the login bug. Do not touch the database layer').MISSION.SCOPE).toEqual({ out: ['database layer'] });
  });
  it('"Return a summary of findings" → ARTIFACTS', () => {
    expect(compile('Fix the login bug. Return a summary of findings').EXEC).toEqual({ ARTIFACTS: ['summary findings'] });
  });
  it('seed §5.2 compiler API example with sender, receiver and refs', () => {
    const env = compile('Please analyze the authentication module and fix any security issues', { sender: '0102-ORCH', receiver: '0102-A', refs: [50, 71] });
    expect(toKV(env)).toBe(
      ['M2M_VERSION:"1.0"', 'SENDER:0102-ORCH', 'RECEIVER:0102-A', 'MISSION.OBJ:ANALYZE authentication module; FIX security issues', 'MISSION.WSP:[50,71]'].join('\n'),
    );
    expect(decompile(env)).toBe('From 0102-ORCH to 0102-A. Analyze authentication module; fix security issues. Follow WSP 50, WSP 71.');
  });
});

describe('compiler rules', () => {
  it('golden: a full review request', () => {
    const prose =
      'I want you to act as a code reviewer for our payments service. Please review the changes in src/payments/refund.ts and make sure the `calculateRefund` function handles partial refunds. Only modify files in src/payments/. Do not touch the database layer. Make sure to follow WSP 50 and WSP 22. Return a summary of findings and a patch. If the tests fail twice, stop and report the error.';
    expect(toKV(compile(prose))).toBe(
      [
        'M2M_VERSION:"1.0"',
        'MISSION.OBJ:ANALYZE changes src/payments/refund.ts `calculateRefund` function handles partial refunds',
        'MISSION.ROLE:code reviewer payments service',
        'MISSION.SCOPE.in:[src/payments/]',
        'MISSION.SCOPE.out:[database layer]',
        'MISSION.WSP:[50,22]',
        'MISSION.ABORT:[tests fail twice: report error]',
        'EXEC.ARTIFACTS:[summary findings|patch]',
      ].join('\n'),
    );
  });

  it('extracts role, rules with negation, abort conditions and keeps literals verbatim', () => {
    const env = compile(
      'I want you to act as a linux terminal. Do not write explanations. Could you please refactor `parseConfig` in src/config.ts so it retries 3 times? If the tests fail, stop and report the error.',
      { level: 'standard' },
    );
    expect(env.MISSION.ROLE).toBe('linux terminal');
    expect(env.MISSION.RULES).toEqual(['not write explanations']);
    expect(env.MISSION.OBJ).toBe('REFACTOR `parseConfig` src/config.ts retries 3 times');
    expect(env.MISSION.ABORT).toEqual(['tests fail: report error']);
    expect(validateEnvelope(env).ok).toBe(true);
  });

  it('keeps fenced code blocks verbatim in CTX.CODE', () => {
    const env = compile('Write a hello world.\n\n```js\nconsole.log("hi");\n```\n');
    expect(env.CTX?.CODE).toEqual(['```js\nconsole.log("hi");\n```']);
    expect(decompile(env)).toContain('console.log("hi");');
  });

  it('is deterministic', () => {
    const t = '## Rules\n- Use PascalCase for classes.\n- Never use `any`.\n1. Write tests first.';
    expect(JSON.stringify(compile(t))).toBe(JSON.stringify(compile(t)));
  });

  it('rejects empty and oversized prose', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isM2MError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => compile('  please  '))).toBe('BAD_INPUT');
    expect(code(() => compile('x'.repeat(20), { maxChars: 10 }))).toBe('INPUT_TOO_LARGE');
  });
});

const fidelitySamples = [
    'I want you to act as an English translator, spelling corrector and improver. I will speak to you in any language and you will detect the language, translate it and answer in the corrected and improved version of my text, in English. Keep the meaning same. My first sentence is "istanbulu cok seviyom burada olmak cok guzel"',
    '# C++ Guidelines\n\n## Nomenclature\n\n- Use PascalCase for classes and structures.\n- Use camelCase for variables, functions, and methods.\n- Use snake_case for file names like my_file.cpp.\n- Avoid magic numbers: use 20 as the limit in std::for_each loops.\n- Keep functions under 20 instructions.',
];

describe('fidelity of decompile(compile(x))', () => {
  const samples = fidelitySamples;
  for (const level of COMPILE_LEVELS) {
    const floor = level === 'max' ? 0.8 : 0.9;
    it(`level ${level}: literals 100%, content words ≥ ${floor * 100}%`, () => {
      for (const s of samples) {
        const back = decompile(fromKV(toKV(compile(s, { level }))) as unknown as Envelope);
        const f = measureFidelity(s, back);
        expect(f.missingLiterals).toEqual([]);
        expect(f.contentWordsKept / f.contentWords).toBeGreaterThanOrEqual(floor);
      }
    });
  }
  it('aggressive output is shorter than standard, standard shorter than light', () => {
    const len = (level: (typeof COMPILE_LEVELS)[number]): number => toKV(compile(samples[1], { level })).length;
    expect(len('aggressive')).toBeLessThan(len('standard'));
    expect(len('standard')).toBeLessThan(len('light'));
  });
});

describe('levels', () => {
  it('the default level is standard: no rule loses a word it says', () => {
    const t = 'Please analyze the authentication module carefully and report the issues.';
    expect(compile(t)).toEqual(compile(t, { level: 'standard' }));
    const terminal = 'Act as a linux terminal. Only reply with the output. Do not type commands unless I instruct you to do so.';
    expect(compile(terminal).MISSION.RULES).toContain('not type commands unless instruct');
  });
  it('aggressive drops a repeated identifier like a repeated word; numbers, quotes and code stay', () => {
    const t = 'Use PascalCase for classes. Keep PascalCase in tests. Retry 3 times. Wait 3 seconds. Print "ok". Print "ok" twice.';
    const std = JSON.stringify(compile(t, { level: 'standard' }));
    const agg = JSON.stringify(compile(t, { level: 'aggressive' }));
    expect(std.split('PascalCase').length - 1).toBe(2);
    expect(agg.split('PascalCase').length - 1).toBe(1);
    expect(agg.split(' 3 ').length - 1).toBe(2);
    expect(agg.split('\\"ok\\"').length - 1).toBe(2);
  });
  it('polarity words are never dropped as repeats', () => {
    const env = compile('Avoid classes. Avoid enums; prefer maps. Prefer interfaces.', { level: 'aggressive' });
    expect(env.MISSION.RULES).toEqual(['Avoid enums', 'prefer maps', 'Prefer interfaces']);
    expect(env.MISSION.OBJ).toBe('Avoid classes');
  });
  it('max drops manner adverbs and generic words but keeps negation, condition and restriction', () => {
    const env = compile('Review src/a.ts carefully. If the build fails, do not deploy. Only answer clearly when asked.', { level: 'max' });
    expect(env.MISSION.OBJ).toBe('ANALYZE src/a.ts');
    expect(env.MISSION.RULES).toEqual(['If build fails not deploy', 'Only answer when asked']);
  });
  it('max folds a heading or label line into the next rule; other levels keep it as an item', () => {
    const t = 'Fix the parser.\n\n## Style\n- Use tabs.\n\nRules:\n- Never commit secrets.\n## Empty\n## Last';
    expect(compile(t, { level: 'max' }).MISSION.RULES).toEqual(['Style: tabs', 'Rules: Never commit secrets', '§ Empty', '§ Last']);
    expect(compile(t, { level: 'aggressive' }).MISSION.RULES).toEqual(['§ Style', 'Use tabs', 'Rules', 'Never commit secrets', '§ Empty', '§ Last']);
  });
  it('each level is at most as long as the one before on the samples', () => {
    const t = fidelitySamples.join('\n\n');
    const len = COMPILE_LEVELS.map((level) => toKV(compile(t, { level }), { short: true }).length);
    for (let i = 1; i < len.length; i++) expect(len[i]).toBeLessThanOrEqual(len[i - 1]);
    expect(len[3]).toBeLessThan(len[0]);
  });
});

describe('LLM hook', () => {
  it('validates what the hook returns and falls back to the deterministic compiler', async () => {
    const { compileWithHook } = await import('../../../protocol/prompt/compiler.js');
    expect(await compileWithHook('Please analyze the authentication module')).toEqual(compile('Please analyze the authentication module'));
    const good = await compileWithHook('x', {}, async () => ({ M2M_VERSION: '1.0', MISSION: { OBJ: 'ANALYZE AUTH' } }));
    expect(good.MISSION.OBJ).toBe('ANALYZE AUTH');
    await expect(compileWithHook('x', {}, async () => ({ M2M_VERSION: '1.0' }) as never)).rejects.toThrow(/MISSION: is required/);
  });
});
