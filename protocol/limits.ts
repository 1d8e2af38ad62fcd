/**
 * Every bound a decoder enforces, in one place. Exceeding one is a typed
 * {@link M2MError}, never a hang or an out-of-memory.
 */
export interface Limits {
  /** Largest decompressed (or decoded) payload in bytes. @default 16 MiB */
  maxDecompressedBytes: number;
  /** Largest input accepted by a compressor or decoder, in bytes. @default 16 MiB */
  maxInputBytes: number;
  /** Most token IDs one TokenNative payload may carry. @default 4,194,304 */
  maxTokens: number;
  /** Deepest JSON nesting accepted. @default 32 */
  maxJsonDepth: number;
  /** Longest JSON array accepted. @default 10,000 */
  maxArrayLength: number;
  /** Longest LEB128 varint in bytes (a u64 needs at most 10; token IDs fit in 5). @default 10 */
  maxVarintBytes: number;
  /** Largest binary session frame body. @default 16 MiB + 64 KiB */
  maxFrameBytes: number;
  /** Most bytes a streaming frame decoder buffers before it fails. @default 32 MiB */
  maxBufferedBytes: number;
  /** Largest msgpack control body (HELLO/ACCEPT/REJECT/CLOSE/RESUME). @default 64 KiB */
  maxControlBodyBytes: number;
  /** Longest agent id carried in a DATA frame, in UTF-8 bytes. @default 255 */
  maxAgentIdBytes: number;
}

export const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxDecompressedBytes: 16 * MiB,
  maxInputBytes: 16 * MiB,
  maxTokens: 4 * MiB,
  maxJsonDepth: 32,
  maxArrayLength: 10_000,
  maxVarintBytes: 10,
  maxFrameBytes: 16 * MiB + 64 * 1024,
  maxBufferedBytes: 32 * MiB,
  maxControlBodyBytes: 64 * 1024,
  maxAgentIdBytes: 255,
});

/** Merge overrides into the defaults. */
export function limitsWith(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
