/** Daemon configuration: schema and defaults, loading, CLI flags, printing. See load.ts for how to wire it. */
export * from './schema.js';
export * from './defaults.js';
export { loadConfig, loadConfigWithSources, checkConfigFile, standardConfigPaths, configError, SYSTEM_CONFIG_FILE, MAX_CONFIG_FILE_BYTES, type LoadConfigOptions, type LoadedConfig } from './load.js';
export type { ConfigProblem } from './layers.js';
export { parseSize } from './coerce.js';
export { CONFIG_FLAG_OPTIONS, CONFIG_FLAG_HELP, flagsFromArgs } from './flags.js';
export { configToToml, redactConfig, REDACTED } from './print.js';
