// `node bench/sea-startup.mjs`: the single executable's start-up beside the npm form's, in the same run.
// Three programs, started in turn (A B C A B C …) so that a machine whose speed drifts moves them alike:
//   npm form       dist/cli.js through its shebang (`env -S node --max-semi-space-size=4 --expose-gc`), as the
//                  installed `hawser` starts, on this machine's node
//   SEA            dist/sea/hawser-linux-<arch> (`npm run package`), with the code cache of its main
//   SEA, no cache  the same executable built here without the code cache (into a temporary folder)
// Two figures each: `--version` (wall and CPU time, peak memory, from /usr/bin/time; BENCH_RUNS runs, default
// 20), and the TUI's first screen on an isolated engine of the bench's own with a small fixture (the time from
// the tmux command to the first screen with the three panels filled; BENCH_SCREEN_RUNS runs, default 7).
// Medians, with min–max. Needs `npm run build` and `npm run package` first; root on Debian for the engine.
// Env: BENCH_RUNS, BENCH_SCREEN_RUNS, BENCH_CONTAINERS (fixture, default 50; BENCH_NETWORKS, BENCH_VOLUMES too).
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createFixture, startBenchEngine, stopBenchEngine} from './lib/fixture.mjs';
import {median, table} from './lib/stats.mjs';
import {TmuxControl} from './lib/tmux-control.mjs';
import {TuiSession} from './lib/tui-session.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 20));
const screenRuns = Math.max(1, Number(process.env.BENCH_SCREEN_RUNS ?? 7));
const size = {
  containers: Number(process.env.BENCH_CONTAINERS ?? 50),
  running: Math.round(Number(process.env.BENCH_CONTAINERS ?? 50) / 5),
  networks: Number(process.env.BENCH_NETWORKS ?? 5),
  volumes: Number(process.env.BENCH_VOLUMES ?? 20),
};
const started = performance.now();
const log = line => process.stderr.write(`[sea-startup ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

const cli = path.join(root, 'dist', 'cli.js');
const sea = path.join(root, 'dist', 'sea', `hawser-linux-${process.arch}`);
const seaConfig = path.join(root, 'dist', 'sea', `sea-config-${process.arch}.json`);

/** The same executable without the code cache: package-sea.mjs's configuration with useCodeCache off, built by its node. */
function buildWithoutCache(dir) {
  const config = JSON.parse(readFileSync(seaConfig, 'utf8'));
  const output = path.join(dir, `hawser-linux-${process.arch}-no-cache`);
  const file = path.join(dir, 'sea-config.json');
  writeFileSync(file, JSON.stringify({...config, useCodeCache: false, output}));
  // The official node that package-sea.mjs fetched: the executable is its stripped copy.
  const builder = config.executable.replace(/-stripped$/, '');
  execFileSync(builder, [...config.execArgv, '--build-sea', file], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});
  return output;
}

/** One start: wall ms around the whole process, CPU ms and peak KB from /usr/bin/time. */
function timeOnce(command) {
  const before = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', command, '--version'], {encoding: 'utf8', env: process.env});
  const wallMs = performance.now() - before;
  const match = /TIME (\S+) (\S+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match) throw new Error(`${command} --version failed: ${result.stderr}`);
  return {wallMs, cpuMs: (Number(match[1]) + Number(match[2])) * 1000, peakMb: Number(match[3]) / 1024};
}

const spread = (values, format) => `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
const msText = value => `${Math.round(value)} ms`;
const mbText = value => `${value.toFixed(0)} MiB`;

async function main() {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build`.');
  if (!existsSync(sea) || !existsSync(seaConfig)) throw new Error(`${path.relative(root, sea)} is missing: run \`npm run package\`.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-sea-bench-'));
  let bench;
  let tmux;
  try {
    log('building the executable without the code cache');
    const programs = [
      {name: 'npm form (node dist/cli.js)', command: cli},
      {name: 'SEA, code cache', command: sea},
      {name: 'SEA, no code cache', command: buildWithoutCache(dir)},
    ];
    for (const program of programs) program.version = [];
    for (const program of programs) program.screen = [];

    log(`--version: ${runs} runs of each, in turn (and one not counted)`);
    for (const program of programs) timeOnce(program.command);
    for (let run = 0; run < runs; run++) {
      for (const program of programs) program.version.push(timeOnce(program.command));
    }

    log('starting an isolated engine and a small fixture');
    bench = await startBenchEngine(log);
    await createFixture(bench.engine, size, log);
    const [containers, networks, volumes] = await Promise.all([bench.engine.listContainers(), bench.engine.listNetworks(), bench.engine.listVolumes()]);
    const titles = [`1 Containers (${containers.length})`, `2 Networks (${networks.length})`, `3 Volumes (${volumes.length})`];
    tmux = await TmuxControl.start(`hawser-sea-bench-${process.pid}`);
    log(`first screen: ${screenRuns} runs of each, in turn (and one not counted)`);
    for (let run = 0; run <= screenRuns; run++) {
      for (const program of programs) {
        const session = new TuiSession(tmux, `sea-${run}-${programs.indexOf(program)}`);
        const startedAt = await session.start(program.command, bench.host, {columns: 200, rows: 50});
        const first = await session.waitFor(screen => titles.every(title => screen.includes(title)) && screen.includes('bench-c-'), {everyMs: 2, what: 'the three panels filled'});
        if (run > 0) program.screen.push(first.at - startedAt);
        await session.quit();
      }
    }

    const rows = [
      ['--version, wall', ...programs.map(p => spread(p.version.map(r => r.wallMs), msText))],
      ['--version, CPU (user + system)', ...programs.map(p => spread(p.version.map(r => r.cpuMs), msText))],
      ['--version, peak resident memory', ...programs.map(p => spread(p.version.map(r => r.peakMb), mbText))],
      [`first screen, 3 panels filled (${containers.length} containers)`, ...programs.map(p => spread(p.screen, msText))],
    ];
    const node = execFileSync('node', ['--version'], {encoding: 'utf8'}).trim();
    console.log(`hawser start-up: the npm form on node ${node} beside the single executable (${path.relative(root, sea)}); medians (min–max) of ${runs} --version runs and ${screenRuns} first screens each, taken in turn.`);
    console.log(table(['figure', ...programs.map(p => p.name)], rows));
  } finally {
    await tmux?.stop();
    if (bench) {
      log('stopping the bench engine and removing its data');
      await stopBenchEngine(bench.layout, bench.engine);
    }

    rmSync(dir, {recursive: true, force: true});
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`sea-startup failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
}
