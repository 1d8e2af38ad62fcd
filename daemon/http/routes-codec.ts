/** `POST /compress`, `/compress/auto`, `/decompress`, `/analyze`, `/scan`: the reference's shapes, with stable error codes. */
import { M2MError } from '../../protocol/errors.js';
import type { Verdict } from '../../inference/types.js';
import { coerce } from '../config/coerce.js';
import { SCHEMA } from '../config/schema.js';
import { expectObject, stringField } from './body.js';
import type { Handler, RouteContext } from './context.js';
import type { CodecOutput, HttpAlgorithm, HttpCodecs } from './types.js';

export interface ScanOutcome {
  verdict: Verdict;
  safe: boolean;
  blocked: boolean;
}

function codecs(ctx: RouteContext): HttpCodecs {
  if (!ctx.deps.codecs) throw new M2MError('UNAVAILABLE', 'the codec engine is not available in this daemon');
  return ctx.deps.codecs;
}

/**
 * Scans `text` with the configured threshold and mode (the daemon's policy, not the classifier's).
 * @throws M2MError UNAVAILABLE without a classifier
 */
export async function scanContent(ctx: RouteContext, text: string): Promise<ScanOutcome> {
  const classifier = ctx.deps.classifier;
  if (!classifier) throw new M2MError('UNAVAILABLE', 'no security classifier is available in this daemon');
  const { security } = ctx.config();
  const t0 = performance.now();
  const verdict = await classifier.classify(text);
  const unsafe = verdict.score >= security.block_threshold;
  const blocked = security.blocking && unsafe;
  ctx.deps.metrics.scan('http', { safe: !unsafe, blocked, threat: unsafe ? (verdict.threat ?? 'injection') : null }, performance.now() - t0);
  return { verdict, safe: !unsafe, blocked };
}

/** Names of the threats behind a verdict (rule and model ids). */
export function threatNames(v: Verdict): string[] {
  return v.reasons.filter((r) => r.severity > 0).map((r) => r.id);
}

/** @throws M2MError BLOCKED when the scan blocks */
function refuseIfBlocked(scan: ScanOutcome | undefined): void {
  if (scan?.blocked) {
    throw new M2MError('BLOCKED', 'Content blocked by security scan', { threats: threatNames(scan.verdict), score: scan.verdict.score, threat: scan.verdict.threat });
  }
}

function compressReply(ctx: RouteContext, content: string, out: CodecOutput, scan: ScanOutcome | undefined): Record<string, unknown> {
  const original = Buffer.byteLength(content);
  const compressed = Buffer.byteLength(out.data);
  const tokensSaved = out.originalTokens !== undefined && out.compressedTokens !== undefined ? out.originalTokens - out.compressedTokens : 0;
  ctx.deps.metrics.saved(out.algorithm, original - compressed, tokensSaved);
  return {
    data: out.data,
    algorithm: out.algorithm,
    original_bytes: original,
    compressed_bytes: compressed,
    ratio: compressed === 0 ? 0 : Math.round((original / compressed) * 1e4) / 1e4,
    ...(out.originalTokens !== undefined ? { original_tokens: out.originalTokens } : {}),
    ...(out.compressedTokens !== undefined ? { compressed_tokens: out.compressedTokens } : {}),
    ...(scan ? { security: { safe: scan.safe, score: scan.verdict.score, threat: scan.safe ? null : scan.verdict.threat } } : {}),
  };
}

async function scanIfEnabled(ctx: RouteContext, content: string): Promise<ScanOutcome | undefined> {
  if (!ctx.config().security.enabled) return undefined;
  return scanContent(ctx, content);
}

export const compress: Handler = async (ctx, body) => {
  const req = expectObject(body);
  const content = stringField(req, 'content');
  const requested = req.algorithm ?? ctx.config().compression.default_algorithm;
  const algo = coerce(SCHEMA.compression.default_algorithm, requested, true);
  if (!algo.ok) throw new M2MError('UNKNOWN_ALGORITHM', `unknown algorithm ${JSON.stringify(requested)}: use auto, m2m, tokennative, brotli, t1 or none`, { field: 'algorithm' });
  const engine = codecs(ctx);
  const scan = await scanIfEnabled(ctx, content);
  refuseIfBlocked(scan);
  const name = algo.value as string;
  const opts = { countTokens: req.tokens === true };
  const out = name === 'auto' ? await engine.compressAuto(content, opts) : await engine.compress(content, name as HttpAlgorithm, opts);
  return { status: 200, json: compressReply(ctx, content, out, scan) };
};

export const compressAuto: Handler = async (ctx, body) => {
  const req = expectObject(body);
  const content = stringField(req, 'content');
  const engine = codecs(ctx);
  const scan = await scanIfEnabled(ctx, content);
  refuseIfBlocked(scan);
  return { status: 200, json: compressReply(ctx, content, await engine.compressAuto(content, { countTokens: req.tokens === true }), scan) };
};

export const decompress: Handler = async (ctx, body) => {
  const data = stringField(expectObject(body), 'data');
  const content = await codecs(ctx).decompress(data);
  return { status: 200, json: { content, bytes: Buffer.byteLength(content) } };
};

export const analyze: Handler = async (ctx, body) => {
  const content = stringField(expectObject(body), 'content');
  return { status: 200, json: await codecs(ctx).analyze(content) };
};

export const scan: Handler = async (ctx, body) => {
  const content = stringField(expectObject(body), 'content');
  const s = await scanContent(ctx, content);
  const v = s.verdict;
  return {
    status: 200,
    json: {
      safe: s.safe,
      confidence: Math.round((s.safe ? 1 - v.score : v.score) * 1e4) / 1e4,
      score: v.score,
      threat: s.safe ? null : (v.threat ?? 'injection'),
      threats: v.reasons.filter((r) => r.severity > 0).map((r) => ({ name: r.id, category: r.category ?? r.kind, severity: r.severity, description: r.detail ?? '' })),
      should_block: s.blocked,
      latency_ms: v.latencyMs,
    },
  };
};
