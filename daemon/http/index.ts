/** The HTTP API and metrics. See server.ts for how to wire it. */
export { createHttpApi, API_VERSION, type HttpApi } from './server.js';
export { createMetrics, Metrics, SCAN_LATENCY_BUCKETS, type MetricsOptions, type VerdictLike } from './metrics.js';
export { httpRouterFromAgentHost, type PrepareCommitHost } from './router-adapter.js';
export { createCodecAdapter, type CodecAdapterOptions } from './codec-adapter.js';
export type { HttpApiDeps, HttpCodecs, HttpRouter, CodecOutput, DeliveryReceipt, SessionsView, ContentNegotiator } from './types.js';
export { createToonNegotiator } from './toon-negotiator.js';
