// Lint: no explicit any, exhaustive switches over discriminated unions, no import cycles, imports only down the
// layers of eslint/layers.ts.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { layerRule } from './eslint/layers.ts';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', 'build/**', 'dist/**', '**/target/**', '.pipec/**', 'examples/pulumi/node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': layerRule(import.meta.dirname),
    },
  },
);
