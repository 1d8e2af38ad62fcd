/** Codec options from the `[toon]` config section (`level`, `gzip_threshold`, custom tables). */
import { M2MError } from '../errors.js';
import { parseToonLevel, type ToonOptions } from './codec.js';
import { mappingOptionsFromConfig } from './mappings.js';

/**
 * Build {@link ToonOptions} from a parsed `[toon]` section, e.g.
 * `{ level: 'standard', gzip_threshold: 1024, custom_key_mappings: { verification_score: 'vs' } }`.
 * Other keys (such as `enabled`) are ignored.
 * @throws M2MError BAD_INPUT for a bad level, threshold or table
 */
export function toonOptionsFromConfig(section: unknown): ToonOptions {
  const opts: ToonOptions = mappingOptionsFromConfig(section);
  if (section === undefined || section === null) return opts;
  const s = section as Record<string, unknown>;
  if (s.level !== undefined) {
    if (typeof s.level !== 'string') throw new M2MError('BAD_INPUT', 'toon.level must be a string');
    opts.level = parseToonLevel(s.level);
  }
  if (s.gzip_threshold !== undefined) {
    if (typeof s.gzip_threshold !== 'number' || !Number.isInteger(s.gzip_threshold) || s.gzip_threshold < 0) {
      throw new M2MError('BAD_INPUT', 'toon.gzip_threshold must be a non-negative integer (bytes)');
    }
    opts.gzipThreshold = s.gzip_threshold;
  }
  return opts;
}
