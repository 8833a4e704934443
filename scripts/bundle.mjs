#!/usr/bin/env node
// Bundles the entry point into dist/cli.js (replacing tsc's unbundled one): a few files load far
// faster than a thousand modules, which is most of the TUI's time to its first screen.
import {rmSync} from 'node:fs';
import {build} from 'esbuild';

// Chunk names carry a hash: without this, every build would leave the previous chunks behind.
rmSync('dist/chunks', {recursive: true, force: true});

await build({
  entryPoints: ['source/cli.tsx'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Native or optional modules stay in node_modules; react-devtools-core is only for Ink's dev mode.
  external: ['cpu-features', 'ssh2', 'react-devtools-core'],
  // Bundled CommonJS modules call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __hawserRequire} from 'node:module'; const require = __hawserRequire(import.meta.url);"},
  logLevel: 'warning',
});
