// Lint: TypeScript rules plus the layer rule of architecture.md, so the dependency direction
// ui → state, resources, keys, jobs → engine stays true. model/ is the lowest layer: the shared
// vocabulary (network modes, secrets, aliases, text) that every layer may import and that imports
// nothing of the project.
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', {patterns: patterns.map(group => ({group: [group], message}))}],
});

const noUi = ['**/ui/**', 'ink', 'ink-*', 'react', 'react/*'];
const noCommands = ['**/commands/**', '**/cli.js'];

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'bench/**/*.mjs']},
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-empty': ['error', {allowEmptyCatch: true}],
    },
  },
  {
    files: ['source/model/**'],
    rules: restrict(['../**', ...noUi, 'dockerode', 'docker-modem'], 'model/ is the lowest layer: pure vocabulary that imports nothing of the project (only its own files and plain packages).'),
  },
  {
    files: ['source/engine/**'],
    rules: restrict([...noUi, ...noCommands, '**/jobs/**', '**/state/**', '**/resources/**', '**/keys/**', '**/sandbox/**'], 'engine/ talks to Docker and nothing else.'),
  },
  {
    files: ['source/jobs/**', 'source/resources/**', 'source/keys/**', 'source/sandbox/**'],
    rules: restrict([...noUi, ...noCommands, '**/state/**', 'dockerode', 'docker-modem'], 'Below ui/ nothing imports React, Ink, state/ or dockerode (only engine/dockerode-adapter does).'),
  },
  {
    files: ['source/jobs/volume-archive/format/**'],
    rules: restrict(['../**', ...noUi, 'dockerode', 'docker-modem'], 'volume-archive/format/ is the pure archive format (tar, manifest, rules, compare): it imports only its own files and plain packages.'),
  },
  {
    files: ['source/jobs/volume-archive/volume/**'],
    rules: restrict(['../*.js', ...noUi, ...noCommands, '**/state/**', 'dockerode', 'docker-modem'], 'volume-archive/volume/ (the ways into and out of a volume) may use format/ and the engine, never the jobs above it.'),
  },
  {
    files: ['source/keys/**'],
    rules: restrict([...noUi, ...noCommands, '**/engine/**', '**/jobs/**', '**/state/**'], 'keys/ is a pure table.'),
  },
  {
    files: ['source/state/**'],
    rules: restrict([...noUi, ...noCommands, 'dockerode', 'docker-modem', '**/dockerode-adapter*'], 'state/ holds no React and builds no engine client.'),
  },
  {
    files: ['source/ui/**'],
    rules: restrict([...noCommands, 'dockerode', 'docker-modem', '**/dockerode-adapter*', '**/sandbox/**'], 'ui/ gets its engine from the entry point; only cli.tsx builds the real client.'),
  },
  {
    files: ['source/commands/**'],
    rules: restrict(['**/ui/**', 'ink', 'react', 'dockerode', 'docker-modem', '**/dockerode-adapter*'], 'commands/ print; they do not render Ink or build engine clients (cli.tsx does).'),
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off'},
  },
);
