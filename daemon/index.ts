/**
 * Public library API of the `m2m` package. Each layer adds its exports here
 * as it lands (codecs, session, transports, classifier, agent client).
 */
export { M2MError, isM2MError, type ErrorCode } from '../protocol/errors.js';
export { DEFAULT_LIMITS, limitsWith, type Limits } from '../protocol/limits.js';
