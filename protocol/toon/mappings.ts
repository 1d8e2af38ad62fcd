/**
 * Key and value mappings: the seed tables plus custom entries, validated so
 * that decoding is unambiguous (codes unique, short, never escaped-looking).
 */
import { M2MError } from '../errors.js';
import { SEED_KEY_TABLE, SEED_VALUE_TABLE, TOON_ESCAPE, TOON_MAX_KEY_CODE_LENGTH } from './tables.js';

/** Bidirectional lookup tables used by the encoder and decoder. */
export interface ToonMapping {
  readonly keyToCode: ReadonlyMap<string, string>;
  readonly codeToKey: ReadonlyMap<string, string>;
  readonly valueToCode: ReadonlyMap<string, string>;
  readonly codeToValue: ReadonlyMap<string, string>;
}

/** Options for {@link buildMapping}. */
export interface MappingOptions {
  /** Extra key mappings (original → code), e.g. `{ verification_score: 'vs' }`. */
  customKeys?: Record<string, string>;
  /** Extra value abbreviations (original → code). */
  customValues?: Record<string, string>;
  /** Start from the seed tables. @default true */
  seedTables?: boolean;
}

function addPairs(kind: 'key' | 'value', fwd: Map<string, string>, back: Map<string, string>, pairs: Record<string, string>): void {
  for (const [orig, code] of Object.entries(pairs)) {
    if (typeof code !== 'string' || code.length === 0) throw new M2MError('BAD_INPUT', `TOON ${kind} mapping for '${orig}' must be a non-empty string`);
    if (code.startsWith(TOON_ESCAPE)) throw new M2MError('BAD_INPUT', `TOON ${kind} code '${code}' may not start with '${TOON_ESCAPE}'`);
    if (kind === 'key' && code.length > TOON_MAX_KEY_CODE_LENGTH) {
      throw new M2MError('BAD_INPUT', `TOON key code '${code}' for '${orig}' is longer than ${TOON_MAX_KEY_CODE_LENGTH} characters`);
    }
    if (code === orig) throw new M2MError('BAD_INPUT', `TOON ${kind} mapping '${orig}' → '${code}' maps a ${kind} to itself`);
    const prevOrig = back.get(code);
    if (prevOrig !== undefined && prevOrig !== orig) {
      throw new M2MError('BAD_INPUT', `TOON ${kind} code '${code}' is used for both '${prevOrig}' and '${orig}'`);
    }
    const prevCode = fwd.get(orig);
    if (prevCode !== undefined) back.delete(prevCode);
    fwd.set(orig, code);
    back.set(code, orig);
  }
}

/**
 * Build the lookup tables. Custom entries override seed entries for the same original.
 * @throws M2MError BAD_INPUT when a code is empty, too long, starts with `~`, or is used twice
 */
export function buildMapping(options: MappingOptions = {}): ToonMapping {
  const keyToCode = new Map<string, string>();
  const codeToKey = new Map<string, string>();
  const valueToCode = new Map<string, string>();
  const codeToValue = new Map<string, string>();
  if (options.seedTables !== false) {
    addPairs('key', keyToCode, codeToKey, SEED_KEY_TABLE);
    addPairs('value', valueToCode, codeToValue, SEED_VALUE_TABLE);
  }
  if (options.customKeys) addPairs('key', keyToCode, codeToKey, options.customKeys);
  if (options.customValues) addPairs('value', valueToCode, codeToValue, options.customValues);
  return { keyToCode, codeToKey, valueToCode, codeToValue };
}

/** The seed-only mapping, built once. */
export const SEED_MAPPING: ToonMapping = buildMapping();

/**
 * Read the `[toon]` config section (TOML or YAML parsed to an object):
 * `custom_key_mappings` and `custom_value_abbreviations` tables of strings.
 * @throws M2MError BAD_INPUT when an entry is not a string
 */
export function mappingOptionsFromConfig(section: unknown): MappingOptions {
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object' || Array.isArray(section)) throw new M2MError('BAD_INPUT', '[toon] config must be a table');
  const s = section as Record<string, unknown>;
  const table = (name: string): Record<string, string> | undefined => {
    const t = s[name];
    if (t === undefined) return undefined;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new M2MError('BAD_INPUT', `[toon.${name}] must be a table of strings`);
    for (const [k, v] of Object.entries(t)) {
      if (typeof v !== 'string') throw new M2MError('BAD_INPUT', `[toon.${name}] entry '${k}' must be a string`);
    }
    return t as Record<string, string>;
  };
  return { customKeys: table('custom_key_mappings'), customValues: table('custom_value_abbreviations') };
}
