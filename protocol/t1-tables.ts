/**
 * T1 abbreviation tables, after the seed README and the reference's
 * `docs/reference/abbreviations.md` (`{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}`
 * → `{"M":"4o","m":[{"r":"u","c":"Hello"}]}`). That table maps several keys
 * to the same letter; ours must be one-to-one to decode, so these differ from
 * it (documented in docs/CODECS.md): `message`→`mg`, `tool_calls`→`tcl`,
 * `name`→`nm`; `n`, `o1` and `o3` are not abbreviated.
 */

/** Object keys, full → short. */
export const T1_KEYS: Readonly<Record<string, string>> = Object.freeze({
  // request
  messages: 'm',
  content: 'c',
  role: 'r',
  model: 'M',
  temperature: 'T',
  max_tokens: 'x',
  top_p: 'p',
  stream: 's',
  stop: 'S',
  seed: 'se',
  user: 'u',
  frequency_penalty: 'f',
  presence_penalty: 'P',
  logit_bias: 'lb',
  logprobs: 'lp',
  top_logprobs: 'tlp',
  response_format: 'rf',
  tools: 'ts',
  tool_choice: 'tc',
  functions: 'fs',
  function_call: 'fc',
  // response
  choices: 'C',
  index: 'i',
  message: 'mg',
  delta: 'd',
  finish_reason: 'fr',
  usage: 'U',
  prompt_tokens: 'pt',
  completion_tokens: 'ct',
  total_tokens: 'tt',
  created: 'cr',
  object: 'o',
  system_fingerprint: 'sf',
  // tools
  tool_calls: 'tcl',
  function: 'fn',
  name: 'nm',
  arguments: 'a',
  type: 't',
  description: 'desc',
  parameters: 'params',
  required: 'req',
  properties: 'props',
});

/** String values abbreviated under a given (full) key. */
export const T1_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  role: Object.freeze({ system: 's', user: 'u', assistant: 'a', function: 'f', tool: 't' }),
  finish_reason: Object.freeze({ stop: 's', length: 'l', tool_calls: 'tc', content_filter: 'cf', function_call: 'fc' }),
  model: Object.freeze({
    'gpt-4o': '4o',
    'gpt-4o-mini': '4om',
    'gpt-4o-2024-11-20': '4o1120',
    'gpt-4o-2024-08-06': '4o0806',
    'gpt-4-turbo': '4t',
    'gpt-4-turbo-preview': '4tp',
    'gpt-4': '4',
    'gpt-4-32k': '432k',
    'gpt-3.5-turbo': '35t',
    'gpt-3.5-turbo-16k': '35t16k',
    'o1-mini': 'o1m',
    'o1-preview': 'o1p',
    'o3-mini': 'o3m',
    'meta-llama/llama-3.3-70b': 'ml3370',
    'meta-llama/llama-3.3-70b-instruct': 'ml3370i',
    'meta-llama/llama-3.1-405b': 'ml31405',
    'meta-llama/llama-3.1-405b-instruct': 'ml31405i',
    'meta-llama/llama-3.1-70b': 'ml3170',
    'meta-llama/llama-3.1-70b-instruct': 'ml3170i',
    'meta-llama/llama-3.1-8b': 'ml318',
    'meta-llama/llama-3.1-8b-instruct': 'ml318i',
    'mistralai/mistral-large': 'mim-l',
    'mistralai/mistral-large-latest': 'mim-ll',
    'mistralai/mistral-medium': 'mim-m',
    'mistralai/mistral-small': 'mim-s',
    'mistralai/mixtral-8x7b': 'mimx87',
    'mistralai/mixtral-8x22b': 'mimx822',
    'mistralai/codestral-latest': 'micodl',
    'deepseek/deepseek-v3': 'ddv3',
    'deepseek/deepseek-r1': 'ddr1',
    'deepseek/deepseek-coder': 'ddc',
    'deepseek/deepseek-chat': 'ddchat',
    'qwen/qwen-2.5-72b': 'qq2572',
    'qwen/qwen-2.5-32b': 'qq2532',
    'qwen/qwen-2.5-coder-32b': 'qqc32',
  }),
});

function invert(table: Readonly<Record<string, string>>, what: string): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const [full, short] of Object.entries(table)) {
    if (m.has(short)) throw new Error(`T1 ${what} table is not one-to-one: '${short}'`);
    m.set(short, full);
  }
  return m;
}

export const T1_KEY_MAP: ReadonlyMap<string, string> = new Map(Object.entries(T1_KEYS));
export const T1_KEY_EXPAND: ReadonlyMap<string, string> = invert(T1_KEYS, 'key');
export const T1_VALUE_MAP: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(T1_VALUES).map(([k, t]) => [k, new Map(Object.entries(t))]),
);
export const T1_VALUE_EXPAND: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(T1_VALUES).map(([k, t]) => [k, invert(t, `${k} value`)]),
);
