// Peak memory of `hawser verify` (issue #20: bounded memory), with no engine: archives are made in a
// temporary folder with GNU tar and gzip, and each is verified by the real CLI (dist/cli.js, run as
// installed: its first line gives node its flags) under /usr/bin/time, beside GNU tar listing the same
// file (and `gzip -t` for the gzip ones) in the same run. Each is also planned for a restore, up to the
// preview it asks about (bench/lib/plan-restore.mjs: the same node flags, an engine that answers nothing).
//   (a) 100,000 small files (100 folders × 1,000): a foreign tar (GNU tar --format=posix), hawser's
//       own (made by hawser's local backup path, GNU tar + manifest, no engine), and that one gzipped;
//   (b) a gzip of a tar holding one file of zeros, 1 GiB and 3 GiB (flat means no growth between them);
//   (c) the 3 GiB one with 3 GiB of zeros after the end-of-archive blocks (trailing data: skipped, not kept).
// Needs a built dist/ (npm run build). Run: node bench/archive-memory.mjs
//   BENCH_FILES=100000 (small files), BENCH_ZEROS_GIB=1,3 (sizes of the zeros file), BENCH_TRAILING_GIB=3
//   BENCH_ONLY=files|zeros (one half), BENCH_KEEP=1 (keep the temporary folder).
import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {table} from './lib/stats.mjs';
import {encodeFileHeader} from '../dist/jobs/volume-archive/format/manifest.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const planRestore = fileURLToPath(new URL('lib/plan-restore.mjs', import.meta.url));
// The node flags of the CLI's first line (`#!/usr/bin/env -S node --max-semi-space-size=4 …`), for the restore plan.
const nodeFlags = readFileSync(cli, 'utf8').split('\n', 1)[0].replace(/^#!.*?\bnode\b/, '').trim().split(/\s+/).filter(Boolean);
const fileCount = Number(process.env.BENCH_FILES ?? 100_000);
const zerosGiB = (process.env.BENCH_ZEROS_GIB ?? '1,3').split(',').map(Number).filter(n => n > 0);
const trailingGiB = Number(process.env.BENCH_TRAILING_GIB ?? 3);
const only = process.env.BENCH_ONLY;
const base = mkdtempSync(path.join(process.env.BENCH_DIR ?? '/tmp', 'hwmem-'));
const GiB = 1024 ** 3;

const log = line => process.stderr.write(`${line}\n`);

/** Runs a command under /usr/bin/time: wall seconds, peak RSS in bytes (of the command or its largest child), exit status, stdout. */
function measured(command, args) {
  const timeFile = path.join(base, 'time.out');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, command, ...args], {encoding: 'utf8', maxBuffer: 1 << 28});
  const [wall, kb] = spawnSync('tail', ['-n', '1', timeFile], {encoding: 'utf8'}).stdout.trim().split(' ').map(Number);
  return {wall, peak: kb * 1024, status: result.status, stdout: result.stdout, stderr: result.stderr};
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 1 << 26, ...options});
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }

  return result.stdout;
}

/**
 * Writes `tar | gzip -1` of one file of `bytes` zeros (then `trailing` zeros after the end blocks) to
 * `file`, generated here: no file of zeros on disk, only the gzip (about 1/1000 of the size).
 */
async function zerosGzip(file, bytes, trailing = 0) {
  const out = openSync(file, 'w');
  const gzip = spawn('gzip', ['-1', '-c'], {stdio: ['pipe', out, 'inherit']});
  const done = new Promise((resolve, reject) => gzip.on('close', code => (code === 0 ? resolve() : reject(new Error(`gzip exited ${code}`)))));
  const write = chunk => new Promise((resolve, reject) => gzip.stdin.write(chunk, error => (error ? reject(error) : resolve())));
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  const writeZeros = async count => {
    for (let left = count; left > 0; left -= zeros.length) {
      await write(left >= zeros.length ? zeros : zeros.subarray(0, left));
    }
  };

  await write(encodeFileHeader('zeros', bytes, 1_700_000_000));
  // The data, its padding to 512 (none for whole GiB), the two end blocks and the trailing bytes: all zeros.
  await writeZeros(bytes + ((512 - (bytes % 512)) % 512) + 1024 + trailing);
  gzip.stdin.end();
  await done;
  closeSync(out);
}

/** 100 folders of fileCount/100 files of a few bytes each. */
function smallFiles(dir) {
  const perDir = Math.ceil(fileCount / 100);
  let made = 0;
  for (let d = 0; made < fileCount; d++) {
    const sub = path.join(dir, `d${String(d).padStart(3, '0')}`);
    mkdirSync(sub, {recursive: true});
    for (let f = 0; f < perDir && made < fileCount; f++, made++) {
      writeFileSync(path.join(sub, `f${String(f).padStart(4, '0')}`), `${made}\n`);
    }
  }
}

