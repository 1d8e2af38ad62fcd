// Lint setup. The import rules below enforce the layering table in ARCHITECTURE.md:
// protocol/ imports nothing outside itself; transports/ likewise; inference/ may use protocol/ types only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const outside = (dirs) => dirs.map((d) => ({ group: [`../${d}/*`, `../../${d}/*`, `../../../${d}/*`], message: `layering: this folder may not import ${d}/ (see ARCHITECTURE.md)` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['daemon', 'transports', 'inference']) }] },
  },
  {
    files: ['transports/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['daemon', 'protocol', 'inference']) }] },
  },
  {
    files: ['inference/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...outside(['daemon', 'transports']),
          { group: ['../protocol/*', '../../protocol/*'], allowTypeImports: true, message: 'layering: inference/ may import protocol/ types only' },
        ],
      }],
    },
  },
  {
    // CLI entry points, scripts, benchmarks and tests may print.
    files: ['daemon/cli/**/*.ts', 'test/**/*.ts', '.ci/**', 'inference/train/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
