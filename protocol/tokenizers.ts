/**
 * BPE tokenizers by TokenNative wire letter: `C` cl100k_base, `O` o200k_base,
 * `L` Llama 3 (a real Llama 3 vocabulary, unlike the Rust reference whose `L`
 * is cl100k). IDs equal tiktoken's `encode_with_special_tokens`: a special
 * token written in the text (e.g. `<|endoftext|>`) becomes its special ID.
 *
 * The OpenAI encodings run on `gpt-tokenizer` (≈5x faster than js-tiktoken
 * with identical IDs); we keep our own special-token tables because
 * gpt-tokenizer's differ from tiktoken's (o200k `<|endofprompt|>` is 200018 in
 * tiktoken) and its special-token search only matches at the start of a
 * string. Vocabularies load lazily on first use and are cached.
 */
import { createRequire } from 'node:module';
import { M2MError } from './errors.js';

/** Tokenizer encodings we ship. */
export type Encoding = 'cl100k' | 'o200k' | 'llama3';
/** The tokenizer letter in `#TK|<letter>|…`. */
export type WireLetter = 'C' | 'O' | 'L';

export interface Tokenizer {
  readonly encoding: Encoding;
  readonly wireLetter: WireLetter;
  /** Text → token IDs (special tokens in the text become special IDs). */
  encode(text: string): number[];
  /**
   * Token IDs → text. The output size is checked from a per-token byte table *before* the
   * text is built, so a payload of many long tokens cannot allocate past `maxBytes`.
   * @param maxBytes largest UTF-8 output accepted @default unbounded
   * @throws M2MError INVALID_TOKEN (ID not in the vocabulary), INVALID_UTF8 (IDs split a character),
   *   DECOMPRESSED_TOO_LARGE
   */
  decode(ids: ArrayLike<number>, maxBytes?: number): string;
  /** Number of tokens `encode(text)` would return. */
  count(text: string): number;
}

/** All encodings, in wire-letter order C, O, L. */
export const ENCODINGS: readonly Encoding[] = Object.freeze(['cl100k', 'o200k', 'llama3']);

export const WIRE_LETTERS: Readonly<Record<Encoding, WireLetter>> = Object.freeze({ cl100k: 'C', o200k: 'O', llama3: 'L' });

/** Binary TokenNative tokenizer byte (reference: 0 cl100k, 1 o200k, 2 llama). */
export const TOKENIZER_BYTES: Readonly<Record<Encoding, number>> = Object.freeze({ cl100k: 0, o200k: 1, llama3: 2 });

/**
 * Encoding for a wire letter.
 * @throws M2MError UNKNOWN_TOKENIZER (the reference silently falls back to cl100k; we refuse)
 */
export function encodingFromLetter(letter: string): Encoding {
  switch (letter) {
    case 'C':
      return 'cl100k';
    case 'O':
      return 'o200k';
    case 'L':
      return 'llama3';
    default:
      throw new M2MError('UNKNOWN_TOKENIZER', `unknown tokenizer letter '${letter}' (expected C, O or L)`);
  }
}

/**
 * Encoding for a binary tokenizer byte.
 * @throws M2MError UNKNOWN_TOKENIZER
 */
export function encodingFromByte(byte: number): Encoding {
  const enc = ENCODINGS[byte];
  if (byte < 0 || enc === undefined) throw new M2MError('UNKNOWN_TOKENIZER', `unknown tokenizer byte ${byte} (expected 0, 1 or 2)`);
  return enc;
}

/**
 * Parse a user-facing encoding name (`cl100k`, `cl100k_base`, `o200k`, `o200k_base`, `llama3`, `llama`, `llama_bpe` (the reference's name), or a wire letter).
 * @throws M2MError UNKNOWN_TOKENIZER
 */
export function parseEncoding(name: string): Encoding {
  const n = name.trim().toLowerCase().replace(/[-_]base$/, '');
  if (n === 'cl100k' || n === 'c') return 'cl100k';
  if (n === 'o200k' || n === 'o') return 'o200k';
  if (n === 'llama3' || n === 'llama' || n === 'llama-3' || n === 'llama_bpe' || n === 'llamabpe' || n === 'l') return 'llama3';
  throw new M2MError('UNKNOWN_TOKENIZER', `unknown encoding '${name}' (expected cl100k, o200k or llama3)`);
}

// tiktoken's special tokens (js-tiktoken ranks / tiktoken-rs), not gpt-tokenizer's.
const SPECIALS: Record<'cl100k' | 'o200k', Record<string, number>> = {
  cl100k: {
    '<|endoftext|>': 100257,
    '<|fim_prefix|>': 100258,
    '<|fim_middle|>': 100259,
    '<|fim_suffix|>': 100260,
    '<|endofprompt|>': 100276,
  },
  o200k: { '<|endoftext|>': 199999, '<|endofprompt|>': 200018 },
};

const MODULES = {
  cl100k: { encoding: 'gpt-tokenizer/encoding/cl100k_base', ranks: 'gpt-tokenizer/bpeRanks/cl100k_base' },
  o200k: { encoding: 'gpt-tokenizer/encoding/o200k_base', ranks: 'gpt-tokenizer/bpeRanks/o200k_base' },
} as const;

interface GptModule {
  encode(text: string, options?: object): number[];
  countTokens(text: string, options?: object): number;
}
interface LlamaModule {
  vocabById: string[];
  encode(text: string, options?: { bos?: boolean; eos?: boolean }): number[];
  decode(ids: number[]): string;
}

// Synchronous lazy loading: the vocabularies are large (≈150–700 ms to load each).
const require = createRequire(import.meta.url);
const cache = new Map<Encoding, Tokenizer>();

