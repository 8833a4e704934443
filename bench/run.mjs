// `npm run bench`: hawser against the fixture (1,000 containers, a fifth running; 30
// networks; 300 volumes) on an isolated engine of its own, beside the docker CLI measured in the same
// run. Every figure is the median over BENCH_RUNS runs (default 3); the engine and its data are
// removed at the end, also on Ctrl-C or failure.
//
// Env: BENCH_RUNS (runs, default 3), BENCH_CONTAINERS / BENCH_NETWORKS / BENCH_VOLUMES (fixture
// size, for a quick try), BENCH_IDLE_MS (idle window, default 10000), BENCH_KEEP=1 (keep the engine
// running at the end and print its socket, for profiling by hand), BENCH_REUSE_DIR=/tmp/hwb-… (measure
// again on such a kept engine, without preparing or removing anything).
// To see where a slow figure goes: bench/lib/trace-startup.mjs (a --import preload logging engine
// requests and terminal writes), or `node --cpu-prof dist/cli.js --host …` on a kept engine.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {benchLabel, createFixture, fixtureSize, reuseBenchEngine, startBenchEngine, stopBenchEngine} from './lib/fixture.mjs';
import {cpuMsOf, cpuMsOfAll, dockerCli, engineProcesses, measureCommand, memoryOf} from './lib/proc.mjs';
import {cpu, mb, median, ms, percentile, ratio, table} from './lib/stats.mjs';
import {TmuxControl} from './lib/tmux-control.mjs';
import {TuiSession, nowMs} from './lib/tui-session.mjs';
import {busyboxImage} from '../dist/sandbox/test-image.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cliPath = path.resolve(here, '../dist/cli.js');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const eventsPerRun = 3;
const jPerRun = 20;
const filterTexts = ['c-09', 'net-1'];
const size = fixtureSize();
const reuseDir = process.env.BENCH_REUSE_DIR;
const benchStarted = performance.now();

const log = line => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

let bench;
let tmux;
let isCleaning = false;

