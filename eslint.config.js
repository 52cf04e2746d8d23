import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layers } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'drizzle/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { heliograph: { rules: { layers } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only the entry points (src/server.ts, src/worker.ts) read the environment.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'heliograph/layers': 'error',
      // One clock: a request, a render and a scheduler tick each see one "now", and tests move it.
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Ask the clock (core/clock.ts) for the time; only it reads the system clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Ask the clock (core/clock.ts) for the time; only it reads the system clock.',
        },
      ],
    },
  },
  { files: ['src/core/clock.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['src/server.ts', 'src/reset-password.ts', 'src/worker.ts', 'test/**', 'vitest.config.ts', 'drizzle.config.ts', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