/** The tokenizer for `enc`, loaded on first use and cached. */
export function getTokenizer(enc: Encoding): Tokenizer {
  let t = cache.get(enc);
  if (t === undefined) {
    if (enc === 'llama3') t = makeLlama3();
    else if (enc === 'cl100k' || enc === 'o200k') t = makeTiktokenCompatible(enc);
    else throw new M2MError('UNKNOWN_TOKENIZER', `unknown encoding '${String(enc)}'`);
    cache.set(enc, t);
  }
  return t;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Sum the byte lengths of `ids` (validating each) and refuse more than `maxBytes`. */
function checkSize(ids: ArrayLike<number>, lengths: Uint32Array, maxBytes: number, enc: Encoding): void {
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const n = Number.isInteger(id) && id >= 0 && id < lengths.length ? lengths[id] : 0;
    if (n === 0) throw invalidToken(id, enc);
    total += n;
  }
  if (total > maxBytes) throw new M2MError('DECOMPRESSED_TOO_LARGE', `${enc} token IDs decode to more than ${maxBytes} bytes`, { maxBytes });
}

function invalidToken(id: unknown, enc: Encoding): M2MError {
  return new M2MError('INVALID_TOKEN', `token ID ${String(id)} is not in the ${enc} vocabulary`);
}

function makeTiktokenCompatible(enc: 'cl100k' | 'o200k'): Tokenizer {
  const mod = require(MODULES[enc].encoding) as GptModule;
  const ranksMod = require(MODULES[enc].ranks) as { default?: (string | number[])[] } | (string | number[])[];
  const ranks = Array.isArray(ranksMod) ? ranksMod : (ranksMod.default as (string | number[])[]);
  const specials = SPECIALS[enc];
  const specialById = new Map<number, string>(Object.entries(specials).map(([s, id]) => [id, s]));
  const specialRe = new RegExp(Object.keys(specials).map(escapeRegExp).join('|'), 'g');
  // Empty allowed/disallowed sets: gpt-tokenizer must neither throw on nor convert special tokens; we split them out ourselves.
  const plain = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
  const strict = new TextDecoder('utf-8', { fatal: true });

  const encode = (text: string): number[] => {
    if (!text.includes('<|')) return mod.encode(text, plain);
    const out: number[] = [];
    let last = 0;
    for (const m of text.matchAll(specialRe)) {
      if (m.index > last) for (const id of mod.encode(text.slice(last, m.index), plain)) out.push(id);
      out.push(specials[m[0]]);
      last = m.index + m[0].length;
    }
    if (last < text.length) for (const id of mod.encode(text.slice(last), plain)) out.push(id);
    return out;
  };

  const count = (text: string): number => {
    if (!text.includes('<|')) return mod.countTokens(text, plain);
    let n = 0;
    let last = 0;
    for (const m of text.matchAll(specialRe)) {
      if (m.index > last) n += mod.countTokens(text.slice(last, m.index), plain);
      n++;
      last = m.index + m[0].length;
    }
    if (last < text.length) n += mod.countTokens(text.slice(last), plain);
    return n;
  };

  // Byte length per ID (0 = not an ID), built on the first bounded decode.
  let lengths: Uint32Array | undefined;
  const byteLengths = (): Uint32Array => {
    if (lengths === undefined) {
      const maxId = Math.max(ranks.length - 1, ...specialById.keys());
      lengths = new Uint32Array(maxId + 1);
      for (let id = 0; id < ranks.length; id++) {
        const v = ranks[id];
        lengths[id] = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;
      }
      for (const [id, text] of specialById) lengths[id] = text.length;
    }
    return lengths;
  };

  const decode = (ids: ArrayLike<number>, maxBytes = Infinity): string => {
    if (maxBytes !== Infinity) checkSize(ids, byteLengths(), maxBytes, enc);
    let text = '';
    let pending: number[] = [];
    const flush = (): void => {
      try {
        text += strict.decode(new Uint8Array(pending));
      } catch {
        throw new M2MError('INVALID_UTF8', `${enc} token IDs do not decode to valid UTF-8`);
      }
      pending = [];
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0) throw invalidToken(id, enc);
      const v = id < ranks.length ? ranks[id] : specialById.get(id);
      if (v === undefined) throw invalidToken(id, enc);
      if (typeof v === 'string') {
        // A string-valued rank is whole UTF-8, so any pending bytes before it must be complete.
        if (pending.length > 0) flush();
        text += v;
      } else {
        for (const b of v) pending.push(b);
      }
    }
    if (pending.length > 0) flush();
    return text;
  };

  return Object.freeze({ encoding: enc, wireLetter: WIRE_LETTERS[enc], encode, decode, count });
}

function makeLlama3(): Tokenizer {
  const mod = require('llama3-tokenizer-js') as { default?: LlamaModule } & Partial<LlamaModule>;
  const llama = (mod.default ?? mod) as LlamaModule;
  const size = llama.vocabById.length;
  const bare = { bos: false, eos: false };
  const encode = (text: string): number[] => llama.encode(text, bare);
  let lengths: Uint32Array | undefined;
  const decode = (ids: ArrayLike<number>, maxBytes = Infinity): string => {
    if (maxBytes !== Infinity) {
      // Byte-level BPE: one vocabulary character per byte; specials count their text.
      lengths ??= Uint32Array.from(llama.vocabById, (v) => (v === undefined ? 0 : Math.max(1, v.length)));
      checkSize(ids, lengths, maxBytes, 'llama3');
    }
    const list: number[] = new Array<number>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= size || llama.vocabById[id] === undefined) throw invalidToken(id, 'llama3');
      list[i] = id;
    }
    return llama.decode(list);
  };
  return Object.freeze({ encoding: 'llama3', wireLetter: 'L', encode, decode, count: (text: string) => encode(text).length });
}
