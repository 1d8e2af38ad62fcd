/** `m2m config print`: the effective configuration as TOML (or JSON), secrets redacted. */
import { CONFIG_FLAG_HELP, CONFIG_FLAG_OPTIONS, flagsFromArgs } from '../../config/flags.js';
import { loadConfigWithSources } from '../../config/load.js';
import { configToToml, redactConfig } from '../../config/print.js';
import { EXIT_OK, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m config print [options]

Prints the configuration the daemon would run with (defaults < files <
M2M_* environment < flags), as TOML that \`m2m config check\` accepts.
PSKs are shown as <redacted> unless --show-secrets.

Options:
      --json           print JSON instead of TOML
      --sources        also print which file, variable or flag set each key
      --show-secrets   print PSKs in clear
${CONFIG_FLAG_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...CONFIG_FLAG_OPTIONS, json: { type: 'boolean' }, sources: { type: 'boolean' }, 'show-secrets': { type: 'boolean' } });
  const { config, files, origins } = loadConfigWithSources({ file: values.config as string | undefined, flags: flagsFromArgs(values) });
  const redact = values['show-secrets'] !== true;
  if (values.json) {
    out(JSON.stringify(redact ? redactConfig(config) : config, null, 2));
  } else {
    out(`# effective m2m configuration; files: ${files.length > 0 ? files.join(', ') : '(none)'}`);
    out(configToToml(config, { redact }));
  }
  if (values.sources) {
    const lines = Object.entries(origins).map(([k, s]) => `#   ${k} ← ${s}`);
    out(['# set explicitly:', ...(lines.length > 0 ? lines : ['#   (nothing: all defaults)'])].join('\n'));
  }
  return EXIT_OK;
}
