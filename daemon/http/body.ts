/** Reading request bodies: size-limited, JSON only (or what the negotiator decodes). */
import type { IncomingMessage } from 'node:http';
import { M2MError } from '../../protocol/errors.js';
import { assertJsonBounds } from '../../protocol/json-bounds.js';
import type { ContentNegotiator } from './types.js';

/**
 * Reads the whole body, failing as soon as it exceeds `limit` bytes.
 * @throws M2MError INPUT_TOO_LARGE
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new M2MError('INPUT_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`, { limit }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new M2MError('INPUT_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`, { limit }));
        // Drain the rest without buffering so the reply can still be written.
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks, size));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(new M2MError('BAD_INPUT', `request body could not be read: ${e.message}`));
      }
    });
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
// TOON's media type ends in +json but is not JSON text.
const TOON_TYPE = /^application\/toon\+json\s*(?:;|$)/i;

/**
 * Parses a request body as JSON (or via the negotiator for other media types).
 * @throws M2MError UNSUPPORTED_MEDIA_TYPE, INVALID_UTF8, INVALID_JSON, TOO_DEEP, ARRAY_TOO_LONG
 */
export function parseBody(contentType: string | undefined, body: Buffer, negotiator?: ContentNegotiator): unknown {
  const type = (contentType ?? 'application/json').trim();
  const decoded = negotiator?.decodeRequest?.(type, body);
  if (decoded !== undefined) return decoded;
  if (!JSON_TYPE.test(type) || TOON_TYPE.test(type)) {
    throw new M2MError('UNSUPPORTED_MEDIA_TYPE', `content-type ${JSON.stringify(type)} is not supported; send application/json`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new M2MError('INVALID_UTF8', 'request body is not valid UTF-8');
  }
  // Depth and array length are checked before parsing (hostile `[[[[…` fails fast).
  assertJsonBounds(text);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new M2MError('INVALID_JSON', `request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The object a JSON route expects. @throws M2MError BAD_INPUT */
export function expectObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new M2MError('BAD_INPUT', 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A required string field. @throws M2MError BAD_INPUT */
export function stringField(obj: Record<string, unknown>, name: string): string {
  const v = obj[name];
  if (typeof v !== 'string') throw new M2MError('BAD_INPUT', `field "${name}" must be a string`, { field: name });
  return v;
}
