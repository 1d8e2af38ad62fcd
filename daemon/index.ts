/**
 * Public library API of the `m2m` package. Each layer adds its exports here
 * as it lands (codecs, session, transports, classifier, agent client).
 */
export { M2MError, isM2MError, type ErrorCode } from '../protocol/errors.js';
export { DEFAULT_LIMITS, limitsWith, type Limits } from '../protocol/limits.js';
export { loadConfig, loadConfigWithSources, checkConfigFile, defaultConfig, configToToml, CONFIG_FLAG_OPTIONS, flagsFromArgs, type DaemonConfig, type PeerConfig, type LoadConfigOptions, type ConfigProblem } from './config/index.js';
export { createLogger, componentLogger, silentLogger, type Logger, type LoggerOptions } from './log.js';
export { createHttpApi, createMetrics, Metrics, httpRouterFromAgentHost, type HttpApi, type HttpApiDeps, type HttpCodecs, type HttpRouter } from './http/index.js';
export { installSignalHandlers, type ShutdownOptions, type SignalHandle } from './shutdown.js';
export { systemdNotify, listenFds, type ListenFd } from './systemd/notify.js';
