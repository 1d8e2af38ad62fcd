/**
 * TOON content negotiation for the HTTP API, built on the TOON layer
 * (protocol/toon codec, daemon/toon Accept parsing): request bodies sent as
 * `application/toon+json` are decoded; JSON responses are sent as TOON when
 * the client's `Accept` prefers it. Everything else stays JSON.
 *
 * `createHttpApi` uses this by default when `[toon] enabled`.
 */
import { ToonCodec } from '../../protocol/toon/codec.js';
import { toonOptionsFromConfig } from '../../protocol/toon/config.js';
import { TOON_MEDIA_TYPE } from '../../protocol/toon/tables.js';
import { isToonContentType, prefersToon } from '../toon/negotiate.js';
import type { DaemonConfig } from '../config/schema.js';
import type { ContentNegotiator } from './types.js';

/** A negotiator using the `[toon]` section (level, gzip threshold, custom tables). @throws M2MError BAD_INPUT for invalid tables */
export function createToonNegotiator(toon: DaemonConfig['toon']): ContentNegotiator {
  const codec = new ToonCodec(toonOptionsFromConfig(toon));
  return {
    decodeRequest(contentType, body) {
      return isToonContentType(contentType) ? codec.decode(body) : undefined;
    },
    encodeResponse(accept, value) {
      if (codec.level === 'none' || !prefersToon(accept)) return undefined;
      const wire = codec.encode(value);
      return { contentType: TOON_MEDIA_TYPE, body: Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength) };
    },
  };
}
