/**
 * Bodies an agent marks as M2M prompt messages (`send` with `envelope: true`):
 * a WSP envelope, a status report or the compact form, as a JSON object or as
 * YAML text. Checked before the message is scanned and routed, so schema
 * errors go back to the sender instead of across the network.
 */
import { M2MError } from '../../protocol/errors.js';
import { validateMessage } from '../../protocol/prompt/validate.js';
import { parsePromptYaml } from '../../protocol/prompt/yaml-io.js';

/**
 * Validate a prompt-message body; returns it unchanged when valid.
 * @throws M2MError SCHEMA_INVALID with `details.errors` (`[{path, message}]`), INPUT_TOO_LARGE
 */
export function checkPromptMessage(body: unknown): unknown {
  const obj = typeof body === 'string' ? parsePromptYaml(body) : body;
  const r = validateMessage(obj);
  if (!r.ok) {
    const first = r.errors[0];
    const where = first && first.path ? `${first.path}: ` : '';
    const more = r.errors.length > 1 ? ` (+${r.errors.length - 1} more)` : '';
    throw new M2MError('SCHEMA_INVALID', `invalid ${r.kind ?? 'prompt message'}: ${where}${first?.message ?? 'unknown error'}${more}`, { errors: r.errors });
  }
  return body;
}
