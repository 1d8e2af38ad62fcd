/** Compact K:V prompts (seed `004`, WSP 99): schema, validation, YAML and K:V forms, compiler, decompiler, fidelity. */
export * from './schema.js';
export * from './validate.js';
export * from './yaml-io.js';
export * from './kv.js';
export * from './compact.js';
export { compile, compileWithHook, DEFAULT_MAX_PROSE_CHARS, type CompileOptions, type PromptCompilerHook } from './compiler.js';
export { COMPILE_LEVELS, DEFAULT_COMPILE_LEVEL, type CompileLevel } from './telegraph.js';
export { decompile } from './decompiler.js';
export { measureFidelity, median, reductionCeiling, tokenBreakdown, type Fidelity, type TokenBreakdown } from './fidelity.js';
export { contentWords, literalSet, findLiterals, type LiteralSpan } from './literals.js';
export { STOPWORDS } from './lexicon.js';
export * from './stopwords.js';
