// Every row the scan-equivalence test classifies: the dev corpora as the daemon would see them, plus
// obfuscated and encoded copies of the security rows (so every normaliser and decoder path runs).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { OBFUSCATIONS } from '../../inference/obfuscate.js';
import type { Verdict } from '../../inference/types.js';

export const DATA_DIR = '/work/shared/data';
export const CORPORA = ['security.dev', 'security.train-extra', 'payloads.dev', 'prose.dev'] as const;
/** Rows per digest block (a mismatch names the block). */
export const BLOCK = 256;

export function corporaPresent(): boolean {
  return CORPORA.every((c) => existsSync(`${DATA_DIR}/${c}.jsonl`));
}

function rowsOf(name: string): string[] {
  return readFileSync(`${DATA_DIR}/${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { json?: unknown; text?: unknown };
      return typeof r.json === 'string' ? r.json : String(r.text);
    });
}

function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Encoded copies of `t`: every decoder's input format. */
function encodings(t: string): string[] {
  const hex = Buffer.from(t).toString('hex');
  const pairs = hex.match(/../g) ?? [];
  return [
    `data: ${hex}`,
    `x ${rot13(t)}`,
    encodeURIComponent(t),
    [...t.slice(0, 40)].map((c) => c.charCodeAt(0)).join(', '),
    pairs.join(' '),
    `\\x${pairs.join('\\x')}`,
  ];
}

/** Named row sets, in a fixed order. */
export function scanRows(): { name: string; texts: string[] }[] {
  const sets: { name: string; texts: string[] }[] = CORPORA.map((name) => ({ name, texts: rowsOf(name) }));
  const security = sets[0].texts;
  for (const [name, f] of Object.entries(OBFUSCATIONS)) sets.push({ name: `obfuscated:${name}`, texts: security.filter((_, i) => i % 3 === 0).map(f) });
  sets.push({ name: 'encoded', texts: security.filter((_, i) => i % 5 === 0).flatMap((t) => encodings(t.slice(0, 200))) });
  return sets;
}

/** Everything of a verdict that must not change, floats written exactly. */
export function verdictLine(v: Verdict): string {
  return JSON.stringify([v.score, v.modelScore ?? null, v.safe, v.threat, v.reasons.map((r) => [r.kind, r.id, r.category ?? null, r.severity, r.detail ?? null])]);
}

export function blockDigests(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += BLOCK) out.push(createHash('sha256').update(lines.slice(i, i + BLOCK).join('\n')).digest('hex').slice(0, 24));
  return out;
}
