import { describe, expect, it } from 'vitest';
import type { Agreement, Capabilities } from '../../../protocol/session/control.js';
import { checkAgreement, majorVersion, negotiate } from '../../../protocol/session/negotiate.js';

const base: Capabilities = {
  codecs: ['bytes+ctx', 'brotli', 'raw'],
  encodings: ['cl100k', 'o200k'],
  preferredEncoding: 'cl100k',
  maxFrameBytes: 1_000_000,
  security: { threatDetection: false, blocking: false, threshold: 0.8, modelVersion: null },
  streaming: true,
  dictionaries: ['d1', 'd2'],
  extensions: { a: 1, b: true },
};
const caps = (over: Partial<Capabilities>): Capabilities => ({ ...base, ...over });

describe('negotiation', () => {
  it.each([
    ['1.0', '1.0', true],
    ['1.7', '1.0', true],
    ['2.0', '1.0', false],
    ['1', '1.0', true],
    ['10.0', '1.0', false],
  ])('initiator %s vs responder %s: compatible=%s', (remote, local, ok) => {
    const r = negotiate(remote, base, base, local);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reject.code).toBe('VERSION_MISMATCH');
  });

  it.each([
    // initiator codecs, responder codecs, agreed (initiator's order) or null for NO_COMMON_ALGORITHM
    [['bytes+ctx', 'brotli', 'raw'], ['raw', 'brotli'], ['brotli', 'raw']],
    [['raw', 'tokens'], ['tokens', 'raw'], ['raw', 'tokens']],
    [['tokens+ctx'], ['bytes+ctx', 'raw'], null],
    [[], ['raw'], null],
    [['raw', 'raw', 'text'], ['text', 'raw'], ['raw', 'text']],
  ] as const)('codecs %j ∩ %j = %j', (a, b, want) => {
    const r = negotiate('1.0', caps({ codecs: [...a] }), caps({ codecs: [...b] }));
    if (want === null) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reject.code).toBe('NO_COMMON_ALGORITHM');
    } else {
      expect(r.ok && r.agreed.codecs).toEqual(want);
    }
  });

  it.each([
    // initiator encodings + preferred, responder encodings → agreed
    [['cl100k', 'o200k'], 'o200k', ['cl100k', 'o200k'], 'o200k'],
    [['llama3', 'o200k'], 'llama3', ['o200k', 'cl100k'], 'o200k'],
    [['llama3', 'o200k', 'cl100k'], 'llama3', ['cl100k', 'o200k'], 'o200k'],
    [['llama3'], 'llama3', ['o200k'], 'cl100k'],
    [[], 'o200k', ['o200k'], 'cl100k'],
  ] as const)('encodings %j (preferred %s) with %j → %s', (ie, ip, re, want) => {
    const r = negotiate('1.0', caps({ encodings: [...ie], preferredEncoding: ip }), caps({ encodings: [...re], preferredEncoding: 'cl100k' }));
    expect(r.ok && r.agreed.encoding).toBe(want);
  });

  it.each([
    [{ threatDetection: false, blocking: false, threshold: 0.8 }, { threatDetection: true, blocking: false, threshold: 0.9 }, { threatDetection: true, blocking: false, threshold: 0.8 }],
    [{ threatDetection: true, blocking: true, threshold: 0.95 }, { threatDetection: false, blocking: false, threshold: 0.5 }, { threatDetection: true, blocking: true, threshold: 0.5 }],
    [{ threatDetection: false, blocking: false, threshold: 0.8 }, { threatDetection: false, blocking: true, threshold: 0.8 }, { threatDetection: false, blocking: true, threshold: 0.8 }],
  ])('security %j + %j → OR-ed flags, stricter threshold', (a, b, want) => {
    const r = negotiate('1.0', caps({ security: { ...a, modelVersion: null } }), caps({ security: { ...b, modelVersion: 'hydra-1' } }));
    expect(r.ok && r.agreed.security).toEqual({ ...want, modelVersion: 'hydra-1' });
  });

  it('takes the smaller max frame, ANDs streaming, first common dictionary, common extensions', () => {
    const r = negotiate('1.0', caps({ maxFrameBytes: 500, streaming: true, dictionaries: ['d3', 'd2', 'd1'], extensions: { b: 1, c: 2 } }), caps({ streaming: false }));
    expect(r.ok && r.agreed).toMatchObject({ maxFrameBytes: 500, streaming: false, dictionary: 'd2', extensions: ['b'] });
    const none = negotiate('1.0', caps({ dictionaries: ['x'] }), base);
    expect(none.ok && none.agreed.dictionary).toBeNull();
  });

  it('both sides end with the same agreement: the initiator accepts exactly what the responder computed', () => {
    const r = negotiate('1.0', base, caps({ codecs: ['raw', 'brotli'] }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(checkAgreement(base, r.agreed)).toBeUndefined();
  });

  it.each([
    ['a codec that was not offered', { codecs: ['tokens' as const] }],
    ['no codec', { codecs: [] }],
    ['a bigger frame', { maxFrameBytes: 2_000_000 }],
    ['an unknown dictionary', { dictionary: 'zz' }],
    ['dropped threat detection', { security: { threatDetection: false, blocking: false, threshold: 0.8, modelVersion: null } }],
    ['a looser threshold', { security: { threatDetection: true, blocking: false, threshold: 0.9, modelVersion: null } }],
  ] as [string, Partial<Agreement>][])('the initiator refuses an ACCEPT with %s', (_n, over) => {
    const offered = caps({ security: { threatDetection: true, blocking: false, threshold: 0.8, modelVersion: null } });
    const r = negotiate('1.0', offered, base);
    expect(r.ok).toBe(true);
    if (r.ok) expect(checkAgreement(offered, { ...r.agreed, ...over })).toBeTypeOf('string');
  });

  it('majorVersion takes the text before the first dot', () => {
    expect(majorVersion('3.0')).toBe('3');
    expect(majorVersion('12')).toBe('12');
  });
});
