// Bad input that the other suites do not already cover, each refused with a clear error and the
// engine unchanged (containers, networks, volumes compared before and after); after every case no
// helper container of this process is left, and every helper seen was unprivileged. Also: secrets
// stay out of --json output. (Covered elsewhere: network names, CIDRs, gateways, overlaps and removal
// in use in networks.test.ts; legacy link to a stopped source and aliases on the default bridge in
// links.test.ts; container: itself in network-mode-safety.test.ts; non-tar, truncated, ../x, absolute,
// symlink and hardlink escapes in volume-backup-refusals.test.ts.)
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {InputError, JobError, runToEnd} from '../../source/jobs/job.js';
import {helperOwnerLabel} from '../../source/jobs/helpers/leftovers.js';
import {prepareCreateNetwork} from '../../source/jobs/networks/create.js';
import {prepareConnect} from '../../source/jobs/networks/attach.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {prepareRestore} from '../../source/jobs/volume-archive/restore-job.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, sh, testEngine, uniqueName} from '../helpers/engine.js';
import {tarOf} from '../helpers/tar.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');

/** A ustar header claiming `size` bytes that never follow, with a valid checksum. */
function absurdHeader(size: bigint): Buffer {
  const header = Buffer.alloc(512);
  header.write('huge', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  // Base-256 size (the GNU form for sizes over 8 GiB): high bit set, big-endian in the remaining 11 bytes.
  header[124] = 0x80;
  for (let i = 0; i < 11; i++) {
    header[135 - i] = Number((size >> BigInt(8 * i)) & 0xffn);
  }

  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }

  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, Buffer.alloc(1024)]);
}

