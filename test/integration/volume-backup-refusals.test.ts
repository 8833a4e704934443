import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {InputError, runToEnd, type JobEvent} from '../../source/jobs/job.js';
import {prepareBackup} from '../../source/jobs/volume-archive/backup-job.js';
import {prepareRestore} from '../../source/jobs/volume-archive/restore-job.js';
import {verifyArchive} from '../../source/jobs/volume-archive/verify-job.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, testEngine, uniqueName} from '../helpers/engine.js';
import {runToFailure} from '../helpers/run-to-failure.js';
import {tarOf} from '../helpers/tar.js';
import {describeVolume, inVolume, leftoverHelpers} from './volume-backup-helpers.js';

describe.skipIf(noEngine)('restore refusals and the classic recipe on a real engine', () => {
  let engine: EnginePort;
  const prefix = uniqueName('hwrf');
  let dir: string;

  beforeAll(async () => {
    engine = testEngine();
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-refuse-'));
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  const volumeNames = async () => (await engine.listVolumes()).map(v => v.name).filter(name => name.startsWith(prefix)).sort();

  it('a volume that fills up during a restore is said to be full, not with the engine\'s raw words', async () => {
    const volume = `${prefix}-tiny`;
    // A tmpfs volume of 256 KiB, through the docker CLI as a user would make it.
    await promisify(execFile)('docker', ['-H', dockerHost, 'volume', 'create', '--driver', 'local', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=256k', volume]);
    const file = path.join(dir, 'big.tar');
    writeFileSync(file, await tarOf([{name: './', type: 'directory'}, {name: './big.bin', body: Buffer.alloc(1024 * 1024, 7)}]));
    const prepared = await prepareRestore(engine, {file, volume});
    const {error} = await runToFailure(prepared.job, engine);
    expect((error as Error).message).toMatch(new RegExp(`The restore into ${volume} ran out of space: the file system holding the volume is full`));
    expect((error as InputError).hint).toMatch(/Free space where the engine keeps its volumes/);
  });

  it('refuses bad archives with the reason, and writes nothing', async () => {
    const good = await tarOf([{name: './', type: 'directory'}, {name: './a', body: 'x'.repeat(5000)}, {name: './b', body: 'y'}]);
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', good.subarray(0, 1500), /truncated|ends in the middle/],
      ['not-a-tar', Buffer.from('this is a text file, not an archive\n'.repeat(50)), /not a tar archive/],
      ['dotdot', await tarOf([{name: '../x', body: 'evil'}]), /climbs out/],
      ['through-symlink', await tarOf([{name: 'link', type: 'symlink', linkname: '/etc'}, {name: 'link/x', body: 'evil'}]), /through the symlink "link"/],
      ['hardlink-outside', await tarOf([{name: 'h', type: 'link', linkname: '../../../etc/passwd'}]), /points outside/],
    ];
    const before = await volumeNames();
    for (const [name, bytes, reason] of cases) {
      const file = path.join(dir, `${name}.tar`);
      writeFileSync(file, bytes);
      const failure = await prepareRestore(engine, {file, volume: `${prefix}-${name}`}).catch((error: unknown) => error);
      expect(failure, name).toBeInstanceOf(InputError);
      expect((failure as Error).message, name).toMatch(reason);
      expect((failure as Error).message, name).toMatch(/Nothing was written/);
    }

    expect(await volumeNames()).toEqual(before);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  });

  it.each(['auto', 'api'] as const)('restores absolute names inside the volume, as tar does, and says so (via %s)', async via => {
    const file = path.join(dir, `absolute-${via}.tar`);
    writeFileSync(file, await tarOf([{name: '/etc/', type: 'directory'}, {name: '/etc/passwd', body: 'not the host\'s'}, {name: '//twice', body: 'two slashes'}], {mtime: new Date('2001-01-01')}));
    const volume = `${prefix}-absolute-${via}`;
    const prepared = await prepareRestore(engine, {file, volume, via});
    expect(prepared.preview.steps.join('\n')).toMatch(/Remove the leading "\/" from 3 names, as tar does/);
    const events = await runToEnd(prepared.job, engine);
    expect((events.at(-1) as Extract<JobEvent, {type: 'done'}>).data?.['differences']).toEqual([]);
    expect(await inVolume(engine, volume, 'cat /v/etc/passwd; echo; cat /v/twice')).toBe('not the host\'s\ntwo slashes');
  });

  it('restores an archive made by the classic busybox recipe, proposing the strip', async () => {
    const data = `${prefix}-classic-src`;
    await engine.createVolume({name: data});
    await inVolume(engine, data, 'cd /v && mkdir -p sub && echo one > sub/f && chown 7:8 sub/f && ln -s sub/f s && echo two > g && touch -d "2005-05-05" g');
    const out = mkdtempSync(path.join(dir, 'classic-'));
    // The seed's recipe: busybox tar of the data path, into a bind-mounted folder.
    const {id} = await engine.createContainer({
      Image: 'hawser/busybox:latest',
      Cmd: ['tar', 'cf', '/backup/data_backup.tar', 'path/to/data'],
      WorkingDir: '/',
      HostConfig: {Binds: [`${data}:/path/to/data`, `${out}:/backup`]},
      Labels: {'io.hawser.test': '1'},
    });
    await engine.startContainer(id);
    expect((await engine.waitContainer(id)).exitCode).toBe(0);
    await engine.removeContainer(id, {force: true});
    const file = path.join(out, 'data_backup.tar');
    expect(readFileSync(file).subarray(0, 13).toString()).toBe('path/to/data/');

    const target = `${prefix}-classic`;
    const prepared = await prepareRestore(engine, {file, volume: target});
    expect(prepared.preview.steps.join('\n')).toMatch(/Strip 3 leading path components \("path\/to\/data\/"\)/);
    const events = await runToEnd(prepared.job, engine);
    expect((events.at(-1) as Extract<JobEvent, {type: 'done'}>).data?.['differences']).toEqual([]);
    const described = (volume: string) => describeVolume(engine, volume).then(text => text.split('\n').filter(line => !line.startsWith('.|')).join('\n'));
    // The classic recipe stores no entry for the volume's root; everything below it must match.
    const [want, have] = [await described(data), await described(target)];
    expect(have.split('\n').slice(2).join('\n')).toBe(want.split('\n').slice(2).join('\n'));
  });

  it('refuses a non-empty volume without --replace, replaces with it, and refuses replacing a volume in use', async () => {
    const volume = `${prefix}-full`;
    await engine.createVolume({name: volume});
    await inVolume(engine, volume, 'echo keep > /v/old');
    const file = path.join(dir, 'new-contents.tar');
    writeFileSync(file, await tarOf([{name: './', type: 'directory', mode: 0o755}, {name: './fresh', body: 'new'}]));

    const refusal = await prepareRestore(engine, {file, volume}).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as Error).message).toMatch(/not empty/);
    expect(await inVolume(engine, volume, 'ls /v')).toBe('old\n');

    // --replace names a volume that must be there: a typo is refused, not made into a new volume.
    const typo = `${volume}-typo`;
    const noSuch = await prepareRestore(engine, {file, volume: typo, isReplace: true}).catch((error: unknown) => error);
    expect(noSuch).toBeInstanceOf(InputError);
    expect((noSuch as Error).message).toBe(`There is no volume ${typo} to replace; nothing was written.`);
    expect((await engine.listVolumes()).some(v => v.name === typo)).toBe(false);

    const user = await runBusybox(engine, `${prefix}-user`, 'exec sleep 100000', {HostConfig: {Binds: [`${volume}:/data`]}});
    await expect(prepareRestore(engine, {file, volume, isReplace: true})).rejects.toThrow(/used by/);
    await engine.removeContainer(user, {force: true});

    const prepared = await prepareRestore(engine, {file, volume, isReplace: true});
    expect(prepared.preview.isDestructive).toBe(true);
    expect(prepared.preview.warnings.join(' ')).toContain(volume);
    await runToEnd(prepared.job, engine);
    expect(await inVolume(engine, volume, 'ls /v; cat /v/fresh')).toBe('fresh\nnew');
  });

  it('a hawser archive with one byte changed inside a file: verify names the file; restore keeps nothing of it', async () => {
    const volume = `${prefix}-flip`;
    await engine.createVolume({name: volume});
    await inVolume(engine, volume, 'echo intact-one > /v/one; printf "marker-%s" two > /v/two; mkdir /v/d; echo three > /v/d/three');
    const file = path.join(dir, 'flip.tar');
    await runToEnd((await prepareBackup(engine, {volumes: [volume], output: file, isGzip: false, policy: 'leave'})).job, engine);
    expect((await verifyArchive(file)).problems).toEqual([]);

    const bytes = readFileSync(file);
    const at = bytes.indexOf('marker-two');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'M'.charCodeAt(0);
    writeFileSync(file, bytes);
    const verification = await verifyArchive(file);
    expect(verification.problems.join('\n')).toMatch(/checksum of the whole differs/);
    expect(verification.problems.join('\n')).toMatch(/two/);
    expect(verification.problems.join('\n')).not.toMatch(/\bone\b|three/);

    // Into a new volume the checksum is read while the archive is written: the restore fails and the volume goes again.
    const before = await volumeNames();
    for (const via of ['auto', 'api'] as const) {
      const prepared = await prepareRestore(engine, {file, volume: `${prefix}-flipped`, via});
      const {events, error: failure} = await runToFailure(prepared.job, engine);
      expect(events.some(event => event.type === 'log' && event.line.includes(via === 'auto' ? 'directly' : 'archive API')), via).toBe(true);
      expect((failure as Error).message, via).toMatch(/does not match its own manifest/);
      expect((failure as {hint?: string}).hint, via).toMatch(/removed again/);
      expect(await volumeNames(), via).toEqual(before);
      expect(await leftoverHelpers(engine, prefix), via).toEqual([]);
    }

    // Into an existing empty volume nothing is written before the checksum is proven.
    const empty = `${prefix}-flip-empty`;
    await engine.createVolume({name: empty});
    const refusal = await prepareRestore(engine, {file, volume: empty}).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as Error).message).toMatch(/does not match its own manifest.*Nothing was written/);
    expect(await inVolume(engine, empty, 'ls -A /v | wc -l')).toBe('0\n');
  });

  it('an archive written to after it was checked is not trusted: the restore fails and the new volume is removed', async () => {
    const volume = `${prefix}-later`;
    await engine.createVolume({name: volume});
    await inVolume(engine, volume, 'echo first > /v/file');
    const file = path.join(dir, 'later.tar');
    await runToEnd((await prepareBackup(engine, {volumes: [volume], output: file, isGzip: false, policy: 'leave'})).job, engine);
    const prepared = await prepareRestore(engine, {file, volume: `${prefix}-later-restored`});
    // Same size, same bytes even: only the write itself (its ctime) tells.
    writeFileSync(file, readFileSync(file));
    const failure = await runToEnd(prepared.job, engine).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/changed after it was checked/);
    expect(await volumeNames()).not.toContain(`${prefix}-later-restored`);
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  });

  it('Ctrl-C while a restore is planned into an existing volume cancels it and removes the helper that looked into it', async () => {
    const volume = `${prefix}-ctrlc`;
    await engine.createVolume({name: volume});
    const file = path.join(dir, 'ctrlc.tar');
    await runToEnd((await prepareBackup(engine, {volumes: [volume], output: file, isGzip: false, policy: 'leave'})).job, engine);
    // Ctrl-C lands as the helper that checks the volume is empty has been made, or as the volume is looked up
    // (whose cancelled answer must not read as "no such volume, make one").
    for (const at of ['createContainer', 'inspectVolume']) {
      const controller = new AbortController();
      const pressingCtrlC = new Proxy(engine, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (key !== at || typeof value !== 'function') {
            return value;
          }

          return async (...args: unknown[]) => {
            // The helper is made, then Ctrl-C; or the lookup is cancelled as it goes out, once the archive is read.
            if (at === 'inspectVolume') {
              await new Promise(resolve => setTimeout(resolve, 300));
              controller.abort();
            }

            const answer = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            await answer.catch(() => undefined);
            controller.abort();
            return answer;
          };
        },
      });
      const failure = await prepareRestore(pressingCtrlC, {file, volume, signal: controller.signal}).catch((error: unknown) => error);
      expect((failure as Error).message, at).toBe('Cancelled.');
      expect(await leftoverHelpers(engine, prefix)).toEqual([]);
      expect(await volumeNames()).toContain(volume);
    }
  });

  it('a volume made by someone else after the restore was planned is refused, left as it is, and not removed', async () => {
    const source = `${prefix}-late-src`;
    await engine.createVolume({name: source});
    await inVolume(engine, source, 'echo archived > /v/file');
    const file = path.join(dir, 'late-src.tar');
    await runToEnd((await prepareBackup(engine, {volumes: [source], output: file, isGzip: false, policy: 'leave'})).job, engine);
    const target = `${prefix}-appeared`;
    const prepared = await prepareRestore(engine, {file, volume: target});
    expect(prepared.preview.steps[0]).toBe(`Create volume ${target}`);
    // While the preview is read, something (compose, another hawser) makes the volume and puts data in it.
    await engine.createVolume({name: target});
    await inVolume(engine, target, 'echo theirs > /v/theirs');
    const failure = await runToEnd(prepared.job, engine).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/created by something else after this restore was planned; nothing was written/);
    expect(await inVolume(engine, target, 'ls -A /v; cat /v/theirs')).toBe('theirs\ntheirs\n');
    expect(await leftoverHelpers(engine, prefix)).toEqual([]);
  });

  it('refuses two volumes into one -o file, and a volume that does not exist', async () => {
    await expect(prepareBackup(engine, {volumes: ['a1', 'b1'], output: path.join(dir, 'one.tar'), isGzip: false, policy: 'leave'})).rejects.toThrow(InputError);
    await expect(prepareBackup(engine, {volumes: [`${prefix}-nope`], isGzip: false, policy: 'leave'})).rejects.toThrow(/no volume named/);
  });
});
