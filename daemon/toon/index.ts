/** TOON over HTTP: negotiation, node:http/Connect/Express middleware, Fastify plugin, fetch client. */
export * from './negotiate.js';
export * from './metrics.js';
export * from './middleware.js';
export * from './fastify.js';
export * from './client.js';
