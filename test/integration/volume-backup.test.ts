import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Transform} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {JobError, runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {prepareRestore} from '../../source/jobs/volume-archive/restore-job.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {scanArchive} from '../../source/jobs/volume-archive/format/archive-scan.js';
import {planEntries} from '../../source/jobs/volume-archive/format/entry-plan.js';
import {compareListings} from '../../source/jobs/volume-archive/format/compare.js';
import {withHelper} from '../../source/jobs/helpers/helper-container.js';
import {listThroughHelper, withVolumeLister} from '../../source/jobs/volume-archive/volume/helper-lister.js';
import {withArchiveHashes} from '../../source/jobs/volume-archive/volume/restored-listing.js';
import type {ListedEntry} from '../../source/jobs/volume-archive/format/manifest.js';
import {readHelperVolume} from '../../source/jobs/volume-archive/volume/volume-reader.js';
import {noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {describeVolume, inVolume, leftoverHelpers} from './volume-backup-helpers.js';

const fill = [
  'cd /v',
  'mkdir -p empty/inner deep/a/b && chmod 700 empty && chown 1234:5678 empty/inner',
  'echo hello > plain && chmod 640 plain && chown 42:43 plain',
  'echo setuid > tool && chmod 4755 tool',
  'echo shared > one && ln one two && ln one deep/a/three',
  'ln -s plain rel-link && ln -s /etc/hostname abs-link && ln -s ../plain deep/up-link',
  'mkfifo pipe',
  'dd if=/dev/urandom of=big bs=1M count=101 2>/dev/null',
  'mkdir many && cd many && i=0; while [ $i -lt 10050 ]; do echo $i > f$i; i=$((i+1)); done; cd /v',
  // The root owned by a service user with a set-group-ID bit, as database images leave their data volume.
  'chown 999:998 . && chmod 2750 .',
  'touch -h -d "2001-02-03 04:05:06" rel-link && touch -d "1999-12-31 23:59:59" plain deep/a deep && touch -d "2010-01-01" . empty',
].join(' && ');

describe.skipIf(noEngine)('volume backup and restore on a real engine', () => {
  let engine: EnginePort;
  const prefix = uniqueName('hwbk');
  const source = `${prefix}-src`;
  let dir: string;
  let original: string;
  let roundTripArchive: string | undefined;

  beforeAll(async () => {
    engine = testEngine();
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-backup-'));
    await engine.createVolume({name: source, labels: {app: 'db', tier: 'data'}});
    await inVolume(engine, source, fill);
    original = await describeVolume(engine, source);
  }, 300_000);

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('round-trips exactly: contents, modes, owners, symlinks, hardlinks, empty dirs, mtimes, a 101 MiB file, 10,050 small files', async () => {
    const consumer = await runBusybox(engine, `${prefix}-app`, 'exec sleep 100000', {HostConfig: {Binds: [`${source}:/data`]}});
    const backup = await prepareBackup(engine, {volumes: [source], output: `${dir}/`, isGzip: false, policy: 'stop'});
    expect(backup.preview.steps.join('\n')).toContain(`${prefix}-app`);
    const events = await runToEnd(backup.job, engine);
    const done = events.at(-1) as Extract<JobEvent, {type: 'done'}>;
    const [archive] = (done.data as {archives: {file: string; entryCount: number}[]}).archives;
    roundTripArchive = archive!.file;
    expect(archive!.entryCount).toBeGreaterThan(10_050);
    expect(events.some(e => e.type === 'progress' && e.total !== undefined && e.current)).toBe(true);
    expect((await engine.inspectContainer(consumer)).isRunning).toBe(true);
    expect((await verifyArchive(archive!.file)).problems).toEqual([]);

    const target = `${prefix}-copy`;
    const restore = await prepareRestore(engine, {file: archive!.file, volume: target});
    const restored = await runToEnd(restore.job, engine);
    const summary = restored.at(-1) as Extract<JobEvent, {type: 'done'}>;
    expect(summary.data?.['differences']).toEqual([]);
    expect(await describeVolume(engine, target)).toBe(original);
    expect((await engine.inspectVolume(target)).labels).toEqual({app: 'db', tier: 'data'});
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  }, 300_000);

  it('does not wait for an engine still measuring its volumes: the backup starts, and its progress gets the total when the sizes come', async () => {
    const sizes = await engine.volumeUsage();
    const size = sizes.find(u => u.name === source)!.size;
    expect(size).toBeGreaterThan(100 * 1024 * 1024);
    // An engine whose GET /system/df answers only when told to (as one walking big volumes answers minutes later).
    let answer!: () => void;
    const slow: EnginePort = Object.assign(Object.create(engine) as EnginePort, {
      volumeUsage: async () => new Promise<typeof sizes>(resolve => {
        answer = () => resolve(sizes);
      }),
    });
    const file = path.join(dir, 'while-measuring.tar');
    const backup = await prepareBackup(slow, {volumes: [source], output: file, isGzip: false, policy: 'leave', via: 'api'}, {sizeWaitMs: 50});
    expect(backup.preview.steps.join('\n')).toContain(`Write volume ${source} (size not known yet: the engine is still measuring its volumes) to ${file}`);
    const progress: {done: number; total?: number}[] = [];
    let answeredAt = -1;
    for await (const event of backup.job(engine, new AbortController().signal)) {
      if (event.type === 'progress') {
        progress.push(event);
        if (answeredAt < 0) {
          answeredAt = progress.length;
          answer();
        }
      }
    }

    expect(progress[0]?.total).toBeUndefined();
    // Every report after the answer (but the last, which is the archive's own count) has the engine's size as its total.
    const between = progress.slice(answeredAt, -1);
    expect(between.length).toBeGreaterThan(0);
    expect(between.every(p => p.total === Math.max(size, p.done))).toBe(true);
    expect((await verifyArchive(file)).problems).toEqual([]);
  }, 300_000);

  it('through the archive API, the restored volume is listed by a helper (not read back), and that listing is the engine\'s', async () => {
    expect(roundTripArchive).toBeDefined();
    const target = `${prefix}-api-copy`;
    const restore = await prepareRestore(engine, {file: roundTripArchive!, volume: target, via: 'api'});
    // One PUT, the archive: the listing helper's exec gives the root its owner, mode and mtime (no root-entry PUT).
    let puts = 0;
    const counting: EnginePort = {...engine, async putArchive(...args) {
      puts++;
      return engine.putArchive(...args);
    }};
    const events = await runToEnd(restore.job, counting);
    expect(puts).toBe(1);
    expect(events.some(e => e.type === 'log' && e.line.startsWith('Listed the volume with a helper from '))).toBe(true);
    expect((events.at(-1) as Extract<JobEvent, {type: 'done'}>).data?.['differences']).toEqual([]);
    expect(await describeVolume(engine, target)).toBe(original);

    // What the helper lists is what the archive API reads back, entry for entry (owners, modes, links, hardlinks, the 0700 folder).
    const scan = await scanArchive(roundTripArchive!);
    const expected = planEntries(scan, 0).listing;
    const listed = await listThroughHelper(engine, target, expected, new AbortController().signal);
    const readBack = await withHelper(engine, target, {isReadOnly: true}, async helper => withArchiveHashes(await readHelperVolume(engine, helper, undefined, undefined, false), expected));
    const byPath = (entries: readonly ListedEntry[]) => [...entries].sort((a, b) => a.path.localeCompare(b.path));
    expect(listed!.entries.length).toBeGreaterThan(10_050);
    expect(byPath(listed!.entries)).toEqual(byPath(readBack));
    // The same from the helper a restore prepares beside its write (started when the bytes are sent, asked by an exec).
    const signal = new AbortController().signal;
    const prepared = await withVolumeLister(engine, target, signal, async lister => {
      lister.start();
      return lister.list(expected, signal);
    });
    expect(prepared!.wasReady).toBe(true);
    expect(byPath(prepared!.entries)).toEqual(byPath(readBack));
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);

    // And it sees a change: a mode, an owner, a missing file, a new one.
    await inVolume(engine, target, 'chmod 600 /v/tool && chown 7:7 /v/deep/a && rm /v/many/f7 && echo x > /v/extra');
    const changed = await listThroughHelper(engine, target, expected, new AbortController().signal);
    const kinds = compareListings(scan.manifest!.entries.toArray(), changed!.entries, {ignoreRoot: true}).map(d => `${d.path} ${d.kind}`).sort();
    // (Removing a file also changes its folder's mtime.)
    expect(kinds).toEqual(['deep/a owner', 'extra extra', 'many mtime', 'many/f7 missing', 'tool mode']);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  }, 300_000);

  it('round-trips through gzip, and pauses and unpauses a consumer', async () => {
    const consumer = await runBusybox(engine, `${prefix}-paused`, 'exec sleep 100000', {HostConfig: {Binds: [`${source}:/data`]}});
    const backup = await prepareBackup(engine, {volumes: [source], output: path.join(dir, 'z.tar.gz'), isGzip: true, policy: 'pause'});
    await runToEnd(backup.job, engine);
    const state = (await engine.listContainers({ids: [consumer]}))[0]!;
    expect(state.state).toBe('running');
    const restore = await prepareRestore(engine, {file: path.join(dir, 'z.tar.gz'), volume: `${prefix}-gz`});
    await runToEnd(restore.job, engine);
    expect(await describeVolume(engine, `${prefix}-gz`)).toBe(original);
  }, 300_000);

  it('cancel mid-backup: no archive, no partial file, no helper, the consumer runs again', async () => {
    const consumer = await runBusybox(engine, `${prefix}-cancel`, 'exec sleep 100000', {HostConfig: {Binds: [`${source}:/data`]}});
    const out = mkdtempSync(path.join(dir, 'cancel-'));
    const backup = await prepareBackup(engine, {volumes: [source], output: `${out}/`, isGzip: false, policy: 'stop'});
    const controller = new AbortController();
    let sawProgress = false;
    const run = async () => {
      for await (const event of backup.job(engine, controller.signal)) {
        if (event.type === 'progress' && event.done > 0) {
          sawProgress = true;
          controller.abort();
        }
      }
    };

    await expect(run()).rejects.toThrow(/Cancelled/);
    expect(sawProgress).toBe(true);
    expect(readdirSync(out)).toEqual([]);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
    expect((await engine.inspectContainer(consumer)).isRunning).toBe(true);
  }, 300_000);

  it.each(['auto', 'api'] as const)('cancel mid-restore (via %s): the new volume is removed, no helper is left', async via => {
    const file = path.join(dir, 'for-cancel.tar');
    if (!existsSync(file)) {
      await runToEnd((await prepareBackup(engine, {volumes: [source], output: file, isGzip: false, policy: 'leave'})).job, engine);
    }

    const target = `${prefix}-cancelled-${via}`;
    const restore = await prepareRestore(engine, {file, volume: target, via});
    const controller = new AbortController();
    const run = async () => {
      for await (const event of restore.job(engine, controller.signal)) {
        // Through the API, once the listing helper made beside the write exists (it must go too): during the write
        // or, on a busy machine, the listing; the job cannot end without it.
        if (via === 'api' && !controller.signal.aborted) {
          listers = (await engine.listContainers()).filter(c => c.name.includes('volume-list') && c.mounts.some(m => m.name === target)).length;
          if (listers > 0) {
            controller.abort();
          }
        } else if (via === 'auto' && event.type === 'progress' && event.done > 0) {
          controller.abort();
        }
      }
    };

    let listers = 0;
    await expect(run()).rejects.toThrow(/Cancelled/);
    expect(listers).toBe(via === 'api' ? 1 : 0);
    expect((await engine.listVolumes()).map(v => v.name)).not.toContain(target);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  }, 300_000);

  it('a truncated stream from the engine fails the backup loudly and keeps no file', async () => {
    // What the engine does when a file changes under it: HTTP 200, and the tar simply stops.
    const cutting: EnginePort = {
      ...engine,
      async getArchive(id, archivePath, options) {
        const stream = await engine.getArchive(id, archivePath, options);
        let passed = 0;
        const cut = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            const room = 5 * 1024 * 1024 - passed;
            passed += chunk.length;
            callback(null, room > 0 ? chunk.subarray(0, room) : undefined);
          },
        });
        return stream.pipe(cut);
      },
    };
    const out = mkdtempSync(path.join(dir, 'cut-'));
    // The engine's stream is what is cut here, so the archive API is forced (a local engine would be read directly).
    const backup = await prepareBackup(cutting, {volumes: [source], output: `${out}/`, isGzip: false, policy: 'leave', via: 'api'});
    const failure = await runToEnd(backup.job, cutting).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect((failure as JobError).message).toMatch(/incomplete archive/);
    expect(readdirSync(out)).toEqual([]);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  }, 300_000);

  it.each(['auto', 'api'] as const)('a volume written to during the backup is caught, never kept as a good archive (via %s)', async via => {
    const volume = `${prefix}-busy-${via}`;
    await engine.createVolume({name: volume});
    // Truncates and regrows a file without pause: the engine reads it at one size and finds another.
    await runBusybox(engine, `${prefix}-writer-${via}`, 'cd /data; for w in 1 2 3; do (while :; do for f in 1 2 3 4 5 6 7 8; do head -c 8000000 /dev/zero > g$w$f; head -c 100 /dev/zero > g$w$f; done; done) & done; wait', {HostConfig: {Binds: [`${volume}:/data`]}});
    await new Promise(resolve => setTimeout(resolve, 1000));
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 10 && !outcomes.includes('caught'); attempt++) {
      const out = mkdtempSync(path.join(dir, 'busy-'));
      const backup = await prepareBackup(engine, {volumes: [volume], output: `${out}/`, isGzip: false, policy: 'leave', via});
      const failure = await runToEnd(backup.job, engine).then(() => undefined, (error: unknown) => error);
      if (failure) {
        // Through the API the engine cuts its stream short; read locally, GNU tar reports the change.
        expect((failure as Error).message).toMatch(via === 'api' ? /incomplete archive/ : /incomplete archive|changed while it was read/);
        expect(readdirSync(out)).toEqual([]);
        outcomes.push('caught');
      } else {
        // When the engine happened to read a consistent file, the archive must be a good one.
        const [file] = readdirSync(out);
        expect((await verifyArchive(path.join(out, file!))).problems).toEqual([]);
        outcomes.push('consistent');
      }
    }

    expect(outcomes).toContain('caught');
  }, 300_000);
});
