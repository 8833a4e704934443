#!/usr/bin/env node
// Bundles the entry point into dist/cli.js (replacing tsc's unbundled one): a few files load far
// faster than a thousand modules, which is most of the TUI's time to its first screen.
import {chmodSync, readFileSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

/**
 * Two modules that export one function load heavy dependencies at start-up for features hawser never uses:
 * docker-modem's ssh transport requires ssh2 (30 modules and a native addon; hawser reaches ssh engines
 * through its own agent, engine/ssh-agent.ts), and dockerode's buildkit session requires gRPC and protobuf
 * (hawser builds no images). Each is wrapped so that its dependencies load on its first call, not on every start.
 */
const lazyOnFirstCall = {
  name: 'lazy-on-first-call',
  setup(builder) {
    builder.onLoad({filter: /[\\/](docker-modem[\\/]lib[\\/]ssh|dockerode[\\/]lib[\\/]session)\.js$/}, args => ({
      contents: `let load = () => {
  const module = {exports: {}};
  (function (module, exports) {
${readFileSync(args.path, 'utf8')}
  })(module, module.exports);
  load = () => module.exports;
  return module.exports;
};
module.exports = function (...args) {
  return load()(...args);
};
`,
      loader: 'js',
    }));
  },
};

// The output folder: dist, or another one given as the argument (a test bundles into its own).
const outdir = process.argv[2] ?? 'dist';

// Chunk names carry a hash: without this, every build would leave the previous chunks behind.
rmSync(`${outdir}/chunks`, {recursive: true, force: true});

await build({
  entryPoints: ['source/cli.tsx'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Native or optional modules stay in node_modules; react-devtools-core is only for Ink's dev mode.
  external: ['cpu-features', 'ssh2', 'react-devtools-core'],
  // Bundled CommonJS modules call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __hawserRequire} from 'node:module'; const require = __hawserRequire(import.meta.url);"},
  plugins: [lazyOnFirstCall],
  // React's and the reconciler's production builds only: the development ones cost a third of every
  // frame, and bundled beside them they made the TUI's chunk 1.8 MB instead of 1.0 MB to read and parse.
  define: {'process.env.NODE_ENV': '"production"'},
  logLevel: 'warning',
});

// Run as `hawser` (and by the bench) through its shebang, which carries node's flags.
chmodSync(`${outdir}/cli.js`, 0o755);
