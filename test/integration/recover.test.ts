// hawser killed (SIGKILL) in the middle of a recreate: the journal it left lets `hawser recover` put
// the original back under its name — running, with its restart policy and its data — or finish the
// job. The CLI runs as a child process paused at a chosen step (HAWSER_TEST_PAUSE_AFTER), then killed.
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {helperLabel} from '../../source/jobs/helpers/leftovers.js';
import {currentMode} from '../../source/model/network-modes.js';
import {killHawserAfter} from '../helpers/kill-at-pause.js';
import {dockerHost, noEngine, removeByPrefix, runBusybox, serviceWithData, sh, testEngine, uniqueName} from '../helpers/engine.js';
import {hawserIn} from '../helpers/cli.js';

type Json = Record<string, any>;

const prefix = uniqueName('hwt-rcv');
const stateDir = mkdtempSync(path.join(tmpdir(), 'hawser-journal-'));
const env = {...process.env, HAWSER_STATE_DIR: stateDir, DOCKER_HOST: dockerHost};

/** Runs `hawser netmode NAME MODE --yes` paused after `step`, then kills it with SIGKILL once it says it paused. */
async function killNetmodeAfter(name: string, mode: string, step: string): Promise<void> {
  await killHawserAfter(['netmode', name, mode, '--yes'], step, env);
}

const hawser = hawserIn(env);

