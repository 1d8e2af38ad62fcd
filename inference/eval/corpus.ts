/** Labelled evaluation corpora: JSON Lines with `text` and `label` (plus optional `source`). */
import { readFileSync } from 'node:fs';
import { ModelError } from '../model/errors.js';
import type { Label } from '../types.js';

export interface CorpusRow {
  text: string;
  label: Label;
  /** Where the row came from (for per-source and leave-one-source-out reports). */
  source?: string;
  license?: string;
}

const LABELS: ReadonlySet<string> = new Set(['benign', 'injection', 'jailbreak', 'exfiltration', 'malformed']);

/**
 * Parse JSONL text. Blank lines are skipped.
 * @throws ModelError `BAD_INPUT` naming the first bad line
 */
export function parseCorpus(jsonl: string): CorpusRow[] {
  const rows: CorpusRow[] = [];
  const lines = jsonl.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new ModelError('BAD_INPUT', `corpus line ${i + 1}: invalid JSON (${(e as Error).message})`, { line: i + 1 });
    }
    const o = obj as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.text !== 'string' || typeof o.label !== 'string' || !LABELS.has(o.label)) {
      throw new ModelError('BAD_INPUT', `corpus line ${i + 1}: needs string "text" and "label" in ${[...LABELS].join('|')}`, { line: i + 1 });
    }
    const row: CorpusRow = { text: o.text, label: o.label as Label };
    if (typeof o.source === 'string') row.source = o.source;
    if (typeof o.license === 'string') row.license = o.license;
    rows.push(row);
  }
  return rows;
}

/** Read and parse a JSONL corpus file. @throws ModelError `BAD_INPUT` */
export function loadCorpus(path: string): CorpusRow[] {
  return parseCorpus(readFileSync(path, 'utf8'));
}
