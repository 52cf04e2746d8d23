import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'drizzle/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/server.ts reads the environment.' },
      ],
    },
  },
  {
    files: ['src/server.ts', 'src/reset-password.ts', 'test/**', 'vitest.config.ts', 'drizzle.config.ts', 'bench/**', 'src/worker.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
