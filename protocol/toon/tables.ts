/**
 * The TOON key/value tables from seed `003` (HelixAgent TOON) and the
 * constants of our lossless escaping scheme.
 */

/** Compression levels, weakest to strongest. */
export type ToonLevel = 'none' | 'minimal' | 'standard' | 'aggressive';

export const TOON_LEVELS: readonly ToonLevel[] = Object.freeze(['none', 'minimal', 'standard', 'aggressive']);

/** Seed key table: original JSON key → compressed key. */
export const SEED_KEY_TABLE: Readonly<Record<string, string>> = Object.freeze({
  id: 'i',
  name: 'n',
  type: 't',
  status: 's',
  message: 'm',
  content: 'c',
  created_at: 'ca',
  updated_at: 'ua',
  description: 'd',
  error: 'e',
  data: 'da',
  result: 'r',
  value: 'v',
  timestamp: 'ts',
  priority: 'p',
  provider: 'pr',
  model: 'mo',
  response: 're',
  request: 'rq',
});

/**
 * Seed value table: original string value → abbreviation. `true`/`false`/`null`
 * here are the STRINGS "true"/"false"/"null"; JSON booleans and null are never
 * rewritten, so a string can never turn into a boolean or back.
 */
export const SEED_VALUE_TABLE: Readonly<Record<string, string>> = Object.freeze({
  healthy: 'H',
  unhealthy: 'U',
  pending: 'P',
  running: 'R',
  completed: 'C',
  failed: 'F',
  success: 'S',
  error: 'E',
  true: 'T',
  false: 'X',
  null: 'N',
});

/**
 * Escape prefix. An original key or string value that could be mistaken for a
 * code (or that itself starts with `~`) is written with one extra `~` in front.
 */
export const TOON_ESCAPE = '~';

/**
 * Longest allowed compressed key. Every pass-through key at most this long is
 * escaped, so a strict decoder can tell an unknown code from a literal key.
 */
export const TOON_MAX_KEY_CODE_LENGTH = 3;

/** Aggressive level gzips encodings larger than this many bytes. @default 1024 */
export const DEFAULT_GZIP_THRESHOLD = 1024;

/** HTTP media type of a TOON body. */
export const TOON_MEDIA_TYPE = 'application/toon+json';
