/**
 * Public library API of the `m2m` package. Each layer adds its exports here
 * as it lands (codecs, session, transports, classifier, agent client).
 */
export { M2MError, isM2MError, type ErrorCode } from '../protocol/errors.js';
export { DEFAULT_LIMITS, limitsWith, type Limits } from '../protocol/limits.js';
export { loadConfig, loadConfigWithSources, checkConfigFile, defaultConfig, configToToml, CONFIG_FLAG_OPTIONS, flagsFromArgs, type DaemonConfig, type PeerConfig, type LoadConfigOptions, type ConfigProblem } from './config/index.js';
export { createLogger, componentLogger, silentLogger, type Logger, type LoggerOptions } from './log.js';
export { createHttpApi, createMetrics, Metrics, httpRouterFromAgentHost, createCodecAdapter, type HttpApi, type HttpApiDeps, type HttpCodecs, type HttpRouter } from './http/index.js';
export { installSignalHandlers, type ShutdownOptions, type SignalHandle } from './shutdown.js';
export { systemdNotify, listenFds, type ListenFd } from './systemd/notify.js';
export { getTokenizer, parseEncoding, encodingFromLetter, encodingFromByte, ENCODINGS, WIRE_LETTERS, TOKENIZER_BYTES, type Encoding, type WireLetter, type Tokenizer } from '../protocol/tokenizers.js';
export { brotliCompress, brotliDecompress, type BrotliCompressOptions, type BrotliDecompressOptions } from '../protocol/brotli.js';
export { encodeTokenNative, decodeTokenNative, encodeTokenNativeBinary, decodeTokenNativeBinary, TK_PREFIX } from '../protocol/token-native.js';
export { encodeT1, decodeT1, abbreviateJson, expandJson, T1_PREFIX } from '../protocol/t1.js';
export { encodeBrotliData, decodeBrotliData, BROTLI_DATA_PREFIX } from '../protocol/brotli-data.js';
export { encodeM2MFrame, decodeM2MFrame, encodeM2MFrameBinary, decodeM2MFrameBinary, decodeM2MFrameFull, decodeM2MFrameBinaryFull, M2M_FRAME_PREFIX, type DecodedFrame } from '../protocol/m2m-frame.js';
export { assertJsonBounds, parseJsonBounded, isJson } from '../protocol/json-bounds.js';
export { compress, decompress, compressAuto, analyze, detectAlgorithm, parseAlgorithm, ALGORITHMS, type Algorithm, type CompressResult, type CodecOptions, type Analysis } from '../protocol/codec-engine.js';
export { createClassifier, type CreateClassifierOptions, type WarnLogger } from '../inference/create-classifier.js';
export { FusedClassifier, fuseScores, FUSED_THRESHOLD, DEFAULT_FUSION, type FusionParams, type FusedClassifierOptions } from '../inference/fused-classifier.js';
export { HeuristicClassifier, scanHeuristics, HEURISTIC_THRESHOLD, OBFUSCATION_SEVERITY, type HeuristicScan } from '../inference/heuristic-classifier.js';
export { normalize, scanView, type Normalized, type NormalizeFlag, type NormalizeOptions } from '../inference/normalize.js';
export { RULES, matchRules, checkStructure, MALFORMED_RULES, type Rule, type RuleHit, type StructureFinding } from '../inference/rules/index.js';
export { extractText, windows, type Extracted } from '../inference/extract.js';
export { OBFUSCATIONS, type ObfuscationName } from '../inference/obfuscate.js';
export { runEval, type EvalReport, type EvalOptions } from '../inference/eval/run.js';
export type { Classifier, ClassifierOptions, ClassifyOptions, Verdict, Reason, ThreatType, Label, ModelScorer, ModelScore } from '../inference/types.js';
export { loadModelScorer, defaultModelPath, type LoadModelOptions } from '../inference/model/load-scorer.js';
export { LinearModelScorer } from '../inference/model/linear-scorer.js';
export { ModelError } from '../inference/model/errors.js';
export { PoolModelScorer, type PoolScorerOptions } from '../inference/pool/pool-scorer.js';
export { WorkerPool, type WorkerPoolOptions, type PoolStats } from '../inference/pool/worker-pool.js';
export { convertHydraSafetensors, hydraToOnnx } from '../inference/hydra/to-onnx.js';
export { hydraForward, type HydraOutput } from '../inference/hydra/forward.js';
export { detectModel, type DetectedModel, type ModelKind } from '../inference/onnx/detect.js';
export { ToonCodec, toonEncode, toonDecode, parseToonLevel, compressionRatio, buildMapping, mappingOptionsFromConfig, recommendToonFormat, isUniformArray, uniformArrayShare, SEED_KEY_TABLE, SEED_VALUE_TABLE, TOON_MEDIA_TYPE, TOON_LEVELS, DEFAULT_GZIP_THRESHOLD, type ToonLevel, type ToonOptions, type ToonMapping, type MappingOptions } from '../protocol/toon/index.js';
export { validateEnvelope, validateStatusReport, validateCompact, validateMessage, assertEnvelope, formatErrors, detectKind, compile, decompile, toKV, fromKV, toCompact, fromCompact, parsePromptYaml, toPromptYaml, measureFidelity, COMPILE_LEVELS, type Envelope, type StatusReport, type CompactPrompt, type ValidationResult, type SchemaError, type MessageKind, type CompileOptions, type CompileLevel, type PromptCompilerHook } from '../protocol/prompt/index.js';
export { createToonMiddleware, createToonFastifyPlugin, ToonClient, prefersToon, isToonContentType, TOON_ACCEPT, type ToonMiddleware, type ToonHttpOptions, type ToonClientOptions, type ToonRequest, type ToonResponse, type ToonFastifyPlugin, type ToonMetrics } from './toon/index.js';
export { FrameType, Codec, CODEC_NAMES, FrameDecoder, encodeFrame, encodeDataFrame, decodeDataBody, encodeAckFrame, decodeAckBody, encodeControlFrame, decodeHello, decodeAccept, decodeReject, decodeClose, decodeResume, negotiate, checkAgreement, PROTOCOL_VERSION, REJECT_CODES, CLOSE_REASONS, sessionMachine, DEFAULT_TIMERS, SessionEndpoint, defaultCapabilities, toSessionFrame, SessionDataCodec, ResendBuffer, builtinDictionary } from '../protocol/session/index.js';
export type { RawFrame, CodecName, DataBody, Capabilities, Agreement, SecurityCaps, HelloBody, AcceptBody, RejectBody, CloseBody, ResumeBody, RejectCode, CloseReason, SessionTimers, SessionFrame, SessionEvent, SessionEmitted, ClosedInfo, HelloVerifier, SessionEndpointOptions, OutgoingMessage, DeliveredMessage, EstablishedInfo, DataCodecOptions, CodecChoice, PendingMessage } from '../protocol/session/index.js';
export { decodeEnvelope as decodeSessionEnvelope, encodeEnvelope as encodeSessionEnvelope, answerReferenceHello, REFERENCE_VERSION, type Envelope as SessionEnvelope, type RefCapabilities } from '../protocol/session/index.js';
