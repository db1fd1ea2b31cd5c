// Lint rules. The pure layers (see docs/layers.md) may not touch globals that make results
// non-deterministic or do I/O: Math.random, Date.now, process, console, timers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PURE = ['core', 'catalog', 'perf', 'sim', 'econ', 'plan', 'compare', 'scenario', 'validation', 'app', 'sweep'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.dev/**', 'web/dist/**', 'test-artifacts/**'] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: PURE.map((layer) => `src/${layer}/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Pure layers take configuration as arguments, not from process.' },
        { name: 'console', message: 'Pure layers return data; the CLI prints.' },
        { name: 'setTimeout', message: 'Pure layers use simulated time.' },
        { name: 'setInterval', message: 'Pure layers use simulated time.' },
        { name: 'fetch', message: 'Pure layers do no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use a named seeded stream from core/rng.' },
        { object: 'Date', property: 'now', message: 'Inject a clock; model code has no wall time.' },
        { object: 'performance', property: 'now', message: 'Inject a clock; model code has no wall time.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No wall-clock time in pure layers.' },
      ],
    },
  },
);
