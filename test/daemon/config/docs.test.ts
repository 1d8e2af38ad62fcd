import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PEER_SCHEMA, SCHEMA } from '../../../daemon/config/schema.js';

const doc = readFileSync(join(import.meta.dirname, '../../../docs/CONFIG.md'), 'utf8');

describe('docs/CONFIG.md', () => {
  it('documents every section and key of the schema', () => {
    for (const [section, keys] of Object.entries(SCHEMA)) {
      expect(doc, section).toContain(`### \`[${section}]\``);
      for (const key of Object.keys(keys)) expect(doc, `${section}.${key}`).toContain(`| \`${key}\` |`);
    }
    for (const key of Object.keys(PEER_SCHEMA)) expect(doc, `peers.${key}`).toContain(`| \`${key}\` |`);
    expect(doc).toContain('`custom_key_mappings`');
    expect(doc).toContain('`custom_value_abbreviations`');
  });
});
