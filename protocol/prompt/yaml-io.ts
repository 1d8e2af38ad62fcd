/**
 * YAML in and out for prompt messages (the `yaml` package). Output uses block
 * maps and flow lists for short scalar lists (`WSP: [50, 22]`), like the seed.
 */
import { Document, isScalar, parse, visit } from 'yaml';
import { M2MError } from '../errors.js';

/** Largest YAML document accepted. @default 1 MiB */
export const MAX_PROMPT_YAML_BYTES = 1024 * 1024;

/**
 * Parse YAML (or JSON, a YAML subset) into a plain object. Aliases are capped
 * so a billion-laughs document fails fast.
 * @throws M2MError INPUT_TOO_LARGE, SCHEMA_INVALID (not YAML, or not a map)
 */
export function parsePromptYaml(text: string, maxBytes = MAX_PROMPT_YAML_BYTES): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new M2MError('INPUT_TOO_LARGE', `prompt YAML larger than ${maxBytes} bytes`);
  let v: unknown;
  try {
    v = parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    throw new M2MError('SCHEMA_INVALID', `not valid YAML: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new M2MError('SCHEMA_INVALID', 'prompt YAML must be a map of keys');
  return v as Record<string, unknown>;
}

const FLOW_ITEM = /^[^,:#\n[\]{}"'`&*!|>%@]{1,60}$/;

/** Serialise a prompt message to YAML text. */
export function toPromptYaml(obj: unknown): string {
  const doc = new Document(obj);
  visit(doc, {
    Seq(_, node) {
      node.flow = node.items.every((i) => isScalar(i) && (typeof i.value !== 'string' || FLOW_ITEM.test(i.value)));
    },
  });
  return doc.toString({ lineWidth: 0, indentSeq: false, flowCollectionPadding: false });
}
