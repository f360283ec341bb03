import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'libs/db/src/generated/**', 'cli/src/generated/**', 'cli/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through libs/config, not process.env.',
        },
      ],
    },
  },
  {
    files: ['cli/**', 'libs/config/**', 'libs/testing/**', 'scripts/**', 'test/**', 'bench/**', '**/*.spec.ts', 'prisma.config.ts', '*.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
