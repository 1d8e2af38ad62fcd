/** TOON key/value compression (seed `003`): tables, codec, uniform-array detection. */
export * from './tables.js';
export * from './mappings.js';
export * from './codec.js';
export * from './uniform.js';
export * from './config.js';
