#!/usr/bin/env node
// Bundles the entry point into dist/cli.js (replacing tsc's unbundled one): a few files load far
// faster than a thousand modules, which is most of the TUI's time to its first screen.
import {chmodSync, readFileSync, rmSync} from 'node:fs';
import {builtinModules} from 'node:module';
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
// `--single-file` (scripts/package-sea.mjs) makes the single executable's main: see singleFilePlugins.
const options = process.argv.slice(2);
const singleFile = options.includes('--single-file');
const outdir = options.find(option => !option.startsWith('--')) ?? 'dist';

/**
 * A single executable's main is one file with nothing beside it. Without chunks esbuild inlines every import()
 * of our own modules; two things still reach outside the file. Ink's devtools module (loaded only with DEV=true)
 * imports react-devtools-core, which is never bundled: here it is a module that fails as a missing one does, as
 * Ink expects. And the entry point reads its version from package.json beside the bundle: here the version is
 * written into the bundle instead (the build fails if that read is no longer found).
 */
const singleFilePlugins = [
  {
    // Node's own modules by require(), not import: an import builds the module's ES facade, which reads every
    // export, getters included, and node:http's (WebSocket, MessageEvent) load undici: some 40 ms of each
    // start on Node 22 and later. By require() the bundle reads only what it uses, when it uses it.
    name: 'builtins-by-require',
    setup(builder) {
      const builtin = new RegExp(`^(node:)?(${builtinModules.map(name => name.replaceAll(/[/.]/g, '\\$&')).join('|')})$`);
      builder.onResolve({filter: builtin}, args => (args.kind === 'require-call' ? undefined : {path: args.path, namespace: 'builtin-by-require'}));
      builder.onLoad({filter: /.*/, namespace: 'builtin-by-require'}, args => ({contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js'}));
    },
  },
  {
    name: 'not-installed',
    setup(builder) {
      builder.onResolve({filter: /^react-devtools-core$/}, args => ({path: args.path, namespace: 'not-installed'}));
      builder.onLoad({filter: /.*/, namespace: 'not-installed'}, args => ({
        contents: `const error = new Error(${JSON.stringify(`${args.path} is not in the single executable`)});
error.code = 'ERR_MODULE_NOT_FOUND';
throw error;
export default undefined;
`,
        loader: 'js',
      }));
    },
  },
  {
    name: 'version-inside',
    setup(builder) {
      builder.onLoad({filter: /[\\/]source[\\/]cli\.tsx$/}, args => {
        const read = "readFileSync(new URL('../package.json', import.meta.url), 'utf8')";
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(read)) {
          throw new Error(`source/cli.tsx no longer reads its version with ${read}: update scripts/bundle.mjs`);
        }

        const {version} = JSON.parse(readFileSync('package.json', 'utf8'));
        return {contents: source.replace(read, JSON.stringify(JSON.stringify({version}))), loader: 'tsx'};
      });
    },
  },
];

// Chunk names carry a hash: without this, every build would leave the previous chunks behind.
rmSync(`${outdir}/chunks`, {recursive: true, force: true});

await build({
  entryPoints: ['source/cli.tsx'],
  bundle: true,
  splitting: !singleFile,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  // A single executable has nowhere to keep a source map. Its main is whitespace- and syntax-minified (names
  // are kept): without chunks every start reads the whole file, and 3.4 MB made 2.3 MB took some 40 ms of CPU
  // off `--version` (node 26, 15 runs each). Lines stay short: node prints the line of an uncaught error.
  sourcemap: !singleFile,
  minifyWhitespace: singleFile,
  minifySyntax: singleFile,
  ...(singleFile ? {lineLimit: 160} : {}),
  // Native or optional modules stay in node_modules; react-devtools-core is only for Ink's dev mode.
  external: singleFile ? ['cpu-features', 'ssh2'] : ['cpu-features', 'ssh2', 'react-devtools-core'],
  // Bundled CommonJS modules call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __hawserRequire} from 'node:module'; const require = __hawserRequire(import.meta.url);"},
  plugins: singleFile ? [lazyOnFirstCall, ...singleFilePlugins] : [lazyOnFirstCall],
  // React's and the reconciler's production builds only: the development ones cost a third of every
  // frame, and bundled beside them they made the TUI's chunk 1.8 MB instead of 1.0 MB to read and parse.
  define: {'process.env.NODE_ENV': '"production"'},
  logLevel: 'warning',
});

// Run as `hawser` (and by the bench) through its shebang, which carries node's flags.
chmodSync(`${outdir}/cli.js`, 0o755);
