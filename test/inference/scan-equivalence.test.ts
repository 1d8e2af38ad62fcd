// The fast scan path must give exactly the verdicts of the code it replaced (recorded from commit 40029e5,
// before the word cache, prefilters and lean loader): scores bit for bit, threats, reasons and their details,
// on every row of the dev corpora and on obfuscated and encoded copies of the security rows.
//
// Re-record only when rules or the model change on purpose (check the differences first):
//   M2M_RECORD_SCAN_VERDICTS=1 npx vitest run test/inference/scan-equivalence.test.ts
// M2M_SCAN_REFERENCE_DIST=<a dist/ directory> records (or checks) another build instead of the sources.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ScanningClassifier } from '../../inference/create-classifier.js';
import { blockDigests, BLOCK, corporaPresent, scanRows, verdictLine } from './scan-corpus.js';

const FIXTURE = new URL('./fixtures/scan-verdicts.json', import.meta.url);

interface Recorded {
  recordedFrom: string;
  model: string | null;
  block: number;
  sets: Record<string, { rows: number; blocks: string[] }>;
}

async function classifier(): Promise<ScanningClassifier> {
  const root = process.env.M2M_SCAN_REFERENCE_DIST;
  const mod = (root ? await import(`${root}/inference/create-classifier.js`) : await import('../../inference/create-classifier.js')) as typeof import('../../inference/create-classifier.js');
  return mod.createClassifier();
}

describe.skipIf(!corporaPresent())('scan equivalence with the replaced implementation', () => {
  it('identical verdicts on every corpus row and every obfuscated/encoded copy', async () => {
    const c = await classifier();
    const now: Recorded = { recordedFrom: process.env.M2M_SCAN_REFERENCE_DIST ?? 'sources', model: c.modelVersion, block: BLOCK, sets: {} };
    for (const set of scanRows()) {
      const lines: string[] = [];
      for (const t of set.texts) lines.push(verdictLine(await c.classify(t)));
      now.sets[set.name] = { rows: lines.length, blocks: blockDigests(lines) };
    }
    await c.close();
    if (process.env.M2M_RECORD_SCAN_VERDICTS) {
      writeFileSync(FIXTURE, `${JSON.stringify(now, null, 1)}\n`);
      return;
    }
    const want = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded;
    expect(now.model).toBe(want.model);
    expect(Object.keys(now.sets)).toEqual(Object.keys(want.sets));
    for (const [name, w] of Object.entries(want.sets)) {
      const got = now.sets[name];
      expect(got.rows, name).toBe(w.rows);
      const first = got.blocks.findIndex((b, i) => b !== w.blocks[i]);
      expect(first, `${name}: first differing rows ${first * BLOCK}..${first * BLOCK + BLOCK - 1}`).toBe(-1);
    }
  }, 120_000);
});
