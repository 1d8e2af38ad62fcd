/**
 * 32-bit string hashing for the hashed feature space: FNV-1a over UTF-16 code
 * units followed by the murmur3 finaliser, so nearby strings spread over all
 * buckets. Deterministic across platforms (only `Math.imul` and shifts).
 */

/** Hash `s` (optionally continuing from `seed`) to an unsigned 32-bit integer. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Murmur3 32-bit finaliser (avalanche). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
