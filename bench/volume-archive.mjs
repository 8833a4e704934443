// Times hawser backup/restore of a 1 GiB volume (200 files of 5 MiB + 2,000 small ones) against raw
// `tar` of the volume's directory, the classic busybox recipe and `docker cp`, on an isolated engine
// of its own. Medians of 5 runs (with their spread), ratios, and hawser's peak RSS. hawser is the real CLI (dist/cli.js),
// run twice: as it runs on a local engine (reading the volume's directory directly) and forced through
// the engine's archive API (--via-api), which is what a remote engine gets. Needs root and a built
// dist/ (npm run build). Run: node bench/volume-archive.mjs (BENCH_RUNS, BENCH_FILES, BENCH_TRACE).
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseHost} from '../dist/engine/connection.js';
import {createDockerEngine} from '../dist/engine/dockerode-adapter.js';
import {layoutFor, startIsolatedEngine, stopIsolatedEngine} from '../dist/sandbox/isolated-engine.js';
import {busyboxImage, ensureBusyboxImage} from '../dist/sandbox/test-image.js';
import {dockerCli} from './lib/proc.mjs';

// Five runs: the disk of these machines swings a run by up to 2×, and a median of three moved ratios by 10%.
const runs = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_FILES=40 makes a ~200 MiB volume for quick iterations; the issue's figure is the default 1 GiB.
const bigFiles = Number(process.env.BENCH_FILES ?? 200);
const base = mkdtempSync('/tmp/hwbench-');
const layout = layoutFor(base, `hawser-bench-${process.pid}`);
const host = `unix://${layout.socketPath}`;
const engine = createDockerEngine(parseHost(host, 'bench engine'));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const work = path.join(base, 'work');
mkdirSync(work);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 1 << 26, ...options});
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }

  return result.stdout;
}

const docker = (...args) => run(dockerCli(), ['-H', host, ...args]);

/** Wall time in seconds of a command, with the page cache written out first so runs start alike. */
function timed(command, args, options) {
  execFileSync('sync');
  const started = process.hrtime.bigint();
  run(command, args, options);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
let peakRss = 0;

async function main() {
  await startIsolatedEngine(layout, async () => engine.ping().then(() => true, () => false));
  await ensureBusyboxImage(engine);
  process.stderr.write(`filling a volume of ${bigFiles} × 5 MiB + 2,000 small files…\n`);
  docker('volume', 'create', 'bench');
  docker('run', '--rm', '-v', 'bench:/vol', busyboxImage, 'sh', '-c',
    'cd /vol && i=0; while [ $i -lt ' + bigFiles + ' ]; do dd if=/dev/urandom of=f$i bs=1M count=5 2>/dev/null; i=$((i+1)); done; mkdir s; i=0; while [ $i -lt 2000 ]; do echo $i > s/$i; i=$((i+1)); done');
  const mountpoint = path.join(layout.dataRoot, 'volumes', 'bench', '_data');
  docker('create', '--name', 'cp-helper', '-v', 'bench:/vol', busyboxImage, 'true');
  const times = {raw: [[], []], rawSync: [[], []], classic: [[], []], cp: [[], []], hawser: [[], []], hawserApi: [[], []]};
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`run ${i + 1} of ${runs}…\n`);
    const file = name => path.join(work, `${name}-${i}.tar`);
    // Each run starts at another method: what the disk and the page cache went through just before
    // (gigabytes written by the method before) weighs on whichever comes next, so no method always goes first or last.
    const rotate = steps => steps.map((_, k) => steps[(k + i * 2) % steps.length]);
    const backups = [
      () => times.raw[0].push(timed('tar', ['-C', mountpoint, '-cf', file('raw'), '.'])),
      // The same, made durable as hawser's archive is (fsync of the file): the fair baseline for a backup.
      () => times.rawSync[0].push(timed('sh', ['-c', 'tar -C "$1" -cf "$2" . && sync "$2"', 'sh', mountpoint, file('rawSync')])),
      () => times.classic[0].push(timed(dockerCli(), ['-H', host, 'run', '--rm', '-v', 'bench:/vol', '-v', `${work}:/backup`, busyboxImage, 'tar', 'cf', `/backup/classic-${i}.tar`, '/vol'])),
      () => times.cp[0].push(timed('sh', ['-c', '"$0" -H "$1" cp cp-helper:/vol/. - > "$2"', dockerCli(), host, file('cp')])),
      () => times.hawser[0].push(hawser(['backup', 'bench', file('hawser')], 'local')),
      () => times.hawserApi[0].push(hawser(['backup', 'bench', file('hawserApi')], 'api')),
    ];
    for (const step of rotate(backups)) {
      step();
    }

    // Restores, each into a fresh place.
    const fresh = path.join(work, `untar-${i}`);
    mkdirSync(fresh);
    docker('create', '--name', `cp-target-${i}`, '-v', `cp-${i}:/vol`, busyboxImage, 'true');
    const restores = [
      () => times.raw[1].push(timed('tar', ['-C', fresh, '-xf', file('raw')])),
      () => times.classic[1].push(timed(dockerCli(), ['-H', host, 'run', '--rm', '-v', `classic-${i}:/vol`, '-v', `${work}:/backup`, busyboxImage, 'tar', 'xf', `/backup/classic-${i}.tar`, '-C', '/'])),
      () => times.cp[1].push(timed('sh', ['-c', '"$0" -H "$1" cp - "$2":/vol < "$3"', dockerCli(), host, `cp-target-${i}`, file('cp')])),
      () => times.hawser[1].push(hawser(['restore', file('hawser'), `hawser-${i}`], 'local')),
      () => times.hawserApi[1].push(hawser(['restore', file('hawserApi'), `hawser-api-${i}`], 'api')),
    ];
    for (const step of rotate(restores)) {
      step();
    }

    // Keep the disk from filling: these runs are done.
    rmSync(fresh, {recursive: true, force: true});
    for (const name of ['raw', 'rawSync', 'cp', 'hawser', 'hawserApi', 'classic']) {
      rmSync(file(name), {force: true});
    }

    docker('rm', '-f', `cp-target-${i}`);
    docker('volume', 'rm', `classic-${i}`, `cp-${i}`, `hawser-${i}`, `hawser-api-${i}`);
  }

  const raw = [median(times.raw[0]), median(times.raw[1])];
  const rows = [['method', 'backup s', '(min–max)', '× raw tar', 'restore s', '(min–max)', '× raw tar']];
  const spread = values => (values.length > 0 ? `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}` : '—');
  const labels = {raw: 'raw tar of the volume dir', rawSync: 'raw tar, then fsync of it', classic: 'classic busybox recipe', cp: 'docker cp (archive API)', hawser: 'hawser, local path', hawserApi: 'hawser, archive API'};
  for (const [key, [backup, restore]] of Object.entries(times)) {
    const b = median(backup);
    const r = restore.length > 0 ? median(restore) : Number.NaN;
    rows.push([labels[key], b.toFixed(2), spread(backup), (b / raw[0]).toFixed(2), Number.isNaN(r) ? '—' : r.toFixed(2), spread(restore), Number.isNaN(r) ? '—' : (r / raw[1]).toFixed(2)]);
  }

  const widths = rows[0].map((_, c) => Math.max(...rows.map(row => row[c].length)));
  for (const row of rows) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  }

  const vs = (key, other) => `backup ${(median(times[key][0]) / median(times[other][0])).toFixed(2)}×, restore ${(median(times[key][1]) / median(times[other][1])).toFixed(2)}×`;
  console.log(`hawser local path vs classic recipe (target ≤ 1): ${vs('hawser', 'classic')}; vs raw tar (target ≤ 1.5): ${vs('hawser', 'raw')}`);
  console.log(`hawser local backup vs raw tar made durable (fsync), as hawser's archive is: ${(median(times.hawser[0]) / median(times.rawSync[0])).toFixed(2)}×`);
  console.log(`hawser archive API vs docker cp (target ≤ 1): ${vs('hawserApi', 'cp')}`);
  console.log(`hawser peak RSS: ${(peakRss / 1024).toFixed(0)} MiB (${bigFiles * 5} MiB volume)`);
  console.log(`runs: ${runs}, each starting at another method; every timing starts after sync; hawser fsyncs its archive, the others (but "raw tar, then fsync") do not; restores fsync nothing.`);
}

