/**
 * Headers of the M2M v1 frame (`#M2M|1|`), byte-compatible with the Rust
 * reference: flag detection from OpenAI-style JSON, the routing header
 * (requests), the response header and the f32 cost estimate. Their byte
 * layout is written and read in m2m-frame-bytes.ts.
 *
 * Fixes over the reference (decoding safety): strings longer than 255 bytes
 * are cut at a character boundary instead of wrapping the u8 length;
 * a message with an unknown role is packed as `user` so the role count always
 * equals `msg_count`; HAS_MAX_TOKENS is only set when the value is an integer;
 * the optional cost is read only from inside the variable header.
 */

export const SCHEMA = Object.freeze({
  request: 0x01,
  response: 0x02,
  stream: 0x03,
  embeddingRequest: 0x04,
  embeddingResponse: 0x05,
  error: 0x10,
  custom: 0xfe,
  unknown: 0xff,
});

export const REQUEST_FLAGS = Object.freeze({
  HAS_SYSTEM_PROMPT: 1 << 0,
  HAS_TOOLS: 1 << 1,
  HAS_TOOL_CHOICE: 1 << 2,
  HAS_IMAGES: 1 << 3,
  STREAM_REQUESTED: 1 << 4,
  HAS_RESPONSE_FORMAT: 1 << 5,
  HAS_MAX_TOKENS: 1 << 6,
  HAS_REASONING_EFFORT: 1 << 7,
  HAS_SERVICE_TIER: 1 << 8,
  HAS_SEED: 1 << 9,
  HAS_LOGPROBS: 1 << 10,
  HAS_USER_ID: 1 << 11,
  HAS_TEMPERATURE: 1 << 12,
  HAS_TOP_P: 1 << 13,
  HAS_STOP: 1 << 14,
});

export const RESPONSE_FLAGS = Object.freeze({
  HAS_TOOL_CALLS: 1 << 0,
  HAS_REFUSAL: 1 << 1,
  CONTENT_FILTERED: 1 << 2,
  HAS_USAGE: 1 << 3,
  TRUNCATED: 1 << 4,
  HAS_CACHED_TOKENS: 1 << 5,
  HAS_REASONING_TOKENS: 1 << 6,
  HAS_COST_ESTIMATE: 1 << 7,
});

export type Role = 'system' | 'user' | 'assistant' | 'tool';
export const ROLE_BITS: Readonly<Record<string, number>> = { system: 0, developer: 0, user: 1, assistant: 2, tool: 3 };
export const ROLES: readonly Role[] = ['system', 'user', 'assistant', 'tool'];

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';
export const FINISH_CODES: Readonly<Record<string, number>> = { stop: 0, length: 1, tool_calls: 2, content_filter: 3 };
export const FINISH_NAMES: Readonly<Record<number, FinishReason>> = { 0: 'stop', 1: 'length', 2: 'tool_calls', 3: 'content_filter' };

export interface RoutingHeader {
  model: string;
  msgCount: number;
  roles: Role[];
  /** Sum of UTF-8 bytes of message `content` strings and `text` parts. */
  contentHint: number;
  maxTokens?: number;
  estCostUsd?: number;
}

export interface ResponseHeader {
  id: string;
  model: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  estCostUsd?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: unknown, k: string): boolean => isObj(o) && Object.prototype.hasOwnProperty.call(o, k);
