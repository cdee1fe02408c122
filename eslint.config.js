// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '.lgsp/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', '.ci/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The house, floor by floor: app/ (the composition root: CLI, nightly batch, admin, report,
  // local infrastructure) on top; connectors/, pipelines/, simulator/ and warehouse/ below it,
  // side by side; src/ (the framework) at the bottom. No import runs back up, and pipelines read
  // what connectors wrote only through the Avro contracts in schemas/. Tests and benchmarks stand
  // outside the house and may import any floor.
  ...layer('src', ['app', 'connectors', 'pipelines', 'simulator', 'warehouse'], 'src/ is the framework: it imports nothing above it.'),
  ...layer('connectors', ['app', 'pipelines', 'simulator', 'warehouse'], 'connectors/ import only the framework (src/): the Avro schemas are the contract with pipelines/.'),
  ...layer('pipelines', ['app', 'connectors', 'simulator', 'warehouse'], 'pipelines/ never import from connectors/ (the Avro schemas are the contract), nor from the app or the simulator.'),
  ...layer('simulator', ['app', 'connectors', 'pipelines', 'warehouse'], 'simulator/ plays the national databases: it knows only the framework, never the platform that reads it.'),
  ...layer('warehouse', ['app', 'connectors', 'pipelines', 'simulator'], 'warehouse/ (migrations, mart, refresh) knows only the framework; the app calls it.'),
  ...layer('app', [], 'app/ is the top floor.'),
);

/**
 * A no-restricted-imports rule for the non-test files of one top-level folder: no import of the
 * folders listed, nor of tests or benchmarks.
 */
function layer(folder, forbidden, message) {
  const group = [...forbidden, 'bench', 'test'].flatMap((f) => [`**/${f}/**`, `../${f}/*`]);
  return [
    {
      files: [`${folder}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
    },
  ];
}
