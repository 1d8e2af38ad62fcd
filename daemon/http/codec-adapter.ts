/**
 * The HTTP API's codecs over protocol/codec-engine.ts, speaking the reference's
 * JSON algorithm names (`tokennative`, not the engine's `token-native`).
 *
 * How to wire me: `createHttpApi({ …, codecs: createCodecAdapter(() => currentConfig) })`.
 */
import { analyze, compress, compressAuto, decompress, type Algorithm, type CompressResult } from '../../protocol/codec-engine.js';
import { getTokenizer } from '../../protocol/tokenizers.js';
import type { DaemonConfig } from '../config/schema.js';
import type { CodecOutput, HttpAlgorithm, HttpCodecs } from './types.js';

const TO_ENGINE: Readonly<Record<HttpAlgorithm, Algorithm>> = { m2m: 'm2m', tokennative: 'token-native', brotli: 'brotli', t1: 't1', none: 'none' };
const FROM_ENGINE: Readonly<Record<Algorithm, HttpAlgorithm>> = { m2m: 'm2m', 'token-native': 'tokennative', brotli: 'brotli', t1: 't1', none: 'none' };

export interface CodecAdapterOptions {
  /** Count tokens before and after for every call, not only when a request asks (`"tokens": true`). @default false */
  countTokens?: boolean;
}

/** {@link HttpCodecs} over the codec engine; reads encoding and brotli_threshold from the current config. */
export function createCodecAdapter(config: () => DaemonConfig, options: CodecAdapterOptions = {}): HttpCodecs {
  const always = options.countTokens ?? false;
  // Counting the wire string's tokens is the slow part (base64 tokenizes badly), so it is opt-in per request.
  const output = (text: string, r: CompressResult, count: boolean | undefined): CodecOutput => {
    const out: CodecOutput = { data: r.data, algorithm: FROM_ENGINE[r.algorithm] };
    if (count || always) {
      const tok = getTokenizer(config().compression.encoding);
      out.originalTokens = tok.count(text);
      out.compressedTokens = r.algorithm === 'none' ? out.originalTokens : tok.count(r.data);
    }
    return out;
  };
  return {
    compress(content, algorithm, opts) {
      return output(content, compress(content, TO_ENGINE[algorithm], { encoding: config().compression.encoding }), opts?.countTokens);
    },
    compressAuto(content, opts) {
      const { encoding, brotli_threshold } = config().compression;
      // Above the threshold go straight to Brotli, as the reference's auto mode does (and skip tokenizing big inputs).
      if (brotli_threshold > 0 && Buffer.byteLength(content) > brotli_threshold) {
        const br = compress(content, 'brotli', { encoding });
        return output(content, br.compressedBytes < br.originalBytes ? br : compress(content, 'none'), opts?.countTokens);
      }
      return output(content, compressAuto(content, { encoding }), opts?.countTokens);
    },
    decompress(data) {
      return decompress(data);
    },
    analyze(content) {
      const a = analyze(content, { encoding: config().compression.encoding });
      return {
        length: a.length,
        is_json: a.isJson,
        is_llm_api: a.isLlmApi,
        has_tools: a.hasTools,
        repetition: Math.round(a.repetition * 1e4) / 1e4,
        estimated_tokens: a.tokens[config().compression.encoding],
        tokens: a.tokens,
        recommended: FROM_ENGINE[a.recommended],
        algorithms: a.algorithms.map((x) => ({ algorithm: FROM_ENGINE[x.algorithm], bytes: x.bytes, ratio: Math.round((x.bytes === 0 ? 0 : a.length / x.bytes) * 1e4) / 1e4 })),
      };
    },
  };
}
