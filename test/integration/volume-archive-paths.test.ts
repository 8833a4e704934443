import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {prepareRestore} from '../../source/jobs/volume-archive/restore-job.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {engineMajor, noEngine, removeByPrefix, testEngine, uniqueName} from '../helpers/engine.js';
import {describeVolume, inVolume, leftoverHelpers} from './volume-backup-helpers.js';

// Everything the two paths could disagree on: owners, modes (setuid), hardlinks, symlinks in and out,
// a fifo, empty dirs, names past ustar's 100 bytes, names sorting differently by byte and by locale,
// old mtimes, a file of several MiB.
const longName = `${'d'.repeat(90)}/${'n'.repeat(120)}`;
const fill = [
  'cd /v',
  'mkdir -p empty/inner deep/a/b && chmod 700 empty && chown 1234:5678 empty/inner',
  'echo hello > plain && chmod 640 plain && chown 42:43 plain',
  'echo setuid > tool && chmod 4755 tool',
  'echo shared > one && ln one two && ln one deep/a/three',
  'ln -s plain rel-link && ln -s /etc/hostname abs-link && ln -s ../plain deep/up-link',
  'mkfifo pipe',
  `mkdir -p ${path.dirname(longName)} && echo long > ${longName}`,
  'echo B > B && echo a > a && echo _ > _x && echo dot > .hidden',
  'dd if=/dev/urandom of=big bs=1M count=7 2>/dev/null',
  'touch -h -d "2001-02-03 04:05:06" rel-link && touch -d "1999-12-31 23:59:59" plain deep/a deep && touch -d "2010-01-01" . empty',
].join(' && ');

type Archive = {file: string; via: string; contentSha256: string};

