/** The session protocol's public surface: frames, decoder, control bodies, negotiation, machine, endpoint, envelope. */
export { FrameType, Codec, CODEC_NAMES, DATA_FLAG_SAME_ROUTE, frameTypeName, codecName, encodeFrame, encodeDataFrame, decodeDataBody, encodeAckFrame, decodeAckBody, encodeEmptyFrame } from './frames.js';
export type { FrameTypeName, FrameTypeCode, RawFrame, CodecName, CodecId, DataBody } from './frames.js';
export { FrameDecoder, DECODER_CLOSE_REASON } from './frame-decoder.js';
export { encodeControlFrame, decodeHello, decodeAccept, decodeReject, decodeClose, decodeResume, parseCapabilities, REJECT_CODES, CLOSE_REASONS, ENCODING_NAMES } from './control.js';
export type { Capabilities, Agreement, SecurityCaps, HelloBody, AcceptBody, RejectBody, CloseBody, ResumeBody, RejectCode, CloseReason, EncodingName } from './control.js';
export { negotiate, checkAgreement, majorVersion, PROTOCOL_VERSION, type NegotiationResult } from './negotiate.js';
export { sessionMachine, DEFAULT_TIMERS } from './machine.js';
export type { SessionTimers, SessionFrame, SessionEvent, SessionEmitted, SessionInput, ClosedInfo, HelloVerifier, SessionActor } from './machine.js';
export { SessionEndpoint, defaultCapabilities, toSessionFrame, resumeRequest, resumeTarget } from './endpoint.js';
export type { SessionEndpointOptions, OutgoingMessage, DeliveredMessage, EstablishedInfo } from './endpoint.js';
export { SessionDataCodec, localDictionaryIds, type DataCodecOptions, type CodecChoice } from './data-codec.js';
export { ResendBuffer, DEFAULT_RESEND_LIMITS, type PendingMessage, type ResendLimits } from './resend-buffer.js';
export { builtinDictionary, dictionaryV1Bytes, type PrimingDictionary } from './dictionary.js';
export { SyncBrotliCompressor, SyncBrotliDecompressor } from './zlib-sync.js';
export { decodeEnvelope, encodeEnvelope, answerReferenceHello, toRefEncoding, fromRefEncoding, REFERENCE_VERSION, ENVELOPE_TYPES, REF_ALGORITHMS } from './envelope.js';
export type { Envelope, EnvelopeType, RefCapabilities, RefDataPayload, RefAlgorithm, RefEncoding } from './envelope.js';