/**
 * Runs the hawser CLI as a person would (`hawser backup VOLUME -o FILE --yes`, `hawser restore FILE
 * --volume NAME --yes`), under /usr/bin/time for its peak RSS; returns wall seconds. `via` checks
 * which path the job took (from its --json done event).
 */
function hawser([command, ...args], via) {
  const cliArgs = command === 'backup' ? ['backup', args[0], '-o', args[1]] : ['restore', args[0], '--volume', args[1]];
  execFileSync('sync');
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'RSS %M', process.execPath, cli, '-H', host, ...cliArgs, '--yes', '--json', ...(via === 'api' ? ['--via-api'] : [])], {encoding: 'utf8', maxBuffer: 1 << 26});
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`hawser ${cliArgs.join(' ')} failed: ${result.stderr}`);
  }

  const events = result.stdout.split('\n').filter(Boolean).map(line => JSON.parse(line));
  const done = events.find(event => event.type === 'done');
  const took = done?.data?.via ?? done?.data?.archives?.[0]?.via;
  if (took !== via) {
    throw new Error(`hawser ${cliArgs.join(' ')} went via ${took}, not ${via}`);
  }

  // BENCH_TRACE=1: the job's steps, to see where the time goes (the CLI stamps nothing itself, so in order only).
  if (process.env.BENCH_TRACE) {
    process.stderr.write(`hawser ${command} via ${via}: ${seconds.toFixed(2)} s\n${events.filter(event => event.type !== 'progress').map(event => `  ${event.type} ${event.title ?? event.line ?? event.summary ?? ''}`).join('\n')}\n`);
  }

  const rss = Number(/RSS (\d+)/.exec(result.stderr)?.[1] ?? 0);
  peakRss = Math.max(peakRss, rss);
  return seconds;
}

try {
  await main();
} finally {
  await stopIsolatedEngine(layout, {removeData: true});
}
