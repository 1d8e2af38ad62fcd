/** Renders an effective configuration as TOML (for `m2m config print`), secrets redacted. */
import { stringify } from 'smol-toml';
import type { DaemonConfig } from './schema.js';

/** Shown instead of a secret. */
export const REDACTED = '<redacted>';

/** A plain copy with `auth.psk` and every `peers[].psk` replaced by {@link REDACTED} when set. */
export function redactConfig(config: DaemonConfig): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, any>;
  if (copy.auth.psk) copy.auth.psk = REDACTED;
  for (const p of copy.peers) if (p.psk) p.psk = REDACTED;
  return copy;
}

/** TOML text; `agent.socket_mode` is written as an octal string so it reads back the same. */
export function configToToml(config: DaemonConfig, options: { redact?: boolean } = {}): string {
  const plain = options.redact === false ? (JSON.parse(JSON.stringify(config)) as Record<string, any>) : (redactConfig(config) as Record<string, any>);
  plain.agent.socket_mode = `0${config.agent.socket_mode.toString(8)}`;
  const { peers, ...rest } = plain;
  // peers last so `[[peers]]` tables follow the plain sections.
  return stringify({ ...rest, ...(peers.length > 0 ? { peers } : {}) });
}
