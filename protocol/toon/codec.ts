/**
 * TOON key/value compression (seed `003`), lossless for every JSON value:
 * keys and string values are swapped for short codes from the tables; any
 * original that could be mistaken for a code is escaped with `~`; booleans,
 * null and numbers are never rewritten. `aggressive` gzips large encodings,
 * and the decoder recognises gzip by its magic bytes.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { M2MError } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { buildMapping, SEED_MAPPING, type MappingOptions, type ToonMapping } from './mappings.js';
import { DEFAULT_GZIP_THRESHOLD, TOON_ESCAPE, TOON_LEVELS, TOON_MAX_KEY_CODE_LENGTH, type ToonLevel } from './tables.js';
import { decodeJsonText, encodeJsonText } from './text.js';

/** Options for {@link ToonCodec}. */
export interface ToonOptions extends MappingOptions {
  /** Compression level. @default 'standard' */
  level?: ToonLevel;
  /** Aggressive level gzips encodings larger than this (bytes). @default 1024 */
  gzipThreshold?: number;
  /** Decoder rejects unescaped short keys that are not known codes (TOON_UNKNOWN_KEY). @default false */
  strict?: boolean;
  /** Decoder bounds (input size, decompressed size, depth). @default DEFAULT_LIMITS */
  limits?: Partial<Limits>;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse a level name (case-insensitive).
 * @throws M2MError BAD_INPUT for an unknown name
 */
export function parseToonLevel(name: string): ToonLevel {
  const l = name.trim().toLowerCase();
  if ((TOON_LEVELS as readonly string[]).includes(l)) return l as ToonLevel;
  throw new M2MError('BAD_INPUT', `unknown TOON level '${name}' (expected ${TOON_LEVELS.join(', ')})`);
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON is an ordinary own key; plain assignment would change the prototype.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Encoder/decoder bound to one level and mapping. Stateless and reusable. */
export class ToonCodec {
  readonly level: ToonLevel;
  readonly strict: boolean;
  readonly gzipThreshold: number;
  readonly limits: Limits;
  readonly mapping: ToonMapping;

  /** @throws M2MError BAD_INPUT for invalid custom mappings */
  constructor(options: ToonOptions = {}) {
    this.level = options.level ?? 'standard';
    this.strict = options.strict ?? false;
    this.gzipThreshold = options.gzipThreshold ?? DEFAULT_GZIP_THRESHOLD;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const custom = options.customKeys || options.customValues || options.seedTables === false;
    this.mapping = custom ? buildMapping(options) : SEED_MAPPING;
  }

  /**
   * Encode a JSON value to TOON text (never gzipped). At level `none` this is plain JSON.
   * @throws M2MError BAD_INPUT for non-JSON values, TOO_DEEP past `maxJsonDepth`
   */
  encodeToString(value: unknown): string {
    if (this.level === 'none') {
      this.check(value, 0);
      return JSON.stringify(value);
    }
    return this.write(value, 0, this.level !== 'minimal');
  }

  /**
   * Encode to bytes; at `aggressive`, encodings above `gzipThreshold` are gzipped.
   * @throws M2MError BAD_INPUT, TOO_DEEP
   */
  encode(value: unknown): Uint8Array {
    const bytes = enc.encode(this.encodeToString(value));
    if (this.level === 'aggressive' && bytes.length > this.gzipThreshold) return new Uint8Array(gzipSync(bytes, { level: 9 }));
    return bytes;
  }

  /**
   * Decode TOON bytes or text (gzip detected by magic bytes) back to the original JSON value.
   * A codec at level `none` parses plain JSON without expanding codes.
   * @throws M2MError TOON_INVALID_FORMAT, TOON_DECOMPRESS_FAILED, TOON_UNKNOWN_KEY (strict),
   *   INPUT_TOO_LARGE, DECOMPRESSED_TOO_LARGE, TOO_DEEP
   */
  decode(input: Uint8Array | string): unknown {
    const text = this.toText(input);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new M2MError('TOON_INVALID_FORMAT', `TOON body is not valid JSON: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (this.level === 'none') {
      this.check(parsed, 0);
      return parsed;
    }
    return this.read(parsed, 0);
  }

  /**
   * Encode JSON *text*, keeping every byte outside keys and string values as
   * written (`1.0` stays `1.0`), so {@link decodeText} returns the exact input.
   * At `aggressive`, results above `gzipThreshold` are gzipped.
   * @throws M2MError TOON_INVALID_FORMAT for invalid JSON, TOO_DEEP, INPUT_TOO_LARGE
   */
  encodeText(json: string): Uint8Array {
    if (json.length > this.limits.maxInputBytes) throw new M2MError('INPUT_TOO_LARGE', `JSON input exceeds ${this.limits.maxInputBytes} bytes`);
    const text = this.level === 'none' ? json : encodeJsonText(json, this.mapping, this.level !== 'minimal', this.limits);
    const bytes = enc.encode(text);
    if (this.level === 'aggressive' && bytes.length > this.gzipThreshold) return new Uint8Array(gzipSync(bytes, { level: 9 }));
    return bytes;
  }

  /**
   * Decode TOON bytes or text to the original JSON text, byte for byte when it was made by {@link encodeText}.
   * @throws M2MError TOON_INVALID_FORMAT, TOON_DECOMPRESS_FAILED, TOON_UNKNOWN_KEY (strict),
   *   INPUT_TOO_LARGE, DECOMPRESSED_TOO_LARGE, TOO_DEEP
   */
  decodeText(input: Uint8Array | string): string {
    const text = this.toText(input);
    return this.level === 'none' ? text : decodeJsonText(text, this.mapping, this.strict, this.limits);
  }

  private toText(input: Uint8Array | string): string {
    if (input.length > this.limits.maxInputBytes) throw new M2MError('INPUT_TOO_LARGE', `TOON input exceeds ${this.limits.maxInputBytes} bytes`);
    if (typeof input === 'string') return input;
    const bytes = input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b ? this.gunzip(input) : input;
    try {
      return dec.decode(bytes);
    } catch (e) {
      throw new M2MError('TOON_INVALID_FORMAT', 'TOON body is not valid UTF-8', undefined, { cause: e });
    }
  }

  private gunzip(bytes: Uint8Array): Uint8Array {
    try {
      return gunzipSync(bytes, { maxOutputLength: this.limits.maxDecompressedBytes });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new M2MError('DECOMPRESSED_TOO_LARGE', `gzipped TOON body inflates past ${this.limits.maxDecompressedBytes} bytes`, undefined, { cause: e });
      }
      throw new M2MError('TOON_DECOMPRESS_FAILED', `gzip decompression failed: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  private tooDeep(depth: number): void {
    if (depth > this.limits.maxJsonDepth) throw new M2MError('TOO_DEEP', `JSON nesting deeper than ${this.limits.maxJsonDepth}`);
  }

  private check(v: unknown, depth: number): void {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new M2MError('BAD_INPUT', `${v} is not a JSON number`);
      return;
    }
    if (typeof v !== 'object') throw new M2MError('BAD_INPUT', `a ${typeof v} is not a JSON value`);
    this.tooDeep(depth + 1);
    if (Array.isArray(v)) for (const x of v) this.check(x, depth + 1);
    else for (const x of Object.values(v)) this.check(x, depth + 1);
  }

  private encKey(k: string): string {
    const code = this.mapping.keyToCode.get(k);
    if (code !== undefined) return code;
    if (k.startsWith(TOON_ESCAPE) || k.length <= TOON_MAX_KEY_CODE_LENGTH) return TOON_ESCAPE + k;
    return k;
  }

  private encStr(s: string, values: boolean): string {
    if (values) {
      const code = this.mapping.valueToCode.get(s);
      if (code !== undefined) return code;
    }
    // Escaped at every level so one decoder reads minimal and standard alike.
    if (s.startsWith(TOON_ESCAPE) || this.mapping.codeToValue.has(s)) return TOON_ESCAPE + s;
    return s;
  }

  private write(v: unknown, depth: number, values: boolean): string {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(this.encStr(v, values));
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw new M2MError('BAD_INPUT', `${v} is not a JSON number`);
        return JSON.stringify(v);
      case 'object': {
        this.tooDeep(depth + 1);
        if (Array.isArray(v)) return `[${v.map((x) => this.write(x, depth + 1, values)).join(',')}]`;
        const parts: string[] = [];
        for (const [k, x] of Object.entries(v)) parts.push(`${JSON.stringify(this.encKey(k))}:${this.write(x, depth + 1, values)}`);
        return `{${parts.join(',')}}`;
      }
      default:
        throw new M2MError('BAD_INPUT', `a ${typeof v} is not a JSON value`);
    }
  }

  private decKey(k: string): string {
    if (k.startsWith(TOON_ESCAPE)) return k.slice(1);
    const orig = this.mapping.codeToKey.get(k);
    if (orig !== undefined) return orig;
    if (this.strict && k.length <= TOON_MAX_KEY_CODE_LENGTH) {
      throw new M2MError('TOON_UNKNOWN_KEY', `unknown TOON key code '${k}' (strict mode; missing custom mapping?)`, { key: k });
    }
    return k;
  }

  private read(v: unknown, depth: number): unknown {
    if (typeof v === 'string') {
      if (v.startsWith(TOON_ESCAPE)) return v.slice(1);
      return this.mapping.codeToValue.get(v) ?? v;
    }
    if (v === null || typeof v !== 'object') return v;
    this.tooDeep(depth + 1);
    if (Array.isArray(v)) return v.map((x) => this.read(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, this.decKey(k), this.read(x, depth + 1));
    return out;
  }
}

/** One-shot encode with a fresh codec. @throws see {@link ToonCodec.encode} */
export function toonEncode(value: unknown, options: ToonOptions = {}): Uint8Array {
  return new ToonCodec(options).encode(value);
}

/** One-shot decode with a fresh codec. @throws see {@link ToonCodec.decode} */
export function toonDecode(input: Uint8Array | string, options: ToonOptions = {}): unknown {
  return new ToonCodec(options).decode(input);
}

/** Share of bytes saved: `1 - encoded/original` (0.33 = 33% smaller). */
export function compressionRatio(originalBytes: number, encodedBytes: number): number {
  return originalBytes === 0 ? 0 : 1 - encodedBytes / originalBytes;
}
