/**
 * One door to every payload codec: compress with a named algorithm,
 * decompress by wire prefix, pick the smallest (`compressAuto`) and
 * describe content (`analyze`).
 *
 * Dispatch (as the reference, plus `#T1|`): `#M2M|1|` → M2M frame,
 * `#TK|` → TokenNative, `#M2M[v3.0]|` → Brotli, `#T1|` → T1; anything else
 * is passthrough and decodes to itself. A known prefix with a corrupt body
 * is a typed error, never a silent passthrough.
 */
import { BROTLI_DETECT_PREFIX, decodeBrotliData, encodeBrotliData } from './brotli-data.js';
import { M2MError } from './errors.js';
import { isJson } from './json-bounds.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { M2M_FRAME_PREFIX, decodeM2MFrame, encodeM2MFrame } from './m2m-frame.js';
import { T1_PREFIX, decodeT1, encodeT1 } from './t1.js';
import { TK_PREFIX, decodeTokenNative, encodeTokenNative } from './token-native.js';
import { ENCODINGS, getTokenizer, type Encoding } from './tokenizers.js';
import { recommendToonFormat } from './toon/uniform.js';

/** Wire algorithms. */
export type Algorithm = 'none' | 'token-native' | 't1' | 'brotli' | 'm2m';

export const ALGORITHMS: readonly Algorithm[] = Object.freeze(['none', 'token-native', 't1', 'brotli', 'm2m']);

/** Reference display names (`Algorithm::name()`), plus TOKEN for T1. */
export const ALGORITHM_DISPLAY: Readonly<Record<Algorithm, string>> = Object.freeze({
  none: 'NONE',
  'token-native': 'TOKEN_NATIVE',
  t1: 'TOKEN',
  brotli: 'BROTLI',
  m2m: 'M2M',
});

/** Below this many bytes `compressAuto` sends the text as is (headers would outweigh savings). */
export const AUTO_MIN_BYTES = 100;

const ALIASES: Record<string, Algorithm | 'auto'> = {
  auto: 'auto',
  none: 'none',
  n: 'none',
  'token-native': 'token-native',
  tokennative: 'token-native',
  token_native: 'token-native',
  tn: 'token-native',
  token: 't1',
  t1: 't1',
  brotli: 'brotli',
  br: 'brotli',
  m2m: 'm2m',
  m: 'm2m',
};

/**
 * Parse an algorithm name or alias (`auto`, `token-native|tn`, `token|t1`, `brotli|br`, `m2m|m`, `none|n`).
 * @throws M2MError UNKNOWN_ALGORITHM
 */
export function parseAlgorithm(name: string): Algorithm | 'auto' {
  const a = ALIASES[name.trim().toLowerCase()];
  if (a === undefined) throw new M2MError('UNKNOWN_ALGORITHM', `unknown algorithm '${name}' (expected auto, token-native, token, brotli, m2m or none)`);
  return a;
}

/** Algorithm named by the wire prefix; `none` for anything unrecognised. */
export function detectAlgorithm(wire: string): Algorithm {
  if (wire.startsWith(M2M_FRAME_PREFIX)) return 'm2m';
  if (wire.startsWith(TK_PREFIX)) return 'token-native';
  if (wire.startsWith(BROTLI_DETECT_PREFIX)) return 'brotli';
  if (wire.startsWith(T1_PREFIX)) return 't1';
  return 'none';
}

export interface CodecOptions {
  /** Tokenizer for TokenNative. @default 'cl100k' */
  encoding?: Encoding;
  /** Decoder bounds. @default DEFAULT_LIMITS */
  limits?: Partial<Limits>;
}

export interface CompressResult {
  data: string;
  algorithm: Algorithm;
  originalBytes: number;
  compressedBytes: number;
  /** compressedBytes / originalBytes (lower is better; the reference CLI prints the inverse). */
  ratio: number;
}

const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

function result(text: string, data: string, algorithm: Algorithm, originalBytes = byteLen(text)): CompressResult {
  const compressedBytes = byteLen(data);
  return { data, algorithm, originalBytes, compressedBytes, ratio: originalBytes === 0 ? 1 : compressedBytes / originalBytes };
}

/**
 * Compress `text` with one algorithm.
 * @throws M2MError INVALID_JSON (t1 and m2m carry JSON only), INPUT_TOO_LARGE, TOO_DEEP, ARRAY_TOO_LONG
 */
export function compress(text: string, algorithm: Algorithm, opts: CodecOptions = {}): CompressResult {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const originalBytes = byteLen(text);
  if (originalBytes > limits.maxInputBytes) throw new M2MError('INPUT_TOO_LARGE', `input larger than ${limits.maxInputBytes} bytes`);
  switch (algorithm) {
    case 'none':
      return result(text, text, 'none', originalBytes);
    case 'token-native':
      return result(text, encodeTokenNative(text, opts.encoding ?? 'cl100k'), algorithm, originalBytes);
    case 't1':
      return result(text, encodeT1(text, limits), algorithm, originalBytes);
    case 'brotli':
      return result(text, encodeBrotliData(text), algorithm, originalBytes);
    case 'm2m':
      return result(text, encodeM2MFrame(text, limits), algorithm, originalBytes);
    default:
      throw new M2MError('UNKNOWN_ALGORITHM', `unknown algorithm '${String(algorithm)}'`);
  }
}

