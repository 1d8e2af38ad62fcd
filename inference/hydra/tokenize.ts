/**
 * Hydra's byte tokenizer (Rust reference `HydraByteTokenizer`):
 * `[BOS=2] + (UTF-8 byte + 3, at most 510 bytes) + [EOS=1]`.
 */
export const HYDRA_BOS = 2;
export const HYDRA_EOS = 1;
export const HYDRA_BYTE_OFFSET = 3;
/** Longest sequence including BOS and EOS. */
export const HYDRA_MAX_LENGTH = 512;

const encoder = new TextEncoder();

/** Token IDs for `text`, truncated to {@link HYDRA_MAX_LENGTH}. */
export function hydraTokenize(text: string): Int32Array {
  const bytes = encoder.encode(text);
  const n = Math.min(bytes.length, HYDRA_MAX_LENGTH - 2);
  const ids = new Int32Array(n + 2);
  ids[0] = HYDRA_BOS;
  for (let i = 0; i < n; i++) ids[i + 1] = bytes[i] + HYDRA_BYTE_OFFSET;
  ids[n + 1] = HYDRA_EOS;
  return ids;
}
