/**
 * Command-line flags shared by `m2m daemon`, `m2md` and `m2m config print`, and
 * their mapping onto dotted config keys (the highest-precedence layer).
 *
 * How to wire me:
 * ```ts
 * const { values } = parseCommandArgs(argv, { ...CONFIG_FLAG_OPTIONS, dev: { type: 'boolean' } });
 * const config = loadConfig({ file: values.config as string | undefined, flags: flagsFromArgs(values) });
 * ```
 */
import { M2MError } from '../../protocol/errors.js';

/** `node:util` parseArgs option table. */
export const CONFIG_FLAG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'node-id': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  socket: { type: 'string' },
  blocking: { type: 'boolean' },
  threshold: { type: 'string' },
  'no-security': { type: 'boolean' },
  'log-level': { type: 'string' },
  set: { type: 'string', multiple: true },
} as const;

/** Help text lines for {@link CONFIG_FLAG_OPTIONS}. */
export const CONFIG_FLAG_HELP = `  -c, --config FILE    read only FILE (default: /etc/m2m/config.toml then ~/.m2m/config.toml)
      --node-id ID     node.id
      --host HOST      http.host
  -p, --port PORT      http.port
      --socket PATH    agent.socket_path
      --blocking       security.blocking = true
      --threshold X    security.block_threshold
      --no-security    security.enabled = false
      --log-level L    log.level (trace|debug|info|warn|error|fatal|silent)
      --set KEY=VALUE  any key, e.g. --set queue.max_per_peer=500 (repeatable)`;

const DIRECT: Readonly<Record<string, string>> = {
  'node-id': 'node.id',
  host: 'http.host',
  port: 'http.port',
  socket: 'agent.socket_path',
  threshold: 'security.block_threshold',
  'log-level': 'log.level',
};

/**
 * Maps parsed flag values to dotted config keys.
 * @throws M2MError `BAD_INPUT` for a `--set` without `=`
 */
export function flagsFromArgs(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(DIRECT)) {
    if (typeof values[flag] === 'string') flags[key] = values[flag];
  }
  if (values.blocking === true) flags['security.blocking'] = true;
  if (values['no-security'] === true) flags['security.enabled'] = false;
  const sets = values.set;
  for (const item of Array.isArray(sets) ? sets : []) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new M2MError('BAD_INPUT', `--set expects KEY=VALUE (got ${JSON.stringify(text)})`);
    flags[text.slice(0, eq).trim()] = text.slice(eq + 1);
  }
  return flags;
}
