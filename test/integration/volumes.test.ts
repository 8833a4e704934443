// Volume management on the isolated engine (#24): create with a driver's options and labels, read back;
// remove refused while a container (stopped too) mounts the volume; prune lists what goes and the bytes,
// anonymous volumes only unless asked for all, and removes exactly that.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {InputError, runToEnd} from '../../source/jobs/job.js';
import {prepareCreateVolume} from '../../source/jobs/volumes/create.js';
import {preparePruneVolumes, prepareRemoveVolume} from '../../source/jobs/volumes/remove.js';
import {hawserIn} from '../helpers/cli.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

describe.skipIf(noEngine)('volume management', () => {
  const prefix = uniqueName('hwt-vol');
  let engine: EnginePort;

  beforeAll(async () => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    for (const volume of await engine.listVolumes()) {
      if (volume.name.startsWith(prefix) || volume.labels[testLabel]) {
        await engine.removeVolume(volume.name).catch(() => undefined);
      }
    }
  });

  it('creates a tmpfs volume through the local driver, with labels, and a container sees the mount', async () => {
    const name = `${prefix}-tmp`;
    const prepared = await prepareCreateVolume(engine, {name, options: {type: 'tmpfs', device: 'tmpfs', o: 'size=16m,uid=1000'}, labels: {[testLabel]: '1', tier: 'cache'}});
    expect(prepared.preview.steps.join()).toContain('option o=size=16m,uid=1000');
    const events = await runToEnd(prepared.job, engine);
    expect(events.at(-1)).toMatchObject({type: 'done', summary: `Created volume ${name} (local).`});
    const found = await engine.inspectVolume(name);
    expect(found.options).toEqual({type: 'tmpfs', device: 'tmpfs', o: 'size=16m,uid=1000'});
    expect(found.labels).toEqual({[testLabel]: '1', tier: 'cache'});
    // The options are real: a container mounting it gets a 16 MiB tmpfs.
    const id = await runBusybox(engine, `${prefix}-tmp-user`, 'exec sleep 1000', {HostConfig: {Binds: [`${name}:/cache`]}});
    const stdout = await sh(engine, id, 'grep " /cache " /proc/mounts');
    expect(stdout).toMatch(/^tmpfs \/cache tmpfs .*size=16384k/m);
  });

  it.each([
    ['a bad name', {name: '-x'}, /not a volume name/],
    ['a one-letter name', {name: 'a'}, /not a volume name/],
    ['a taken name', {name: 'TAKEN'}, /exists already/],
  ])('refuses %s before anything is made', async (_what, input, message) => {
    const name = input.name === 'TAKEN' ? `${prefix}-tmp` : input.name;
    const before = (await engine.listVolumes()).length;
    await expect(prepareCreateVolume(engine, {name})).rejects.toThrow(message);
    await expect(prepareCreateVolume(engine, {name})).rejects.toBeInstanceOf(InputError);
    expect((await engine.listVolumes()).length).toBe(before);
  });

  it('refuses to remove a volume a stopped container mounts, naming it, then removes it once it is free', async () => {
    const name = `${prefix}-data`;
    await engine.createVolume({name, labels: {[testLabel]: '1'}});
    const id = await runBusybox(engine, `${prefix}-data-user`, 'exit 0', {HostConfig: {Binds: [`${name}:/data`]}});
    await engine.stopContainer(id).catch(() => undefined);
    await expect(prepareRemoveVolume(engine, {volume: name})).rejects.toThrow(new RegExp(`in use by ${prefix}-data-user \\(stopped\\)`));
    expect((await engine.listVolumes()).map(v => v.name)).toContain(name);
    await engine.removeContainer(id, {force: true});
    const prepared = await prepareRemoveVolume(engine, {volume: name});
    expect(prepared.preview.isDestructive).toBe(true);
    const events = await runToEnd(prepared.job, engine);
    expect(events.at(-1)).toMatchObject({type: 'done', data: {removed: [name]}});
    expect((await engine.listVolumes()).map(v => v.name)).not.toContain(name);
  });

  it('prunes unused anonymous volumes by default, named ones too when asked, with the bytes freed, and keeps used ones', async () => {
    // An anonymous volume with data (its container removed, the volume kept), one in use, and a named unused
    // one. Each carries this test's label and the prunes are kept to it: other tests share the engine.
    const mine = {'hwt-prune': prefix};
    const label = `hwt-prune=${prefix}`;
    const loose = await runBusybox(engine, `${prefix}-anon`, 'dd if=/dev/zero of=/data/blob bs=1024 count=300 2>/dev/null; sleep 1000', {HostConfig: {Mounts: [{Type: 'volume', Target: '/data', VolumeOptions: {Labels: mine}}]}} as never);
    const anonymous = (await engine.inspectContainer(loose)).mounts.find(m => m.destination === '/data')!.name!;
    await new Promise(resolve => setTimeout(resolve, 500));
    await engine.removeContainer(loose, {force: true});
    const named = `${prefix}-unused`;
    await engine.createVolume({name: named, labels: {[testLabel]: '1', ...mine}});
    const kept = `${prefix}-kept`;
    await engine.createVolume({name: kept, labels: {[testLabel]: '1', ...mine}});
    await runBusybox(engine, `${prefix}-kept-user`, 'exec sleep 1000', {HostConfig: {Binds: [`${kept}:/data`]}});

    const anonymousOnly = await preparePruneVolumes(engine, {label});
    expect(anonymousOnly.volumes).toContain(anonymous);
    expect(anonymousOnly.volumes).not.toContain(named);
    expect(anonymousOnly.volumes).not.toContain(kept);
    expect(anonymousOnly.preview.title).toMatch(/freeing \d+(\.\d+)? kB/);
    expect(anonymousOnly.volumes).toEqual([anonymous]);
    const events = await runToEnd(anonymousOnly.job, engine);
    const done = events.at(-1) as unknown as {type: 'done'; data: {removed: string[]; freedBytes: number}};
    expect(done.data.removed).toContain(anonymous);
    expect(done.data.freedBytes).toBeGreaterThanOrEqual(300 * 1024);
    const after = (await engine.listVolumes()).map(v => v.name);
    expect(after).not.toContain(anonymous);
    expect(after).toContain(named);
    expect(after).toContain(kept);

    const all = await preparePruneVolumes(engine, {isAll: true, label});
    expect(all.volumes).toContain(named);
    expect(all.volumes).not.toContain(kept);
    await runToEnd(all.job, engine);
    const last = (await engine.listVolumes()).map(v => v.name);
    expect(last).not.toContain(named);
    expect(last).toContain(kept);
  });

  it('does the same from the command line: create with options read back, rm refused while in use (exit 2, nothing removed), prune with --label', async () => {
    const hawser = hawserIn({...process.env, DOCKER_HOST: dockerHost});
    const name = `${prefix}-cli`;
    const created = await hawser(['volume', 'create', name, '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=8m,mode=1777', '--label', `${testLabel}=1`, '--label', `hwt-cli=${prefix}`, '--yes', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const done = created.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; data?: {options: Record<string, string>}}).find(record => record.type === 'done');
    expect(done?.data?.options).toEqual({type: 'tmpfs', device: 'tmpfs', o: 'size=8m,mode=1777'});
    expect((await engine.inspectVolume(name)).options).toEqual({type: 'tmpfs', device: 'tmpfs', o: 'size=8m,mode=1777'});

    const user = await runBusybox(engine, `${prefix}-cli-user`, 'exec sleep 1000', {HostConfig: {Binds: [`${name}:/v`]}});
    const refused = await hawser(['volume', 'rm', name, '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${name} is in use by ${prefix}-cli-user`);
    expect((await engine.listVolumes()).map(v => v.name)).toContain(name);

    await engine.removeContainer(user, {force: true});
    const pruned = await hawser(['volume', 'prune', '--all', '--label', `hwt-cli=${prefix}`, '--yes']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`Removed 1 volume`);
    expect((await engine.listVolumes()).map(v => v.name)).not.toContain(name);
    const again = await hawser(['volume', 'prune', '--all', '--label', `hwt-cli=${prefix}`, '--yes']);
    expect(again.stdout).toContain('No unused volumes.');
  });
});
