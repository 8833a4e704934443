// What `hawser ls containers` says in its NET MODE column after real engine actions, in the three
// cases the list's HostConfig.NetworkMode and attached networks alone got wrong: the configured network
// attached again beside the one a live switch marked; a live switch to a network the container was
// already on (beside others); and a container created with `--network <id or id prefix>`.
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {runToEnd} from '../../source/jobs/job.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {currentMode, primaryMarker} from '../../source/model/network-modes.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {dockerHost, engineMajor, noEngine, removeByPrefix, runBusybox, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

const run = promisify(execFile);
const cli = path.resolve('dist/cli.js');

describe.skipIf(noEngine)('NET MODE in hawser ls after real engine actions', () => {
  const prefix = uniqueName('hwt-nmls');
  // Named so that the first attached network by name (the list's last guess) is never the right answer.
  const aSide = `${prefix}-a-side`;
  const mConf = `${prefix}-m-conf`;
  const zTarget = `${prefix}-z-target`;
  const dir = mkdtempSync(path.join(tmpdir(), 'hawser-nmls-'));
  const env = {...process.env, DOCKER_HOST: dockerHost, HAWSER_STATE_DIR: path.join(dir, 'state')};
  let engine: EnginePort;
  let confId = '';

  const docker = async (...args: string[]) => (await run('docker', ['-H', dockerHost, ...args])).stdout.trim();

  /** The NET MODE cell of each container of this suite, as `hawser ls containers` prints it. */
  async function lsModes(): Promise<Map<string, string>> {
    const {stdout} = await run('node', [cli, 'ls', 'containers'], {env});
    const [header = '', ...rows] = stdout.split('\n');
    const start = header.indexOf('NET MODE');
    const end = header.indexOf('NETWORKS');
    expect(start).toBeGreaterThan(0);
    return new Map(rows.filter(row => row.startsWith(prefix)).map(row => [row.split(' ')[0]!, row.slice(start, end).trim()]));
  }

  async function lsMode(name: string): Promise<string | undefined> {
    return (await lsModes()).get(name);
  }

  async function switchLive(name: string, mode: string): Promise<readonly string[]> {
    const prepared = await prepareNetworkModeSwitch(engine, name, mode);
    expect(prepared.summary.method).toBe('live');
    expect((await runToEnd(prepared.job, engine)).at(-1)?.type).toBe('done');
    return prepared.preview.steps;
  }

  async function marked(name: string): Promise<string[]> {
    const details = await engine.inspectContainer(name);
    const networks = (details.raw['NetworkSettings'] as {Networks: Record<string, {DriverOpts?: Record<string, string> | null}>}).Networks;
    return Object.entries(networks).filter(([, endpoint]) => endpoint.DriverOpts?.[primaryMarker]).map(([network]) => network);
  }

  beforeAll(async () => {
    engine = testEngine();
    for (const name of [aSide, zTarget]) {
      await engine.createNetwork({name, driver: 'bridge', labels: {[testLabel]: '1'}});
    }

    confId = (await engine.createNetwork({name: mConf, driver: 'bridge', labels: {[testLabel]: '1'}})).id;
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    rmSync(dir, {recursive: true, force: true});
  });

  it('shows the marked network when the configured network is attached again beside it', async () => {
    const name = `${prefix}-back`;
    await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: mConf}});
    expect(await lsMode(name)).toBe(mConf);
    await switchLive(name, zTarget);
    expect(await marked(name)).toEqual([zTarget]);
    expect(await lsMode(name)).toBe(zTarget);

    // The configured network put back beside the marked one, as `docker network connect` does it.
    await docker('network', 'connect', mConf, name);
    const row = (await engine.listContainers()).find(c => c.name === name)!;
    expect(row.networkMode).toBe(mConf);
    expect(row.networks.map(n => n.name).sort()).toEqual([mConf, zTarget]);
    expect(currentMode(await engine.inspectContainer(name))).toBe(zTarget);
    expect(await lsMode(name)).toBe(zTarget);

    // Switching back to the configured network drops the marked one and its marker.
    await switchLive(name, mConf);
    expect(await lsMode(name)).toBe(mConf);
  });

  it('marks a network the container was already attached to, beside others, when a live switch makes it the main one', async () => {
    const name = `${prefix}-already`;
    const id = await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: 'bridge'}});
    await docker('network', 'connect', aSide, name);
    await docker('network', 'connect', '--alias', 'keepme', zTarget, name);
    expect(await lsMode(name)).toBe('bridge');

    const steps = await switchLive(name, zTarget);
    expect(await lsMode(name)).toBe(zTarget);
    const details = await engine.inspectContainer(name);
    expect(details.networks.map(n => n.name).sort()).toEqual([aSide, zTarget]);
    expect(currentMode(details)).toBe(zTarget);
    expect(await marked(name)).toEqual([zTarget]);
    // Marked by reconnecting it (endpoint options are set at connect only), with its alias there kept.
    expect(steps).toContain(`Reconnect it to ${zTarget}, marked as its main network (its NetworkMode cannot change live), keeping its alias keepme`);
    expect(details.networks.find(n => n.name === zTarget)?.aliases).toContain('keepme');

    // To a network beside the marked one: the marker moves with the main network.
    await switchLive(name, aSide);
    expect(await marked(name)).toEqual([aSide]);
    expect(await lsMode(name)).toBe(aSide);

    // Back to bridge (connected again: NetworkMode names it, no marker needed).
    await switchLive(name, 'bridge');
    expect(await marked(name)).toEqual([]);
    expect(await lsMode(name)).toBe('bridge');
    expect((await engine.inspectContainer(id)).networks.map(n => n.name)).toEqual(['bridge']);
  });

  it('names the network of a container created with --network <id> or an id prefix', async () => {
    const full = `${prefix}-idfull`;
    const short = `${prefix}-idshort`;
    const created = `${prefix}-idcreated`;
    const keyed = `${prefix}-idkeyed`;
    await docker('run', '-d', '--name', full, '--label', `${testLabel}=1`, '--network', confId, busyboxImage, 'sleep', '100000');
    await docker('run', '-d', '--name', short, '--label', `${testLabel}=1`, '--network', confId.slice(0, 10), busyboxImage, 'sleep', '100000');
    await docker('create', '--name', created, '--label', `${testLabel}=1`, '--network', confId.slice(0, 10), busyboxImage, 'sleep', '100000');
    // Through the API with the endpoint keyed by the prefix too: the engine keys the network by it until the first start.
    await engine.createContainer({
      name: keyed, Image: busyboxImage, Cmd: ['sleep', '100000'], Labels: {[testLabel]: '1'},
      HostConfig: {NetworkMode: confId.slice(0, 8)}, NetworkingConfig: {EndpointsConfig: {[confId.slice(0, 8)]: {}}},
    });
    for (const name of [full, short, created]) {
      await docker('network', 'connect', aSide, name);
    }

    const rows = (await engine.listContainers()).filter(c => c.name.startsWith(prefix));
    // From Engine 26.1 the engine rewrites an id prefix to the full id when the container starts.
    expect(rows.find(c => c.name === short)?.networkMode).toBe(engineMajor >= 26 ? confId : confId.slice(0, 10));
    expect(rows.find(c => c.name === keyed)?.networks.map(n => n.name)).toEqual([confId.slice(0, 8)]);
    const modes = await lsModes();
    expect(Object.fromEntries([full, short, created, keyed].map(name => [name, modes.get(name)]))).toEqual({[full]: mConf, [short]: mConf, [created]: mConf, [keyed]: mConf});
    expect(currentMode(await engine.inspectContainer(short))).toBe(mConf);

    // A switch starts from the network it is really on: to the side network, then back by name.
    await switchLive(short, aSide);
    expect(await lsMode(short)).toBe(aSide);
    await switchLive(short, mConf);
    expect(await lsMode(short)).toBe(mConf);
    expect((await engine.inspectContainer(short)).networks.map(n => n.name)).toEqual([mConf]);
    await expect(prepareNetworkModeSwitch(engine, full, mConf)).rejects.toThrow(/already in/);
  });
  it('switches a container whose own network was removed (detached from all) by a recreate, so it can start again', async () => {
    const gone = `${prefix}-gone`;
    const name = `${prefix}-orphan`;
    await engine.createNetwork({name: gone, driver: 'bridge', labels: {[testLabel]: '1'}});
    await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: gone}});
    await docker('network', 'disconnect', gone, name);
    await docker('network', 'rm', gone);
    expect(await lsMode(name)).toBe('none');
    const prepared = await prepareNetworkModeSwitch(engine, name, 'bridge');
    // Live, it would keep a NetworkMode naming a network that no longer exists: it could not start again.
    expect(prepared.summary.method).toBe('recreate');
    expect(prepared.preview.steps.join('\n')).not.toContain('Disconnect it from none');
    expect((await runToEnd(prepared.job, engine)).at(-1)?.type).toBe('done');
    const after = await engine.inspectContainer(name);
    expect((after.raw['HostConfig'] as {NetworkMode: string}).NetworkMode).toBe('bridge');
    expect(after.isRunning).toBe(true);
    expect(await lsMode(name)).toBe('bridge');
    // And it starts again after a stop.
    await docker('restart', '-t', '0', name);
    expect((await engine.inspectContainer(name)).isRunning).toBe(true);
  });
  it('switches live out of no network at all (disconnected from its own, which still exists): nothing to leave', async () => {
    const name = `${prefix}-detached`;
    await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: aSide}});
    await docker('network', 'disconnect', aSide, name);
    expect(await lsMode(name)).toBe('none');
    const steps = await switchLive(name, zTarget);
    expect(steps.join('\n')).not.toMatch(/Disconnect it from/);
    expect((await engine.inspectContainer(name)).networks.map(n => n.name)).toEqual([zTarget]);
    expect(await lsMode(name)).toBe(zTarget);
  });
});
