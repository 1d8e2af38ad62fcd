/** `m2m config check [FILE]`: validate one config file, or the effective configuration. */
import { checkConfigFile, loadConfigWithSources } from '../../config/load.js';
import { isM2MError } from '../../../protocol/errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m config check [FILE]

Validates FILE on its own (syntax, known sections and keys, types and ranges,
peers, TLS and PSK files). Without FILE, validates the effective configuration:
/etc/m2m/config.toml, ~/.m2m/config.toml (or $M2M_CONFIG) and M2M_* variables.
Prints "ok" and exits 0, or lists every problem and exits 1.

Options:
  -q, --quiet   print nothing on success`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { quiet: { type: 'boolean', short: 'q' } });
  if (positionals.length > 1) throw new UsageError('expected at most one FILE');
  try {
    if (positionals.length === 1) {
      checkConfigFile(positionals[0]);
      if (!values.quiet) out(`ok: ${positionals[0]}`);
    } else {
      const { files } = loadConfigWithSources();
      if (!values.quiet) out(`ok: ${files.length > 0 ? files.join(', ') : 'built-in defaults'} + environment`);
    }
    return EXIT_OK;
  } catch (e) {
    if (!isM2MError(e)) throw e;
    err(e.message);
    return EXIT_BAD_INPUT;
  }
}
