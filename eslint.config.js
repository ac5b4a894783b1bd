import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/observe/**', 'src/cli/**'],
    rules: {
      // docs/design.md, "Code layout": core code publishes diagnostics_channel events; only observe/ turns them into metrics and traces.
      'no-restricted-imports': ['error', { patterns: ['prom-client', '@opentelemetry/*', 'pino'] }],
    },
  },
);