const get = (o: unknown, k: string): unknown => (isObj(o) && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
/** serde_json `as_u64`: a non-negative integer, else undefined. */
const asU64 = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
const u32 = (n: number): number => n % 0x100000000;
const utf8Len = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Request JSON has both `messages` and `model`; response JSON has `choices` or an id starting `chatcmpl-`. */
export function isRequestJson(json: unknown): boolean {
  if (has(json, 'messages') && has(json, 'model')) return true;
  const id = get(json, 'id');
  return !(has(json, 'choices') || (typeof id === 'string' && id.startsWith('chatcmpl-')));
}

export function detectRequestFlags(json: unknown): number {
  let f = 0;
  const messages = get(json, 'messages');
  if (Array.isArray(messages)) {
    for (const m of messages) {
      const role = get(m, 'role');
      if (role === 'system' || role === 'developer') f |= REQUEST_FLAGS.HAS_SYSTEM_PROMPT;
      const content = get(m, 'content');
      if (Array.isArray(content) && content.some((p) => get(p, 'type') === 'image_url')) f |= REQUEST_FLAGS.HAS_IMAGES;
    }
  }
  if (has(json, 'tools') || has(json, 'functions')) f |= REQUEST_FLAGS.HAS_TOOLS;
  if (has(json, 'tool_choice') || has(json, 'function_call')) f |= REQUEST_FLAGS.HAS_TOOL_CHOICE;
  if (get(json, 'stream') === true) f |= REQUEST_FLAGS.STREAM_REQUESTED;
  if (has(json, 'response_format')) f |= REQUEST_FLAGS.HAS_RESPONSE_FORMAT;
  if (maxTokensOf(json) !== undefined) f |= REQUEST_FLAGS.HAS_MAX_TOKENS;
  if (has(json, 'reasoning_effort')) f |= REQUEST_FLAGS.HAS_REASONING_EFFORT;
  if (has(json, 'service_tier')) f |= REQUEST_FLAGS.HAS_SERVICE_TIER;
  if (has(json, 'seed')) f |= REQUEST_FLAGS.HAS_SEED;
  if (has(json, 'logprobs')) f |= REQUEST_FLAGS.HAS_LOGPROBS;
  if (has(json, 'user')) f |= REQUEST_FLAGS.HAS_USER_ID;
  if (has(json, 'temperature')) f |= REQUEST_FLAGS.HAS_TEMPERATURE;
  if (has(json, 'top_p')) f |= REQUEST_FLAGS.HAS_TOP_P;
  if (has(json, 'stop')) f |= REQUEST_FLAGS.HAS_STOP;
  return f;
}

function maxTokensOf(json: unknown): number | undefined {
  const v = has(json, 'max_tokens') ? get(json, 'max_tokens') : get(json, 'max_completion_tokens');
  const n = asU64(v);
  return n === undefined ? undefined : u32(n);
}

export function detectResponseFlags(json: unknown): number {
  let f = 0;
  const choices = get(json, 'choices');
  const first = Array.isArray(choices) ? choices[0] : undefined;
  if (first !== undefined) {
    const msg = get(first, 'message');
    if (has(msg, 'tool_calls')) f |= RESPONSE_FLAGS.HAS_TOOL_CALLS;
    if (typeof get(msg, 'refusal') === 'string') f |= RESPONSE_FLAGS.HAS_REFUSAL;
    const fr = get(first, 'finish_reason');
    if (fr === 'content_filter') f |= RESPONSE_FLAGS.CONTENT_FILTERED;
    if (fr === 'length') f |= RESPONSE_FLAGS.TRUNCATED;
  }
  if (has(json, 'usage')) {
    const usage = get(json, 'usage');
    f |= RESPONSE_FLAGS.HAS_USAGE | RESPONSE_FLAGS.HAS_COST_ESTIMATE;
    if ((asU64(get(get(usage, 'prompt_tokens_details'), 'cached_tokens')) ?? 0) > 0) f |= RESPONSE_FLAGS.HAS_CACHED_TOKENS;
    if ((asU64(get(get(usage, 'completion_tokens_details'), 'reasoning_tokens')) ?? 0) > 0) f |= RESPONSE_FLAGS.HAS_REASONING_TOKENS;
  }
  return f;
}

// cents per 1K tokens [input, output], first prefix match wins (reference cost.rs).
const PRICES: readonly [readonly string[], number, number][] = [
  [['gpt-4o-mini'], 0.015, 0.06],
  [['gpt-4o'], 0.25, 1.0],
  [['gpt-4-turbo'], 1.0, 3.0],
  [['gpt-4'], 3.0, 6.0],
  [['gpt-3.5-turbo'], 0.05, 0.15],
  [['o1-preview'], 1.5, 6.0],
  [['o1-mini'], 0.3, 1.2],
  [['o3-mini'], 0.11, 0.44],
  [['o3'], 2.0, 8.0],
  [['claude-3-opus'], 1.5, 7.5],
  [['claude-3.5-sonnet', 'claude-3-5-sonnet', 'claude-3-sonnet'], 0.3, 1.5],
  [['claude-3.5-haiku', 'claude-3-5-haiku'], 0.08, 0.4],
  [['claude-3-haiku'], 0.025, 0.125],
  [['gemini-1.5-pro'], 0.125, 0.5],
  [['gemini-1.5-flash'], 0.0075, 0.03],
  [['gemini-2.0-flash'], 0.01, 0.04],
];

/** Estimated cost in USD as an f32 value, computed in f32 exactly as the reference. */
export function estimateCost(model: string, promptTokens: number, completionTokens: number): number {
  const m = model.toLowerCase();
  const row = PRICES.find(([prefixes]) => prefixes.some((p) => m.startsWith(p)));
  const [inCents, outCents] = row ? [row[1], row[2]] : [0.1, 0.3];
  const f = Math.fround;
  const input = f(f(f(promptTokens) / 1000) * f(inCents));
  const output = f(f(f(completionTokens) / 1000) * f(outCents));
  return f(f(input + output) / 100);
}

/** Routing header (with cost estimate) for request JSON. */
export function routingFromJson(json: unknown): RoutingHeader {
  const model = get(json, 'model');
  const messages = get(json, 'messages');
  const roles: Role[] = [];
  let contentHint = 0;
  if (Array.isArray(messages)) {
    for (const m of messages) {
      const r = get(m, 'role');
      roles.push(ROLES[typeof r === 'string' && r in ROLE_BITS ? ROLE_BITS[r] : 1]);
      const content = get(m, 'content');
      if (typeof content === 'string') contentHint += utf8Len(content);
      else if (Array.isArray(content)) {
        for (const p of content) {
          const t = get(p, 'text');
          if (typeof t === 'string') contentHint += utf8Len(t);
        }
      }
    }
  }
  const maxTokens = maxTokensOf(json);
  const h: RoutingHeader = { model: typeof model === 'string' ? model : '', msgCount: roles.length, roles, contentHint: u32(contentHint), maxTokens };
  h.estCostUsd = estimateCost(h.model, Math.floor(h.contentHint / 4), maxTokens ?? 500);
  return h;
}

/** Response header (with cost when usage is present) for response JSON. */
export function responseFromJson(json: unknown, flags: number): ResponseHeader {
  const id = get(json, 'id');
  const model = get(json, 'model');
  const choices = get(json, 'choices');
  const fr = get(Array.isArray(choices) ? choices[0] : undefined, 'finish_reason');
  const usage = get(json, 'usage');
  const h: ResponseHeader = {
    id: typeof id === 'string' ? id : '',
    model: typeof model === 'string' ? model : '',
    finishReason: typeof fr === 'string' && fr in FINISH_CODES ? (fr as FinishReason) : 'unknown',
    promptTokens: u32(asU64(get(usage, 'prompt_tokens')) ?? 0),
    completionTokens: u32(asU64(get(usage, 'completion_tokens')) ?? 0),
  };
  if (flags & RESPONSE_FLAGS.HAS_CACHED_TOKENS) h.cachedTokens = u32(asU64(get(get(usage, 'prompt_tokens_details'), 'cached_tokens')) ?? 0);
  if (flags & RESPONSE_FLAGS.HAS_REASONING_TOKENS) h.reasoningTokens = u32(asU64(get(get(usage, 'completion_tokens_details'), 'reasoning_tokens')) ?? 0);
  if (flags & RESPONSE_FLAGS.HAS_COST_ESTIMATE) h.estCostUsd = estimateCost(h.model, h.promptTokens, h.completionTokens);
  return h;
}