/**
 * Decode any wire string by its prefix; unknown prefixes pass through unchanged.
 * @throws M2MError with the codec's code when a known prefix has a corrupt body
 */
export function decompress(wire: string, opts: CodecOptions = {}): string {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  switch (detectAlgorithm(wire)) {
    case 'm2m':
      return decodeM2MFrame(wire, limits);
    case 'token-native':
      return decodeTokenNative(wire, limits);
    case 'brotli':
      return decodeBrotliData(wire, limits);
    case 't1':
      return decodeT1(wire, limits);
    default:
      return wire;
  }
}

/**
 * Smallest wire form among the candidates, never larger than the input.
 * Shortcuts: under {@link AUTO_MIN_BYTES} → none; T1 and M2M only for JSON;
 * TokenNative only when Brotli saved less than half (its base64 form rarely beats that).
 * Exception: text that itself starts with a wire prefix (`#TK|…`) cannot be sent as
 * `none` (the receiver would decode it), so it gets the smallest real encoding even if larger.
 */
export function compressAuto(text: string, opts: CodecOptions = {}): CompressResult {
  const originalBytes = byteLen(text);
  const ambiguous = detectAlgorithm(text) !== 'none';
  const none = result(text, text, 'none', originalBytes);
  if (originalBytes < AUTO_MIN_BYTES && !ambiguous) return none;
  let best: CompressResult | undefined = ambiguous ? undefined : none;
  const consider = (r: CompressResult): void => {
    if (best === undefined || r.compressedBytes < best.compressedBytes) best = r;
  };
  const br = compress(text, 'brotli', opts);
  consider(br);
  if (isJson(text)) {
    consider(compress(text, 't1', opts));
    consider(compress(text, 'm2m', opts));
  }
  if (br.ratio > 0.5 || ambiguous) consider(compress(text, 'token-native', opts));
  return best ?? br;
}

export interface AlgorithmSize {
  algorithm: Algorithm;
  bytes: number;
  ratio: number;
}

export interface Analysis {
  /** UTF-8 bytes. */
  length: number;
  isJson: boolean;
  /** Top-level `messages`, `model`, `choices` or `contents`. */
  isLlmApi: boolean;
  /** `tools`, `tool_calls`, `functions` or `function_call` anywhere in the first levels. */
  hasTools: boolean;
  /** 1 − unique char 4-grams / (chars − 3); 0 under 100 bytes (reference formula). */
  repetition: number;
  tokens: Record<Encoding, number>;
  recommended: Algorithm;
  algorithms: AlgorithmSize[];
  /** Whether `@toon-format/toon` suits this JSON as an LLM-facing view (only uniform arrays of objects). */
  toonFormat?: { recommend: boolean; reason: string };
}

function repetitionRatio(text: string): number {
  const chars = Array.from(text);
  if (byteLen(text) < 100 || chars.length < 4) return 0;
  const seen = new Set<string>();
  for (let i = 0; i + 4 <= chars.length; i++) seen.add(chars[i] + chars[i + 1] + chars[i + 2] + chars[i + 3]);
  return 1 - seen.size / (chars.length - 3);
}

const TOOL_KEYS = new Set(['tools', 'tool_calls', 'functions', 'function_call', 'tool_use', 'functionCall', 'functionDeclarations']);

function hasToolKeys(v: unknown, depth: number): boolean {
  if (depth > 5 || typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.slice(0, 64).some((x) => hasToolKeys(x, depth + 1));
  for (const [k, x] of Object.entries(v)) if (TOOL_KEYS.has(k) || hasToolKeys(x, depth + 1)) return true;
  return false;
}

/** Describe `text` and the wire size of every algorithm that accepts it. */
export function analyze(text: string, opts: CodecOptions = {}): Analysis {
  const json = isJson(text);
  const parsed: unknown = json ? JSON.parse(text) : undefined;
  const top = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  const isLlmApi = top !== undefined && ['messages', 'model', 'choices', 'contents'].some((k) => k in top);
  const tokens = Object.fromEntries(ENCODINGS.map((e) => [e, getTokenizer(e).count(text)])) as Record<Encoding, number>;
  const algorithms: AlgorithmSize[] = [];
  for (const a of ALGORITHMS) {
    if ((a === 't1' || a === 'm2m') && !json) continue;
    const r = compress(text, a, opts);
    algorithms.push({ algorithm: a, bytes: r.compressedBytes, ratio: r.ratio });
  }
  return {
    length: byteLen(text),
    isJson: json,
    isLlmApi,
    hasTools: hasToolKeys(parsed, 0),
    repetition: repetitionRatio(text),
    tokens,
    recommended: compressAuto(text, opts).algorithm,
    algorithms,
    ...(json ? { toonFormat: recommendToonFormat(parsed) } : {}),
  };
}