async function cleanup() {
  if (isCleaning) return;
  isCleaning = true;
  await tmux?.stop();
  if (reuseDir) return;
  if (bench && process.env.BENCH_KEEP === '1') {
    log(`engine kept at ${bench.host} (stop it: kill $(cat ${bench.layout.pidFile}); ip netns del ${bench.layout.netns}; rm -rf ${bench.layout.baseDir})`);
    return;
  }

  if (bench) {
    log('stopping the bench engine and removing its data');
    const stopping = performance.now();
    await stopBenchEngine(bench.layout, bench.engine);
    log(`engine stopped and removed in ${((performance.now() - stopping) / 1000).toFixed(0)} s`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** The engine's CPU ms so far (dockerd and its containerd). */
function engineCpu() {
  const pid = bench.dockerdPid();
  return pid ? cpuMsOfAll(engineProcesses(pid)) : NaN;
}

/** The docker CLI's figures for this run. */
async function measureReferences(docker) {
  const base = [docker, '-H', bench.host];
  return {
    ps: await measureCommand([...base, 'ps', '-a'], engineCpu),
    networks: await measureCommand([...base, 'network', 'ls'], engineCpu),
    volumes: await measureCommand([...base, 'volume', 'ls'], engineCpu),
    psFilter: await measureCommand([...base, 'ps', '-a', '--filter', 'name=c-09'], engineCpu),
    df: await measureCommand([...base, 'system', 'df', '-v'], engineCpu),
  };
}

const escapeRegExp = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One full run: references, engine baseline, then hawser from start to quit. */
async function oneRun(run, docker) {
  const result = {run};
  const [containers, networks, volumes] = await Promise.all([bench.engine.listContainers(), bench.engine.listNetworks(), bench.engine.listVolumes()]);
  const total = {containers: containers.length, networks: networks.length, volumes: volumes.length};

  log(`run ${run}: docker CLI references`);
  result.ref = await measureReferences(docker);

  log(`run ${run}: engine CPU over ${idleMs / 1000} s without hawser`);
  let before = engineCpu();
  await sleep(idleMs);
  result.engineBaselineMs = engineCpu() - before;

  log(`run ${run}: hawser, first screen`);
  const session = new TuiSession(tmux, `hawser-${run}`);
  try {
    const startedAt = await session.start(cliPath, bench.host);
    const titles = [`1 Containers (${total.containers})`, `2 Networks (${total.networks})`, `3 Volumes (${total.volumes})`];
    const first = await session.waitFor(
      screen => titles.every(title => screen.includes(title)) && screen.includes('bench-c-') && screen.includes('bench-vol-'),
      {everyMs: 5, what: `the three panels filled (${titles.join(', ')})`},
    );
    result.firstScreenMs = first.at - startedAt;
    const pid = session.pid;

    await sleep(3000);
    await session.settle();
    result.rssSettled = memoryOf(pid).rss;

    log(`run ${run}: idle CPU over ${idleMs / 1000} s`);
    const hawserBefore = cpuMsOf(pid);
    before = engineCpu();
    await sleep(idleMs);
    result.hawserIdleMs = cpuMsOf(pid) - hawserBefore;
    result.engineIdleMs = engineCpu() - before;

    log(`run ${run}: engine event → screen`);
    result.eventMs = await measureEvents(session, run);

    log(`run ${run}: key → frame`);
    Object.assign(result, await measureKeys(session));

    log(`run ${run}: volume sizes`);
    await session.settle();
    const sizes = await session.timeKey('3', {test: screen => /bench-vol-\d{3}\s+local\s+\d/.test(screen), what: 'volume sizes'});
    result.sizesMs = sizes.ms;
    await sleep(2000);
    await session.settle();
    const memory = memoryOf(pid);
    result.rssSizes = memory.rss;
    result.rssPeak = memory.peak;
  } finally {
    await session.quit();
    await removeEventContainers();
  }

  return result;
}

/** Containers started "elsewhere" (by the bench, through the API): engine event to changed screen. */
async function measureEvents(session, run) {
  const controller = new AbortController();
  const starts = new Map();
  const stream = (async () => {
    try {
      for await (const event of bench.engine.events({signal: controller.signal, since: Date.now() / 1000})) {
        if (event.type === 'container' && event.action === 'start') starts.set(event.id, event.timeNano / 1e6);
      }
    } catch {}
  })();
  const samples = [];
  try {
    for (let k = 0; k < eventsPerRun; k++) {
      // Short (the NAME column may be 12 wide) and, once running, sorted before any bench-c-…: on the first rows.
      const name = `aa-ev-${run}-${k}`;
      const count = Number(/1 Containers \((\d+)\)/.exec(await session.screen())?.[1]);
      const {id} = await bench.engine.createContainer({name, Image: busyboxImage, Cmd: ['sleep', '100000000'], StopSignal: 'SIGKILL', Labels: {[benchLabel]: 'event'}});
      // Created, it sorts after the running ones (off screen): the count shows it arrived.
      await session.waitFor(screen => screen.includes(`1 Containers (${count + 1})`), {what: `${name} created (count ${count + 1})`});
      await session.settle();
      await bench.engine.startContainer(id);
      const pattern = new RegExp(`${escapeRegExp(name)}\\s+running`);
      const {at} = await session.waitFor(screen => pattern.test(screen), {everyMs: 1, what: `${name} running`});
      const deadline = performance.now() + 5000;
      while (!starts.has(id) && performance.now() < deadline) await sleep(5);
      samples.push(at - (starts.get(id) ?? NaN));
      await session.settle();
    }
  } finally {
    controller.abort();
    await stream;
  }

  return samples;
}

async function removeEventContainers() {
  const all = await bench.engine.listContainers();
  await Promise.all(all.filter(c => c.name.startsWith('aa-ev-')).map(c => bench.engine.removeContainer(c.id, {force: true})));
}

/** Moving through the rows (j, and jumps) and typing a filter, timed per key. */
async function measureKeys(session) {
  const moveMs = [];
  const jumpMs = [];
  const filterMs = [];
  await session.settle();
  for (let i = 0; i < jPerRun; i++) {
    moveMs.push((await session.timeKey('j')).ms);
    await session.settle(120);
  }

  // Each one moves from where the previous left the selection (so each changes the screen).
  for (const key of ['g', 'PageDown', 'G', 'PageUp']) {
    jumpMs.push((await session.timeKey(key)).ms);
    await session.settle(120);
  }

  const filtered = /1 Containers \(\d+\/\d+\)/;
  for (const text of filterTexts) {
    await session.timeKey('/', {what: 'the filter prompt'});
    await session.settle(120);
    for (const char of text) {
      filterMs.push((await session.timeKey(char, {literal: true, test: screen => filtered.test(screen), what: `the filtered count after "${char}"`})).ms);
      await session.settle(120);
    }

    await session.tmux.sendKey(session.name, 'Escape');
    await session.waitFor(screen => /1 Containers \(\d+\)/.test(screen), {what: 'the filter cleared'});
    await session.settle(120);
  }

  return {moveMs, jumpMs, filterMs};
}

function report(results, elapsedMs) {
  const pick = key => results.map(r => r[key]);
  const pickRef = (command, field) => results.map(r => r.ref[command][field]);
  const pool = key => results.flatMap(r => r[key]);
  const firstScreen = median(pick('firstScreenMs'));
  const refLists = median(results.map(r => r.ref.ps.wallMs + r.ref.networks.wallMs + r.ref.volumes.wallMs));
  const psWall = median(pickRef('ps', 'wallMs'));
  const psRss = median(pickRef('ps', 'peakRss'));
  const dfRss = median(pickRef('df', 'peakRss'));
  const psCpu = median(pickRef('ps', 'cpuMs'));
  const psEngine = median(pickRef('ps', 'engineMs'));
  const rssSettled = median(pick('rssSettled'));
  const rssSizes = median(pick('rssSizes'));
  const hawserIdle = median(pick('hawserIdleMs'));
  const engineAdded = median(results.map(r => r.engineIdleMs - r.engineBaselineMs));
  const events = pool('eventMs');
  const moves = pool('moveMs');
  const jumps = pool('jumpMs');
  const filters = pool('filterMs');
  const sizes = median(pick('sizesMs'));
  const dfWall = median(pickRef('df', 'wallMs'));
  const psFilterWall = median(pickRef('psFilter', 'wallMs'));
  const met = condition => (condition ? 'yes' : 'NO');
  // Engine CPU is counted in 10 ms ticks: up to 2 ticks over the window is noise, not load.
  const engineNoiseMs = 20;

  const rows = [
    ['first screen, 3 panels filled', ms(firstScreen), `${ms(refLists)} (ps -a + network ls + volume ls)`, ratio(firstScreen, refLists), '< 500 ms', met(firstScreen < 500)],
    ['resident memory, settled', mb(rssSettled), `${mb(psRss)} (ps -a, peak)`, ratio(rssSettled, psRss), '< 100 MB', met(rssSettled < 100e6)],
    ['resident memory, volume sizes loaded', mb(rssSizes), `${mb(dfRss)} (system df -v, peak)`, ratio(rssSizes, dfRss), '< 100 MB', met(rssSizes < 100e6)],
    [`hawser CPU, ${idleMs / 1000} s idle`, cpu(hawserIdle, idleMs), `${cpu(psCpu)} (one ps -a)`, ratio(hawserIdle, psCpu), '< 1% of a core', met(hawserIdle < idleMs * 0.01)],
    [`engine CPU for hawser, ${idleMs / 1000} s idle`, cpu(engineAdded, idleMs), `${cpu(psEngine)} (serving one ps -a)`, ratio(engineAdded, psEngine), `none (≤ ${engineNoiseMs} ms tick noise)`, met(engineAdded <= engineNoiseMs)],
    ['engine event → changed screen', `${ms(median(events))} (p90 ${ms(percentile(events, 90))})`, `${ms(psWall)} (ps -a)`, ratio(median(events), psWall), '< 150 ms', met(median(events) < 150)],
    ['key → frame, moving (j)', `${ms(median(moves))} (p90 ${ms(percentile(moves, 90))})`, `${ms(psWall)} (ps -a)`, ratio(median(moves), psWall), '< 30 ms', met(median(moves) < 30)],
    ['key → frame, jumps (g, PgDn, G, PgUp)', `${ms(median(jumps))} (p90 ${ms(percentile(jumps, 90))})`, `${ms(psWall)} (ps -a)`, ratio(median(jumps), psWall), '< 30 ms', met(median(jumps) < 30)],
    ['key → frame, typing a filter', `${ms(median(filters))} (p90 ${ms(percentile(filters, 90))})`, `${ms(psFilterWall)} (ps -a --filter)`, ratio(median(filters), psFilterWall), '< 30 ms', met(median(filters) < 30)],
    ['volume sizes shown after 3', ms(sizes), `${ms(dfWall)} (system df -v)`, ratio(sizes, dfWall), '—', '—'],
  ];

  const out = [];
  out.push('');
  out.push(`hawser bench: ${size.containers} containers (${size.running} running), ${size.networks} networks, ${size.volumes} volumes; 120x40 tmux pane; ${results.length} run(s), medians shown (per-key and per-event figures: median of all samples).`);
  out.push('');
  out.push(table(['figure', 'hawser', 'reference (docker CLI, same run)', 'ratio', 'target', 'met?'], rows));
  out.push('');
  out.push('Per run:');
  for (const r of results) {
    out.push(`  run ${r.run}: first screen ${ms(r.firstScreenMs)}; RSS ${mb(r.rssSettled)} / ${mb(r.rssSizes)} (peak ${mb(r.rssPeak)}); idle CPU hawser ${cpu(r.hawserIdleMs)}, engine ${cpu(r.engineIdleMs)} vs ${cpu(r.engineBaselineMs)} without hawser; events ${r.eventMs.map(ms).join(', ')}; j ${ms(median(r.moveMs))}; filter ${ms(median(r.filterMs))}; sizes ${ms(r.sizesMs)}`);
    out.push(`         docker: ps -a ${ms(r.ref.ps.wallMs)} (${mb(r.ref.ps.peakRss)}), network ls ${ms(r.ref.networks.wallMs)}, volume ls ${ms(r.ref.volumes.wallMs)}, system df -v ${ms(r.ref.df.wallMs)}`);
  }

  out.push('');
  out.push('Notes: times from the tmux command (or the key sent) to the first captured screen showing the change, polled through a tmux control client');
  out.push('(~0.6 ms a capture); event times from the engine\'s own event timestamp. Docker CLI times are bash `time` (fork+exec included), RSS and CPU from /usr/bin/time.');
  out.push(`Engine CPU = dockerd + its containerd, /proc ticks of 10 ms. Whole bench: ${(elapsedMs / 1000).toFixed(0)} s.`);
  if (existsSync(path.join(here, 'volume-archive.mjs'))) {
    out.push('Backup and restore figures: node bench/volume-archive.mjs (see its header for its options).');
  }

  process.stdout.write(`${out.join('\n')}\n`);
}

async function main() {
  if (!existsSync(cliPath)) throw new Error('dist/cli.js is missing: run `npm run build` (npm run bench does).');
  const docker = dockerCli();
  if (reuseDir) {
    bench = reuseBenchEngine(reuseDir, '');
    log(`reusing the engine at ${bench.host} and its fixture`);
  } else {
    log(`starting an isolated engine (${runs} run(s) planned)`);
    bench = await startBenchEngine(log);
    log(`engine up at ${bench.host}; creating the fixture`);
    const fixtureStarted = performance.now();
    await createFixture(bench.engine, size, log);
    log(`fixture ready in ${((performance.now() - fixtureStarted) / 1000).toFixed(1)} s`);
  }

  tmux = await TmuxControl.start(`hawser-bench-${process.pid}`);
  // Let the engine finish what the creation left (network programming, GC) before measuring.
  await sleep(3000);

  const results = [];
  for (let run = 1; run <= runs; run++) {
    results.push(await oneRun(run, docker));
  }

  report(results, performance.now() - benchStarted);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