describe.skipIf(noEngine)('bad input is refused and changes nothing', () => {
  const prefix = uniqueName('hwt-bad');
  const owner = `${hostname()}:${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-bad-'));
  const helpersSeen: Record<string, unknown>[] = [];
  let engine: EnginePort;

  /** The engine, with every helper container it creates inspected right away (to check it is not privileged). */
  function watchedEngine(real: EnginePort): EnginePort {
    return {
      ...real,
      async createContainer(spec, options) {
        const created = await real.createContainer(spec, options);
        const labels = (spec['Labels'] ?? {}) as Record<string, string>;
        if (labels['io.hawser.helper']) {
          helpersSeen.push((await real.inspectContainer(created.id)).raw['HostConfig'] as Record<string, unknown>);
        }

        return created;
      },
    };
  }

  async function state(): Promise<string> {
    const [containers, networks, volumes] = await Promise.all([engine.listContainers(), engine.listNetworks(), engine.listVolumes()]);
    const mine = (name: string) => name.startsWith(prefix);
    return JSON.stringify({
      containers: containers.filter(c => mine(c.name)).map(c => `${c.id} ${c.name} ${c.state} ${c.networkMode}`).sort(),
      networks: networks.filter(n => mine(n.name)).map(n => n.id).sort(),
      volumes: volumes.filter(v => mine(v.name)).map(v => v.name).sort(),
    });
  }

  /** Runs `attempt`, expects a refusal matching `message`, and the engine unchanged. */
  async function refused(attempt: () => Promise<unknown>, message: RegExp): Promise<JobError> {
    const before = await state();
    const failure = await attempt().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toMatch(message);
    expect(await state()).toBe(before);
    return failure as JobError;
  }

  beforeAll(async () => {
    engine = watchedEngine(testEngine());
    await runBusybox(engine, `${prefix}-db`, 'sleep 100000', {Env: ['DB_PASSWORD=s3cret-Zq81x', 'DB_USER=app'], HostConfig: {Binds: [`${prefix}-vol:/data`]}});
    await runBusybox(engine, `${prefix}-web`, 'sleep 100000');
    await engine.createNetwork({name: `${prefix}-net`, driver: 'bridge'});
    await sh(engine, `${prefix}-db`, 'dd if=/dev/zero of=/data/four-mib bs=1M count=4 2>/dev/null; echo hello > /data/small');
  });

  afterEach(async () => {
    // No helper container of this process outlives the case that made it.
    const left = (await engine.listContainers()).filter(c => c.labels['io.hawser.helper'] && c.labels[helperOwnerLabel] === owner);
    expect(left.map(c => c.name)).toEqual([]);
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('very long names: a network, a restore target, an alias', async () => {
    const long = `${prefix}-${'x'.repeat(300)}`;
    await refused(async () => prepareCreateNetwork(engine, {name: long}), /too long|at most/i);
    await refused(async () => prepareConnect(engine, {network: `${prefix}-net`, container: `${prefix}-web`, aliases: ['a'.repeat(300)]}), /alias/i);
    const archive = path.join(dir, 'small.tar');
    writeFileSync(archive, await tarOf([{name: './', type: 'directory'}, {name: './a', body: 'a'}]));
    await refused(async () => prepareRestore(engine, {file: archive, volume: long}), /too long|at most|valid/i);
  });

  it('invalid and duplicate volume names for a restore', async () => {
    const archive = path.join(dir, 'names.tar');
    writeFileSync(archive, await tarOf([{name: './', type: 'directory'}, {name: './a', body: 'a'}]));
    await refused(async () => prepareRestore(engine, {file: archive, volume: 'bad name!'}), /volume name|valid/i);
    await refused(async () => prepareRestore(engine, {file: archive, volume: '-x'}), /volume name|valid/i);
    // The volume exists and holds data: refused without --replace.
    await refused(async () => prepareRestore(engine, {file: archive, volume: `${prefix}-vol`}), /not empty/);
  });

  it('more path escapes: a/../../x, a PAX long name climbing out, a symlink chain, a hardlink through a symlink', async () => {
    const cases: [string, Buffer][] = [
      ['nested-dotdot', await tarOf([{name: 'a/', type: 'directory'}, {name: 'a/../../x', body: 'evil'}])],
      ['pax-climb', await tarOf([{name: `../${'p'.repeat(150)}`, body: 'evil'}])],
      ['symlink-chain', await tarOf([{name: 'l1', type: 'symlink', linkname: 'l2'}, {name: 'l2', type: 'symlink', linkname: '/etc'}, {name: 'l1/pwned', body: 'evil'}])],
      ['hardlink-via-symlink', await tarOf([{name: 'l', type: 'symlink', linkname: '/etc'}, {name: 'h', type: 'link', linkname: 'l/passwd'}])],
    ];
    for (const [name, bytes] of cases) {
      const file = path.join(dir, `${name}.tar`);
      writeFileSync(file, bytes);
      await refused(async () => prepareRestore(engine, {file, volume: `${prefix}-${name}`}), /climbs out|outside|through the symlink|absolute|refus/i);
    }
  });

  it('absurd sizes: an entry claiming 16 TiB that never comes, and an empty file', async () => {
    const huge = path.join(dir, 'huge.tar');
    writeFileSync(huge, absurdHeader(16n << 40n));
    await refused(async () => prepareRestore(engine, {file: huge, volume: `${prefix}-huge`}), /truncated|ends in the middle|not a tar|size/i);
    const empty = path.join(dir, 'empty.tar');
    writeFileSync(empty, '');
    await refused(async () => prepareRestore(engine, {file: empty, volume: `${prefix}-empty`}), /empty|not a tar|truncated/i);
  });

  it('a backup destination that is not writable, or full (tmpfs): a clear error, no file left', async () => {
    const readOnly = path.join(dir, 'ro');
    const full = path.join(dir, 'full');
    mkdirSync(readOnly);
    mkdirSync(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
    try {
      const notWritable = await refused(async () => {
        const prepared = await prepareBackup(engine, {volumes: [`${prefix}-vol`], output: `${readOnly}/`, isGzip: false, policy: 'leave', via: 'api'});
        return runToEnd(prepared.job, engine);
      }, /^Cannot write an archive in .*\/ro: a read-only file system\.$/);
      // Found before the preview (by trying to make a file there), so nothing was started.
      expect(notWritable).toBeInstanceOf(InputError);
      expect(notWritable.hint).toMatch(/Choose a folder you can write to/);
      const isFull = await refused(async () => {
        const prepared = await prepareBackup(engine, {volumes: [`${prefix}-vol`], output: `${full}/`, isGzip: false, policy: 'leave', via: 'api'});
        return runToEnd(prepared.job, engine);
      }, /disk is full/);
      expect(isFull.hint).toMatch(/Free some space/);
      expect(readdirSync(full)).toEqual([]);
      expect(readdirSync(readOnly)).toEqual([]);
    } finally {
      execFileSync('umount', [readOnly]);
      execFileSync('umount', [full]);
    }
  });

  /** Runs the CLI against the test engine; resolves with its exit code and output whatever the code. */
  async function cliRun(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
    const env: NodeJS.ProcessEnv = {...process.env, DOCKER_HOST: dockerHost, HAWSER_STATE_DIR: path.join(dir, 'state')};
    delete env['HAWSER_CONFIG'];
    return run('node', [cli, ...args], {env}).then(
      ({stdout, stderr}) => ({code: 0, stdout, stderr}),
      (error: {code?: number; stdout?: string; stderr?: string}) => ({code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? ''}),
    );
  }

  /** Expects the CLI to refuse `args` as bad input (exit 2) with `message` on its first line, and the engine unchanged. */
  async function cliRefused(args: string[], message: RegExp): Promise<string> {
    const before = await state();
    const {code, stderr} = await cliRun(...args);
    expect(stderr.split('\n')[0], `hawser ${args.map(a => JSON.stringify(a)).join(' ')}`).toMatch(message);
    // Never a stack trace: the message and one line of what to do.
    expect(stderr.trim().split('\n')).toHaveLength(2);
    expect(code).toBe(2);
    expect(await state()).toBe(before);
    return stderr;
  }

  it('backup -o over a file that is not a hawser archive: refused, the file left as it was; a hawser archive is still replaced', async () => {
    const over = path.join(dir, 'over');
    mkdirSync(over);
    const notes = path.join(over, 'notes.txt');
    const foreign = path.join(over, 'foreign.tar');
    writeFileSync(notes, 'my notes\n', {mode: 0o644});
    writeFileSync(foreign, await tarOf([{name: 'mine.txt', body: 'mine'}]), {mode: 0o644});
    const foreignBytes = readFileSync(foreign);
    const stderr = await cliRefused(['backup', `${prefix}-vol`, '-o', notes, '--yes'], /^hawser: .*notes\.txt exists and is not a hawser archive \(it does not start with a tar header\): hawser replaces only its own archives, never other files\.$/);
    expect(stderr).toMatch(/\n {2}Choose another file name \(or a folder, ending in \/\), or remove that file first/);
    await cliRefused(['backup', `${prefix}-vol`, '-o', foreign, '--yes'], /foreign\.tar exists and is not a hawser archive \(it is a tar, but does not end with hawser's manifest\)/);
    await refused(async () => prepareBackup(engine, {volumes: [`${prefix}-vol`], output: foreign, isGzip: false, policy: 'leave', via: 'api'}), /is not a hawser archive/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    expect(statSync(notes).mode & 0o777).toBe(0o644);
    expect(readFileSync(foreign)).toEqual(foreignBytes);
    expect(statSync(foreign).mode & 0o777).toBe(0o644);
    expect(readdirSync(over).sort()).toEqual(['foreign.tar', 'notes.txt']);
    // An archive hawser made is replaced, as before: through the API and by the local path alike.
    const own = path.join(over, 'own.tar');
    for (const via of [['--via-api'], []]) {
      const made = await cliRun('backup', `${prefix}-vol`, '-o', own, '--yes', ...via);
      expect(made.code, made.stderr).toBe(0);
    }

    expect((await cliRun('verify', own)).code).toBe(0);
  });

  it('names that can never be right (empty, with "/", "..") are refused before the engine is asked, exit 2', async () => {
    for (const [args, message] of [
      [['netmode', '', 'bridge'], /^hawser: No container given: CONTAINER is empty\.$/],
      [['netmode', 'a/b', 'bridge'], /^hawser: "a\/b" \(CONTAINER\) is not a container name or id: a name has no "\/"\.$/],
      [['netmode', `${prefix}-web`, 'container:/x'], /"\/x" \(the container in container:NAME\) is not a container name or id/],
      [['network', 'rm', ''], /^hawser: No network given: NETWORK is empty\.$/],
      [['network', 'rm', 'a/b'], /^hawser: "a\/b" \(NETWORK\) is not a network name or id: a name has no "\/"\.$/],
      [['network', 'connect', `${prefix}-net`, ''], /^hawser: No container given: CONTAINER is empty\.$/],
      [['backup', ''], /^hawser: No volume given: VOLUME is empty\.$/],
      [['backup', 'a/b'], /^hawser: "a\/b" \(VOLUME\) is not a volume name: a name has no "\/"/],
      [['backup', '..'], /^hawser: "\.\." \(VOLUME\) is not a volume name: "\." and "\.\." are not names\.$/],
      [['doctor', `${prefix}-web`, 'a/b'], /^hawser: "a\/b" \(B\) is not a container name, alias or address/],
    ] as const) {
      await cliRefused([...args], message);
    }

    // What a valid one looks like, on the second line.
    expect(await cliRefused(['netmode', 'a/b', 'bridge', '--yes'], /is not a container name or id/)).toMatch(/\n {2}A container name starts with a letter or digit and holds only letters, digits, _ \. and - \(like web or db-1\)/);
  });

  it('a path longer than the system takes: backup -o, restore FILE and verify FILE say so, exit 2, and make nothing', async () => {
    const long = path.join(dir, 'long');
    mkdirSync(long);
    const tooLong = /^hawser: The (archive's file name|path) .* is too long: /;
    await cliRefused(['backup', `${prefix}-vol`, '-o', path.join(long, `${'a'.repeat(5000)}.tar`), '--yes'], tooLong);
    await cliRefused(['restore', path.join(long, 'a'.repeat(5000)), '--yes'], tooLong);
    await cliRefused(['verify', path.join(long, 'a'.repeat(5000))], tooLong);
    await cliRefused(['verify', path.join(long, ...Array.from({length: 25}, () => 'b'.repeat(200)), 'x.tar')], tooLong);
    expect(readdirSync(long)).toEqual([]);
    expect(existsSync(path.join(dir, 'state', 'journal')) ? readdirSync(path.join(dir, 'state', 'journal')) : []).toEqual([]);
  });

  it('every helper seen was unprivileged, with no added capabilities beyond what it needs', () => {
    expect(helpersSeen.length).toBeGreaterThan(0);
    for (const hostConfig of helpersSeen) {
      expect(hostConfig['Privileged']).toBe(false);
    }
  });

  it('keeps secrets out of --json: a legacy link\'s preview and events, and a backup\'s', async () => {
    const env = {...process.env, DOCKER_HOST: dockerHost, HAWSER_STATE_DIR: path.join(dir, 'state')};
    const link = await run('node', [cli, 'link', `${prefix}-web`, `${prefix}-db:db`, '--legacy', '--yes', '--json'], {env});
    expect(link.stdout).toContain('DB_PASSWORD');
    expect(link.stdout).not.toContain('s3cret-Zq81x');
    const backup = await run('node', [cli, 'backup', `${prefix}-vol`, '-o', `${dir}/backups/`, '--yes', '--json'], {env});
    expect(backup.stdout).toContain('"type":"done"');
    expect(backup.stdout).not.toContain('s3cret-Zq81x');
    // The link really carries the secret inside the receiver: only the output hides it.
    expect(await sh(engine, `${prefix}-web`, 'echo $DB_ENV_DB_PASSWORD')).toBe('s3cret-Zq81x\n');
  });
});