describe.skipIf(noEngine)('recover after hawser is killed mid-recreate', () => {
  let engine: EnginePort;

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(stateDir, {recursive: true, force: true});
  });

  async function original(label: string): Promise<{name: string; id: string}> {
    const made = await serviceWithData(engine, `${prefix}-${label}`, `payload-${label}`);
    await sh(engine, made.name, 'echo rootfs > /root/marker');
    return made;
  }

  async function leftovers(name: string): Promise<string[]> {
    const all = await engine.listContainers();
    return all.filter(c => c.name.startsWith(`${name}-hawser-`) || (c.labels[helperLabel] && c.name.startsWith(prefix))).map(c => c.name);
  }

  // After "started" the state is that of "renamed-new" plus the new one running, so that one covers both.
  for (const step of ['created', 'stopped', 'renamed-old', 'started']) {
    it(`rolls back a recreate killed after "${step}": the original runs under its name with its data and restart policy`, async () => {
      const {name, id} = await original(`rb-${step}`);
      await killNetmodeAfter(name, 'host', step);
      expect(readdirSync(path.join(stateDir, 'journal')).filter(f => f.endsWith('.json'))).toHaveLength(1);

      const listed = await hawser(['recover', '--json']);
      expect(listed.code).toBe(0);
      const pending = JSON.parse(listed.stdout.split('\n')[0]!) as Json;
      expect(pending['operations']).toMatchObject([{name, oldId: id, step}]);

      const recovered = await hawser(['recover', '--rollback', '--yes']);
      expect(recovered.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(recovered.code).toBe(0);
      const after = await engine.inspectContainer(name);
      expect(after.id).toBe(id);
      expect(after.isRunning).toBe(true);
      expect(currentMode(after)).toBe('bridge');
      expect((after.raw as Json)['HostConfig']['RestartPolicy']).toEqual({Name: 'unless-stopped', MaximumRetryCount: 0});
      expect(await sh(engine, name, 'cat /data/file /root/marker')).toBe(`payload-rb-${step}\nrootfs\n`);
      expect(await leftovers(name)).toEqual([]);
      expect(readdirSync(path.join(stateDir, 'journal')).filter(f => f.endsWith('.json'))).toEqual([]);
    });
  }

  for (const step of ['stopped', 'renamed-new']) {
    it(`finishes a recreate killed after "${step}": the new container runs in the target mode with the same data`, async () => {
      const {name, id} = await original(`fin-${step}`);
      await killNetmodeAfter(name, 'host', step);
      const recovered = await hawser(['recover', '--finish', '--yes']);
      expect(recovered.code).toBe(0);
      const after = await engine.inspectContainer(name);
      expect(after.id).not.toBe(id);
      expect(after.isRunning).toBe(true);
      expect(currentMode(after)).toBe('host');
      expect((after.raw as Json)['HostConfig']['RestartPolicy']).toEqual({Name: 'unless-stopped', MaximumRetryCount: 0});
      expect(await sh(engine, name, 'cat /data/file')).toBe(`payload-fin-${step}\n`);
      await expect(engine.inspectContainer(id)).rejects.toMatchObject({statusCode: 404});
      expect(await leftovers(name)).toEqual([]);
      expect(readdirSync(path.join(stateDir, 'journal')).filter(f => f.endsWith('.json'))).toEqual([]);
    });
  }

  it('finish re-points a container that shared the original\'s namespace: it runs in the new one\'s', async () => {
    const {name, id} = await original('fin-sharer');
    const sharer = `${name}-sharer`;
    await runBusybox(engine, sharer, 'sleep 100000', {HostConfig: {NetworkMode: `container:${name}`}});
    await killNetmodeAfter(name, 'host', 'started');
    const recovered = await hawser(['recover', '--finish', '--yes']);
    expect(recovered.stderr).not.toMatch(/could not be re-pointed/);
    expect(recovered.code).toBe(0);
    const after = await engine.inspectContainer(name);
    expect(after.id).not.toBe(id);
    expect(currentMode(after)).toBe('host');
    const shared = await engine.inspectContainer(sharer);
    expect(currentMode(shared)).toBe(`container:${after.id}`);
    expect(shared.isRunning).toBe(true);
    expect(readdirSync(path.join(stateDir, 'journal')).filter(f => f.endsWith('.json'))).toEqual([]);
  });

  it('has nothing to do when nothing is pending, and refuses --rollback with --finish', async () => {
    const none = await hawser(['recover', '--rollback', '--yes']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/Nothing to recover/);
    const both = await hawser(['recover', '--rollback', '--finish']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exclude each other/);
  });

  it('finish refuses when the replacement was never created, and rollback then restores', async () => {
    const {name, id} = await original('never');
    // Killed after the journal was written but before the create: simulated by pausing after "created" and removing the new one.
    await killNetmodeAfter(name, 'host', 'created');
    const temporary = (await engine.listContainers()).find(c => c.name.startsWith(`${name}-hawser-new-`));
    expect(temporary).toBeDefined();
    await engine.removeContainer(temporary!.id, {force: true});
    const finish = await hawser(['recover', '--finish', '--yes']);
    expect(finish.code).toBe(1);
    expect(finish.stderr).toMatch(/never created.*\n.*hawser recover --rollback/);
    expect((await engine.inspectContainer(name)).id).toBe(id);
    expect((await hawser(['recover', '--rollback', '--yes'])).code).toBe(0);
    const after = await engine.inspectContainer(name);
    expect(after.id).toBe(id);
    expect(after.isRunning).toBe(true);
  });

  it('removes the unfinished archive of a backup killed while writing it, and nothing a user made beside it', async () => {
    const volume = `${prefix}-backed-up`;
    await engine.createVolume({name: volume});
    const out = mkdtempSync(path.join(tmpdir(), 'hawser-partial-'));
    try {
      await killHawserAfter(['backup', volume, '-o', `${out}/`, '--via-api', '--yes'], 'backup-writing', env);
      const [partial] = readdirSync(out);
      expect(partial).toMatch(/^\..+\.tar\.partial-[0-9a-f]{8}$/);
      // The user's files beside it, one of them named like a temporary archive but in no journal.
      writeFileSync(path.join(out, 'notes.txt'), 'mine');
      writeFileSync(path.join(out, '.old.tar.partial-deadbeef'), 'also mine');
      const listed = await hawser(['recover']);
      expect(listed.stderr).toContain(`• ${path.join(out, partial!)} is the unfinished archive of a backup whose hawser is gone.`);
      const recovered = await hawser(['recover', '--yes']);
      expect(recovered.code).toBe(0);
      expect(recovered.stderr).toContain(`Removing ${path.join(out, partial!)}, the unfinished archive of an interrupted backup`);
      expect(readdirSync(out).sort()).toEqual(['.old.tar.partial-deadbeef', 'notes.txt']);
      expect((await hawser(['recover'])).stderr).toContain('Nothing to recover');
    } finally {
      rmSync(out, {recursive: true, force: true});
    }
  });
});
