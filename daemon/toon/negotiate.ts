/**
 * HTTP content negotiation for TOON: `Content-Type: application/toon+json`
 * on bodies, and `Accept: application/toon+json, application/json;q=0.9` to
 * ask for TOON responses (RFC 9110 §12.5.1 quality values).
 */
import { TOON_MEDIA_TYPE } from '../../protocol/toon/tables.js';

/** What a TOON-aware client sends in `Accept`. */
export const TOON_ACCEPT = `${TOON_MEDIA_TYPE}, application/json;q=0.9`;

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** True when a `Content-Type` header names TOON (parameters ignored). */
export function isToonContentType(header: string | undefined): boolean {
  return mediaType(header) === TOON_MEDIA_TYPE;
}

/** True for `application/json` and other `+json` types except TOON itself. */
export function isJsonContentType(header: string | undefined): boolean {
  const t = mediaType(header);
  return t === 'application/json' || (t.endsWith('+json') && t !== TOON_MEDIA_TYPE);
}

interface Range {
  type: string;
  q: number;
  specificity: number;
}

function parseAccept(header: string): Range[] {
  const out: Range[] = [];
  for (const part of header.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    const t = type.toLowerCase();
    out.push({ type: t, q, specificity: t === '*/*' ? 0 : t.endsWith('/*') ? 1 : 2 });
  }
  return out;
}

function quality(ranges: Range[], type: string): number {
  let best: Range | undefined;
  for (const r of ranges) {
    const match = r.type === type || r.type === '*/*' || (r.type.endsWith('/*') && type.startsWith(r.type.slice(0, -1)));
    if (match && (best === undefined || r.specificity > best.specificity)) best = r;
  }
  return best?.q ?? 0;
}

/**
 * Pick the response media type for an `Accept` header: TOON only when the
 * client names it explicitly and ranks it at least as high as JSON (a bare
 * `*∕*` keeps plain JSON, so clients that know nothing of TOON never get it).
 */
export function prefersToon(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const explicit = ranges.find((r) => r.type === TOON_MEDIA_TYPE);
  if (explicit === undefined || explicit.q === 0) return false;
  return explicit.q >= quality(ranges, 'application/json');
}