describe.skipIf(noEngine)('volume archives: the local path and the archive API agree', () => {
  let engine: EnginePort;
  const prefix = uniqueName('hwvia');
  const source = `${prefix}-src`;
  let dir: string;
  let original: string;
  const archives: Record<'auto' | 'api', Archive | undefined> = {auto: undefined, api: undefined};

  const backup = async (via: 'auto' | 'api', file: string): Promise<Archive> => {
    const events = await runToEnd((await prepareBackup(engine, {volumes: [source], output: file, isGzip: false, policy: 'leave', via})).job, engine);
    const done = events.at(-1) as Extract<JobEvent, {type: 'done'}>;
    return (done.data as {archives: Archive[]}).archives[0]!;
  };

  const restore = async (file: string, volume: string, via: 'auto' | 'api') => {
    const events = await runToEnd((await prepareRestore(engine, {file, volume, via})).job, engine);
    return (events.at(-1) as Extract<JobEvent, {type: 'done'}>).data as {via: string; differences: unknown[]};
  };

  beforeAll(async () => {
    engine = testEngine();
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-via-'));
    await engine.createVolume({name: source, labels: {app: 'db'}});
    await inVolume(engine, source, fill);
    original = await describeVolume(engine, source);
    archives.auto = await backup('auto', path.join(dir, 'local.tar'));
    archives.api = await backup('api', path.join(dir, 'api.tar'));
  }, 300_000);

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('takes the local path on the local test engine, and the API when asked', () => {
    expect(archives.auto!.via).toBe('local');
    expect(archives.api!.via).toBe('api');
  });

  it('writes the same manifest entries either way (the local one with the sub-second mtimes the engine cuts), and both archives verify', async () => {
    const [localScan, apiScan] = [await scanArchive(archives.auto!.file), await scanArchive(archives.api!.file)];
    // The scans keep their entries compact: as arrays here.
    const asArrays = (scan: typeof localScan) => ({...scan, entries: [...scan.entries], manifest: scan.manifest && {...scan.manifest, entries: scan.manifest.entries.toArray()}});
    const [local, api] = [asArrays(localScan), asArrays(apiScan)];
    // To whole seconds, without the exact time text the local manifest keeps for sub-second mtimes.
    const wholeSeconds = <T extends {readonly mtime: number}>(entries: readonly T[]) => entries.map(e => ({...e, mtime: Math.floor(e.mtime), mtimeText: undefined}));
    expect(local.manifest!.entries.length).toBeGreaterThan(15);
    expect(wholeSeconds(local.manifest!.entries)).toEqual(api.manifest!.entries);
    // The engine's archive API writes whole seconds; the local path keeps what the file system holds.
    expect(api.manifest!.entries.every(e => Number.isInteger(e.mtime))).toBe(true);
    expect(local.manifest!.entries.some(e => !Number.isInteger(e.mtime))).toBe(true);
    expect(local.manifest!.entries.filter(e => !Number.isInteger(e.mtime)).every(e => /^\d+\.\d+$/.test(e.mtimeText ?? ''))).toBe(true);
    expect(local.manifest!.entries.map(e => e.path)).toContain(longName);
    expect(local.manifest!.entryCount).toBe(api.manifest!.entryCount);
    expect(local.manifest!.totalBytes).toBe(api.manifest!.totalBytes);
    // The archive's own listing (headers as written) matches too, not only what the manifest says.
    const facts = (entries: typeof local.entries) => wholeSeconds(entries).map(e => [e.name, e.type, e.size, e.mode, e.uid, e.gid, e.mtime, e.linkname, e.sha256]);
    expect(facts(local.entries)).toEqual(facts(api.entries));
    expect((await verifyArchive(archives.auto!.file)).problems).toEqual([]);
    expect((await verifyArchive(archives.api!.file)).problems).toEqual([]);
  }, 120_000);

  it('restores each archive through the other path, exactly', async () => {
    const intoLocal = await restore(archives.api!.file, `${prefix}-api-to-local`, 'auto');
    expect(intoLocal).toMatchObject({via: 'local', differences: []});
    expect(await describeVolume(engine, `${prefix}-api-to-local`)).toBe(original);
    const intoApi = await restore(archives.auto!.file, `${prefix}-local-to-api`, 'api');
    expect(intoApi).toMatchObject({via: 'api', differences: []});
    expect(await describeVolume(engine, `${prefix}-local-to-api`)).toBe(original);
    expect((await engine.inspectVolume(`${prefix}-api-to-local`)).labels).toEqual({app: 'db'});
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
    expect((await engine.listVolumes()).map(v => v.name).filter(name => name.startsWith('hawser-probe-'))).toEqual([]);
  }, 300_000);

  it('HAWSER_ARCHIVE_VIA=api forces the archive API', async () => {
    process.env['HAWSER_ARCHIVE_VIA'] = 'api';
    try {
      const archive = await backup('auto', path.join(dir, 'env.tar'));
      expect(archive.via).toBe('api');
      expect(await restore(archive.file, `${prefix}-env`, 'auto')).toMatchObject({via: 'api', differences: []});
    } finally {
      delete process.env['HAWSER_ARCHIVE_VIA'];
    }
  }, 300_000);

  it('restores through the API into an empty volume that a container mounts', async () => {
    const target = `${prefix}-mounted`;
    await engine.createVolume({name: target});
    await inVolume(engine, target, 'true');
    const {id} = await engine.createContainer({Image: 'hawser/busybox:latest', Cmd: ['true'], Labels: {'io.hawser.test': '1'}, name: `${prefix}-holder`, HostConfig: {Binds: [`${target}:/data`]}});
    try {
      expect(await restore(archives.auto!.file, target, 'auto')).toMatchObject({via: 'api', differences: []});
    } finally {
      await engine.removeContainer(id, {force: true});
    }
  }, 300_000);
  it('an archive the engine refuses fails with the engine\'s reason; a cancelled upload stops', async () => {
    const tar = () => Readable.from([Buffer.alloc(1024)]);
    await expect(engine.putArchive(`${prefix}-nobody`, '/vol', tar())).rejects.toMatchObject({statusCode: 404, reason: 'engine', message: expect.stringMatching(/no such container/i)});
    const {id} = await engine.createContainer({Image: 'hawser/busybox:latest', Cmd: ['true'], Labels: {'io.hawser.test': '1'}, name: `${prefix}-ro`, HostConfig: {Binds: [`${prefix}-ro:/vol:ro`]}});
    try {
      // A read-only mount answers 500 up to Engine 26 and 400 on 28 (the API docs say 403).
      await expect(engine.putArchive(id, '/vol', tar())).rejects.toMatchObject({statusCode: engineMajor >= 28 ? 400 : 500, reason: 'engine', message: expect.stringMatching(/read-only/i)});
      const controller = new AbortController();
      controller.abort();
      await expect(engine.putArchive(id, '/', tar(), {signal: controller.signal})).rejects.toMatchObject({reason: 'aborted'});
    } finally {
      await engine.removeContainer(id, {force: true});
    }
  });
  it('reads volume sizes from the engine\'s disk usage answer', async () => {
    const volume = `${prefix}-sized`;
    await engine.createVolume({name: volume});
    await inVolume(engine, volume, 'head -c 300000 /dev/zero > /v/f');
    const usage = (await engine.volumeUsage()).find(entry => entry.name === volume);
    expect(usage?.size).toBeGreaterThanOrEqual(300_000);
    expect(usage?.size).toBeLessThan(400_000);
    expect(usage?.refCount).toBe(0);
  });
});