/** hawser's own archive of `dir`, through its local backup path (GNU tar writes, hawser appends the manifest): no engine. */
async function hawserArchive(dir, file) {
  const {backupDirToFile} = await import('../dist/jobs/volume-archive/volume/local-backup.js');
  const output = await open(file, 'w+');
  const reader = await open(file, 'r');
  try {
    const manifestBase = {
      format: 'hawser-volume-archive',
      version: 2,
      volume: {name: 'bench', driver: 'local', labels: {}},
      createdAt: new Date(1_700_000_000_000).toISOString(),
      engine: {version: 'none', apiVersion: 'none', os: 'linux', name: 'bench'},
    };
    await backupDirToFile(dir, output, reader, manifestBase, new AbortController().signal);
  } finally {
    await reader.close();
    await output.close();
  }
}

const rows = [];
const mib = bytes => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** hawser verify of `file`, and the references: GNU tar listing it, and `gzip -t` for a gzip. */
function measure(label, file, isGzip) {
  log(`measuring ${label}…`);
  const hawser = measured(cli, ['verify', file, '--json']);
  const lines = hawser.stdout.trim().split('\n').filter(Boolean).map(line => {
    try {
      return JSON.parse(line);
    } catch {
      return {};
    }
  });
  const done = lines.find(line => line.type === 'done');
  const skipped = lines.find(line => line.type === 'log' && /skipped/.test(line.line ?? ''));
  const outcome = hawser.status === 0
    ? `ok, ${done?.data?.entries ?? '?'} entries${done?.data?.hasManifest ? ', manifest' : ''}${skipped ? ', trailing skipped' : ''}`
    : `exit ${hawser.status}: ${(lines.find(line => line.type === 'error')?.message ?? hawser.stderr).slice(0, 80)}`;
  const plan = measured(process.execPath, [...nodeFlags, planRestore, file]);
  const tar = measured('tar', ['-tf', file]);
  const gzip = isGzip ? measured('gzip', ['-t', file]) : undefined;
  rows.push([
    label,
    mib(statSync(file).size),
    mib(hawser.peak),
    `${hawser.wall.toFixed(2)} s`,
    plan.status === 0 ? mib(plan.peak) : `exit ${plan.status}`,
    mib(tar.peak),
    `${tar.wall.toFixed(2)} s`,
    gzip ? `${gzip.wall.toFixed(2)} s` : '—',
    outcome,
  ]);
}

async function main() {
  log(`working in ${base}`);
  if (only !== 'zeros') {
    const tree = path.join(base, 'files');
    log(`making ${fileCount} small files…`);
    smallFiles(tree);
    const foreign = path.join(base, 'foreign.tar');
    run('tar', ['--format=posix', '-C', base, '-cf', foreign, 'files']);
    measure(`${fileCount} files, GNU tar posix`, foreign, false);
    const own = path.join(base, 'hawser.tar');
    await hawserArchive(tree, own);
    measure(`${fileCount} files, hawser's own`, own, false);
    run('sh', ['-c', `gzip -1 -c '${own}' > '${own}.gz'`]);
    measure(`${fileCount} files, hawser's own .gz`, `${own}.gz`, true);
    rmSync(tree, {recursive: true, force: true});
  }

  if (only !== 'files') {
    for (const gib of zerosGiB) {
      const file = path.join(base, `zeros-${gib}g.tar.gz`);
      log(`making ${gib} GiB of zeros, gzipped…`);
      await zerosGzip(file, gib * GiB);
      measure(`${gib} GiB zeros .gz`, file, true);
      rmSync(file);
    }

    if (trailingGiB > 0) {
      const gib = Math.max(...zerosGiB, 1);
      const file = path.join(base, `zeros-${gib}g-trailing.tar.gz`);
      log(`making ${gib} GiB of zeros + ${trailingGiB} GiB trailing, gzipped…`);
      await zerosGzip(file, gib * GiB, trailingGiB * GiB);
      measure(`${gib} GiB zeros + ${trailingGiB} GiB trailing .gz`, file, true);
      rmSync(file);
    }
  }

  process.stdout.write(`${table(['archive', 'file size', 'verify peak RSS', 'verify wall', 'restore plan peak RSS', 'tar -tf peak RSS', 'tar -tf wall', 'gzip -t wall', 'hawser verify says'], rows)}\n`);
  process.stdout.write(`node ${process.version} ${nodeFlags.join(' ')}; peak RSS is VmHWM (/usr/bin/time %M) of the whole process, V8 heap and buffers included.\n`);
}

try {
  await main();
} finally {
  if (!process.env.BENCH_KEEP) {
    rmSync(base, {recursive: true, force: true});
  }
}
