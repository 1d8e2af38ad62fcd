/**
 * Capability negotiation, done once by the responder; ACCEPT carries the result and
 * the initiator checks it against its own offer (so both sides use the same agreement).
 *
 * Rules: major versions must match (else VERSION_MISMATCH); codecs = intersection in the
 * initiator's preference order (empty → NO_COMMON_ALGORITHM); encoding = the initiator's
 * preferred one if the responder supports it, else the first common one (initiator's order),
 * else cl100k; threat detection and blocking are OR-ed; threshold = the stricter (lower);
 * max frame = the smaller; streaming = AND; dictionary = first common (initiator's order) or none;
 * extensions = the names both list.
 */
import type { Agreement, Capabilities, EncodingName, RejectBody } from './control.js';

/** Protocol version spoken by this implementation (`major.minor`). */
export const PROTOCOL_VERSION = '1.0';

/** Major part of a `major.minor` version string (text before the first dot). */
export function majorVersion(v: string): string {
  const dot = v.indexOf('.');
  return dot < 0 ? v : v.slice(0, dot);
}

export type NegotiationResult = { ok: true; agreed: Agreement } | { ok: false; reject: RejectBody };

/** The responder's side: agree on a HELLO's capabilities or say why not. */
export function negotiate(remoteVersion: string, initiator: Capabilities, responder: Capabilities, localVersion = PROTOCOL_VERSION): NegotiationResult {
  if (majorVersion(remoteVersion) !== majorVersion(localVersion)) {
    return { ok: false, reject: { code: 'VERSION_MISMATCH', message: `peer speaks ${remoteVersion}, this node speaks ${localVersion}` } };
  }
  const codecs = initiator.codecs.filter((c, i) => responder.codecs.includes(c) && initiator.codecs.indexOf(c) === i);
  if (codecs.length === 0) {
    return { ok: false, reject: { code: 'NO_COMMON_ALGORITHM', message: `no common codec: offered ${initiator.codecs.join(',') || '(none)'}, supported ${responder.codecs.join(',')}` } };
  }
  let encoding: EncodingName = 'cl100k';
  if (responder.encodings.includes(initiator.preferredEncoding) && initiator.encodings.includes(initiator.preferredEncoding)) encoding = initiator.preferredEncoding;
  else {
    const common = initiator.encodings.find((e) => responder.encodings.includes(e));
    if (common !== undefined) encoding = common;
  }
  const a = initiator.security;
  const b = responder.security;
  const responderExt = Object.keys(responder.extensions);
  return {
    ok: true,
    agreed: {
      codecs,
      encoding,
      maxFrameBytes: Math.min(initiator.maxFrameBytes, responder.maxFrameBytes),
      security: {
        threatDetection: a.threatDetection || b.threatDetection,
        blocking: a.blocking || b.blocking,
        threshold: Math.min(a.threshold, b.threshold),
        modelVersion: b.modelVersion ?? a.modelVersion,
      },
      streaming: initiator.streaming && responder.streaming,
      dictionary: initiator.dictionaries.find((d) => responder.dictionaries.includes(d)) ?? null,
      extensions: Object.keys(initiator.extensions).filter((k) => responderExt.includes(k)),
    },
  };
}

/**
 * The initiator's check of an ACCEPT: the agreement must only use what it offered.
 * Returns a reason string when it does not (the initiator then closes with PROTOCOL_ERROR).
 */
export function checkAgreement(offered: Capabilities, agreed: Agreement): string | undefined {
  if (agreed.codecs.length === 0) return 'ACCEPT agrees on no codec';
  const stray = agreed.codecs.find((c) => !offered.codecs.includes(c));
  if (stray !== undefined) return `ACCEPT agrees on codec ${stray}, which was not offered`;
  if (agreed.encoding !== 'cl100k' && !offered.encodings.includes(agreed.encoding)) return `ACCEPT agrees on encoding ${agreed.encoding}, which was not offered`;
  if (agreed.maxFrameBytes > offered.maxFrameBytes) return 'ACCEPT raises max frame size above the offer';
  if (agreed.dictionary !== null && !offered.dictionaries.includes(agreed.dictionary)) return `ACCEPT agrees on dictionary ${agreed.dictionary}, which was not offered`;
  if (offered.security.threatDetection && !agreed.security.threatDetection) return 'ACCEPT drops threat detection';
  if (offered.security.blocking && !agreed.security.blocking) return 'ACCEPT drops blocking mode';
  if (agreed.security.threshold > offered.security.threshold) return 'ACCEPT loosens the block threshold';
  return undefined;
}
