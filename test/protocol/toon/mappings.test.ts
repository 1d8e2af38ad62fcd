import { describe, expect, it } from 'vitest';
import { buildMapping, mappingOptionsFromConfig } from '../../../protocol/toon/mappings.js';
import { ToonCodec } from '../../../protocol/toon/codec.js';
import { parse as parseToml } from 'smol-toml';

describe('custom mappings', () => {
  it('adds the seed custom examples', () => {
    const m = buildMapping({ customKeys: { verification_score: 'vs', debate_round: 'dr', llm_provider: 'lp' } });
    expect(m.keyToCode.get('debate_round')).toBe('dr');
    expect(m.codeToKey.get('lp')).toBe('llm_provider');
    expect(m.keyToCode.get('id')).toBe('i');
  });
  it('rejects ambiguous or unsafe codes', () => {
    expect(() => buildMapping({ customKeys: { foo: 'i' } })).toThrow(/used for both 'id' and 'foo'/);
    expect(() => buildMapping({ customKeys: { foo: '~f' } })).toThrow(/may not start/);
    expect(() => buildMapping({ customKeys: { foo: 'abcd' } })).toThrow(/longer than 3/);
    expect(() => buildMapping({ customValues: { same: 'same' } })).toThrow(/to itself/);
  });
  it('overrides a seed entry for the same original', () => {
    const m = buildMapping({ customKeys: { id: 'ID' } });
    expect(m.keyToCode.get('id')).toBe('ID');
    expect(m.codeToKey.has('i')).toBe(false);
  });
  it('reads [toon.custom_key_mappings] from TOML', () => {
    const cfg = parseToml('[toon]\ncompression_level = "standard"\n[toon.custom_key_mappings]\nverification_score = "vs"\n[toon.custom_value_abbreviations]\nin_progress = "IP"\n');
    const opts = mappingOptionsFromConfig(cfg.toon);
    const c = new ToonCodec(opts);
    expect(c.encodeToString({ verification_score: 1, status: 'in_progress' })).toBe('{"vs":1,"s":"IP"}');
    expect(() => mappingOptionsFromConfig({ custom_key_mappings: { a: 1 } })).toThrow(/must be a string/);
    expect(mappingOptionsFromConfig(undefined)).toEqual({});
  });
});

describe('toonOptionsFromConfig', () => {
  it('reads level, gzip_threshold and the custom tables', async () => {
    const { toonOptionsFromConfig } = await import('../../../protocol/toon/config.js');
    const opts = toonOptionsFromConfig({ enabled: true, level: 'aggressive', gzip_threshold: 10, custom_key_mappings: { debate_round: 'dr' } });
    expect(opts).toEqual({ level: 'aggressive', gzipThreshold: 10, customKeys: { debate_round: 'dr' }, customValues: undefined });
    expect(new ToonCodec(opts).encodeToString({ debate_round: 1 })).toBe('{"dr":1}');
    expect(() => toonOptionsFromConfig({ level: 'max' })).toThrow(/unknown TOON level/);
    expect(() => toonOptionsFromConfig({ gzip_threshold: -1 })).toThrow(/non-negative/);
  });
});
