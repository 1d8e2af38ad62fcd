/**
 * The algorithms `m2m bench codecs` measures. Append an entry to
 * {@link BENCH_ALGORITHMS} to bench a new codec (e.g. TOON levels): `encode`
 * gets one compact JSON message and returns the wire form (text or bytes);
 * `decode` must return the exact original JSON text.
 */
import { createRequire } from 'node:module';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { brotliCompress, brotliDecompress } from '../../../protocol/brotli.js';
import { compressAuto, decompress } from '../../../protocol/codec-engine.js';
import { decodeBrotliData, encodeBrotliData } from '../../../protocol/brotli-data.js';
import { decodeM2MFrame, decodeM2MFrameBinary, encodeM2MFrame, encodeM2MFrameBinary } from '../../../protocol/m2m-frame.js';
import { decodeT1, encodeT1 } from '../../../protocol/t1.js';
import { decodeTokenNative, decodeTokenNativeBinary, encodeTokenNative, encodeTokenNativeBinary } from '../../../protocol/token-native.js';
import { decode as toonFormatDecode, encode as toonFormatEncode } from '@toon-format/toon';
import { ToonCodec } from '../../../protocol/toon/codec.js';

export type Wire = Uint8Array | string;

export interface BenchAlgorithm {
  /** Key in the bench output. */
  name: string;
  /** One line on what the entry is. */
  description?: string;
  encode(json: string): Wire;
  decode(wire: Wire): string;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const asText = (w: Wire): string => (typeof w === 'string' ? w : utf8d.decode(w));
const asBytes = (w: Wire): Uint8Array => (typeof w === 'string' ? utf8.encode(w) : w);

interface WasmBrotli {
  compress(buf: Uint8Array, options?: { quality?: number }): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}
let wasm: WasmBrotli | undefined;
/** brotli-wasm's Node build (synchronous); its ESM entry is the web build, so load it through require. */
function brotliWasm(): WasmBrotli {
  wasm ??= createRequire(import.meta.url)('brotli-wasm') as WasmBrotli;
  return wasm;
}

export const BENCH_ALGORITHMS: BenchAlgorithm[] = [
  { name: 'none', description: 'passthrough', encode: (j) => j, decode: asText },
  { name: 't1', description: '#T1| lossless abbreviation', encode: (j) => encodeT1(j), decode: (w) => decodeT1(asText(w)) },
  {
    name: 'token-native',
    description: '#TK|C| cl100k IDs, base64 text',
    encode: (j) => encodeTokenNative(j, 'cl100k'),
    decode: (w) => decodeTokenNative(asText(w)),
  },
  {
    name: 'token-native-o200k',
    description: '#TK|O| o200k IDs, base64 text',
    encode: (j) => encodeTokenNative(j, 'o200k'),
    decode: (w) => decodeTokenNative(asText(w)),
  },
  {
    name: 'token-native-binary',
    description: 'raw cl100k varint IDs (binary channels)',
    encode: (j) => encodeTokenNativeBinary(j, 'cl100k'),
    decode: (w) => decodeTokenNativeBinary(asBytes(w)),
  },
  { name: 'brotli', description: '#M2M[v3.0]|DATA: q11 base64 text', encode: (j) => encodeBrotliData(j), decode: (w) => decodeBrotliData(asText(w)) },
  {
    name: 'brotli-binary-zlib',
    description: 'raw Brotli q11 lgwin22, Node zlib (native)',
    encode: (j) => brotliCompress(utf8.encode(j), { quality: 11, lgwin: 22 }),
    decode: (w) => utf8d.decode(brotliDecompress(asBytes(w))),
  },
  {
    name: 'brotli-binary-wasm',
    description: 'raw Brotli q11, brotli-wasm',
    encode: (j) => brotliWasm().compress(utf8.encode(j), { quality: 11 }),
    decode: (w) => utf8d.decode(brotliWasm().decompress(asBytes(w))),
  },
  { name: 'm2m', description: '#M2M|1| frame, base64 text', encode: (j) => encodeM2MFrame(j), decode: (w) => decodeM2MFrame(asText(w)) },
  { name: 'm2m-binary', description: '#M2M|1| frame, binary', encode: (j) => encodeM2MFrameBinary(j), decode: (w) => decodeM2MFrameBinary(asBytes(w)) },
  {
    name: 'auto',
    description: 'compressAuto: smallest text wire form per message',
    encode: (j) => compressAuto(j).data,
    decode: (w) => decompress(asText(w)),
  },
  {
    name: 'gzip',
    description: 'baseline: gzip -9, binary',
    encode: (j) => gzipSync(j, { level: constants.Z_BEST_COMPRESSION }),
    decode: (w) => utf8d.decode(gunzipSync(asBytes(w))),
  },
  ...(['minimal', 'standard', 'aggressive'] as const).map((level): BenchAlgorithm => {
    const codec = new ToonCodec({ level });
    return { name: `toon-${level}`, description: `TOON key/value ${level} (seed 003), byte-exact text`, encode: (j) => codec.encodeText(j), decode: (w) => codec.decodeText(w) };
  }),
  {
    name: 'toon-format',
    description: '@toon-format/toon LLM view (value-level: 1.0 comes back as 1)',
    encode: (j) => toonFormatEncode(JSON.parse(j)),
    decode: (w) => JSON.stringify(toonFormatDecode(asText(w))),
  },
];
