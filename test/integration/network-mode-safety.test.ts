// The switch's safety net: rollback leaves the original exactly as it was, dependants follow the
// recreated container, none → network goes live, and a stopped container stays stopped.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {lifecycleForm} from '../../source/jobs/container-lifecycle.js';
import {InputError, JobError, runToEnd} from '../../source/jobs/job.js';
import {prepareUnlink} from '../../source/jobs/links/unlink.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {validTargets} from '../../source/jobs/network-mode/targets.js';
import {currentMode} from '../../source/model/network-modes.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';
import {noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

type Json = Record<string, any>;

const fast = {settleMs: 800};

describe.skipIf(noEngine)('network mode switch safety', () => {
  const prefix = uniqueName('hwt-nms');
  let engine: EnginePort;

  beforeAll(() => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
  });

  it('back from host when the network it remembers is gone: named as lost in the preview, nothing stopped for it, and on bridge after', async () => {
    const network = `${prefix}-gone`;
    const name = `${prefix}-back`;
    await engine.createNetwork({name: network, driver: 'bridge'});
    await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: 'bridge'}});
    await engine.connectNetwork(network, name, {aliases: ['gone-alias']});
    await runToEnd((await prepareNetworkModeSwitch(engine, name, 'host', fast)).job, engine);
    await engine.removeNetwork(network);

    const prepared = await prepareNetworkModeSwitch(engine, name, 'bridge', fast);
    expect(prepared.preview.warnings.join('\n')).toMatch(new RegExp(`Lost: network ${network} \\(aliases gone-alias\\): it was removed meanwhile`));
    await runToEnd(prepared.job, engine);
    const after = await engine.inspectContainer(name);
    expect(currentMode(after)).toBe('bridge');
    expect(after.isRunning).toBe(true);
    expect(after.networks.map(n => n.name)).toEqual(['bridge']);
  });

  it('rolls back when the new container cannot start: the original runs on, with its name and restart policy', async () => {
    const name = `${prefix}-rb`;
    const port = String(30_000 + Math.floor(Math.random() * 10_000));
    await runBusybox(engine, name, 'sleep 100000', {ExposedPorts: {'80/tcp': {}}, HostConfig: {PortBindings: {'80/tcp': [{HostPort: port}]}, RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0}}});
    await runToEnd((await prepareNetworkModeSwitch(engine, name, 'host', fast)).job, engine);
    const original = await engine.inspectContainer(name);
    expect(currentMode(original)).toBe('host');
    // Another container takes the port the stash would give back.
    await runBusybox(engine, `${prefix}-taker`, 'sleep 100000', {ExposedPorts: {'80/tcp': {}}, HostConfig: {PortBindings: {'80/tcp': [{HostPort: port}]}}});

    const prepared = await prepareNetworkModeSwitch(engine, name, 'bridge', fast);
    expect(prepared.summary.restored.join()).toContain(`published ports ${port}→80/tcp`);
    const failure = await runToEnd(prepared.job, engine).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(JobError);
    expect(String((failure as JobError).hint)).toContain('put back');

    const after = await engine.inspectContainer(name);
    expect(after.id).toBe(original.id);
    expect(after.isRunning).toBe(true);
    expect(currentMode(after)).toBe('host');
    expect((after.raw as Json)['HostConfig']['RestartPolicy']).toEqual({Name: 'unless-stopped', MaximumRetryCount: 0});
    expect(after.labels).toEqual(original.labels);
    const leftovers = (await engine.listContainers()).filter(c => c.name.startsWith(`${name}-hawser`));
    expect(leftovers).toEqual([]);
  });

  it('refuses to recreate a legacy link source off the bridge (its linker would name a removed container), and re-points containers sharing its namespace', async () => {
    const source = `${prefix}-src`;
    const sourceId = await runBusybox(engine, source, 'sleep 100000');
    const childName = `${prefix}-child`;
    await runBusybox(engine, childName, 'sleep 100000', {HostConfig: {NetworkMode: `container:${sourceId}`}});
    const linkerName = `${prefix}-linker`;
    const linkerId = await runBusybox(engine, linkerName, 'sleep 100000', {HostConfig: {Links: [`${source}:db`]}});
    const interfaces = async (container: string) => sh(engine, container, 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | sort');

    for (const mode of ['host', 'none']) {
      const refusal = await prepareNetworkModeSwitch(engine, source, mode, fast).then(() => undefined, (error: unknown) => error);
      expect(refusal).toBeInstanceOf(InputError);
      expect((refusal as InputError).message).toContain(`${linkerName} (as db) links to ${source} with a legacy link`);
      expect((refusal as InputError).hint).toContain(`hawser unlink ${linkerName} db`);
    }

    // Nothing changed: the same source, the linker still resolves it and runs.
    expect((await engine.inspectContainer(source)).id).toBe(sourceId);
    expect((await engine.inspectContainer(linkerName)).id).toBe(linkerId);
    expect(await sh(engine, linkerName, 'grep -c -w db /etc/hosts')).toBe('1\n');

    // With the link gone (the hint's command), the switch goes ahead and the namespace sharer follows.
    await runToEnd((await prepareUnlink(engine, linkerName, 'db', fast)).job, engine);
    const toHost = await prepareNetworkModeSwitch(engine, source, 'host', fast);
    expect(toHost.summary.dependants.map(d => `${d.name}:${d.kind}`)).toEqual([`${childName}:namespace`]);
    await runToEnd(toHost.job, engine);
    const hostSource = await engine.inspectContainer(source);
    let child = await engine.inspectContainer(childName);
    expect(child.networkMode).toBe(`container:${hostSource.id}`);
    expect(child.isRunning).toBe(true);
    expect(await interfaces(childName)).toBe(await interfaces(source));

    await runToEnd((await prepareNetworkModeSwitch(engine, source, 'bridge', fast)).job, engine);
    const bridgeSource = await engine.inspectContainer(source);
    child = await engine.inspectContainer(childName);
    expect(child.networkMode).toBe(`container:${bridgeSource.id}`);
    expect(await interfaces(childName)).toBe(await interfaces(source));
  });

  it('asks first when a live switch leaves a linker unable to start, which it is until the source is back on bridge', async () => {
    const network = `${prefix}-lnet`;
    await engine.createNetwork({name: network, driver: 'bridge', labels: {[testLabel]: '1'}});
    const source = `${prefix}-lsrc`;
    await runBusybox(engine, source, 'sleep 100000');
    const linkerName = `${prefix}-llinker`;
    await runBusybox(engine, linkerName, 'sleep 100000', {HostConfig: {Links: [`${source}:db`]}});

    const prepared = await prepareNetworkModeSwitch(engine, source, network, fast);
    expect(prepared.summary.method).toBe('live');
    expect(prepared.preview.isDestructive).toBe(true);
    expect(prepared.preview.warnings.join('\n')).toContain(`${linkerName} cannot start again (after a stop or restart) until ${source} is back on bridge`);
    await runToEnd(prepared.job, engine);
    // What the warning says: the engine refuses to start the linker now, and hawser's restart says what to do.
    const restart = await runToEnd((await lifecycleForm(linkerName, 'restart').prepare(engine, {})).job, engine).then(() => undefined, (error: unknown) => error);
    expect(restart).toBeInstanceOf(JobError);
    expect((restart as JobError).message).toContain(`the engine cannot make its legacy link to ${source}`);
    // The link's alias names it for unlink (Engine 28 names the source by id only; hawser by name and alias).
    expect((restart as JobError).hint).toContain(`hawser unlink ${linkerName} db`);
    expect((await engine.inspectContainer(linkerName)).isRunning).toBe(false);

    await runToEnd((await prepareNetworkModeSwitch(engine, source, 'bridge', fast)).job, engine);
    await engine.startContainer(linkerName);
    expect((await engine.inspectContainer(linkerName)).isRunning).toBe(true);
  });

  it('switches a none-mode container to a network live, and lists the valid targets', async () => {
    const network = `${prefix}-net`;
    await engine.createNetwork({name: network, driver: 'bridge', labels: {[testLabel]: '1'}});
    const name = `${prefix}-none`;
    const id = await runBusybox(engine, name, 'sleep 100000', {HostConfig: {NetworkMode: 'none'}});
    const targets = await validTargets(engine, name);
    expect(targets.map(t => t.value)).toEqual(expect.arrayContaining(['bridge', network, 'host']));
    expect(targets.map(t => t.value)).not.toContain('none');
    expect(targets.find(t => t.value === network)?.hint).toBe('live');
    expect(targets.find(t => t.value === 'host')?.hint).toBe('recreate');

    const prepared = await prepareNetworkModeSwitch(engine, name, network, fast);
    expect(prepared.summary.method).toBe('live');
    await runToEnd(prepared.job, engine);
    const after = await engine.inspectContainer(name);
    expect(after.id).toBe(id);
    expect(after.networks.map(n => n.name)).toEqual([network]);
    expect(currentMode(after)).toBe(network);
  });

  it('keeps a stopped container stopped, and refuses nonsense before changing anything', async () => {
    const name = `${prefix}-stopped`;
    const {id} = await engine.createContainer({name, Image: busyboxImage, Cmd: ['sleep', '1000'], Labels: {[testLabel]: '1'}});
    await expect(prepareNetworkModeSwitch(engine, name, 'no-such-network')).rejects.toThrow(/No network or mode named/);
    await expect(prepareNetworkModeSwitch(engine, name, 'bridge')).rejects.toThrow(/already in bridge/);
    await expect(prepareNetworkModeSwitch(engine, name, `container:${name}`)).rejects.toThrow(/own network namespace/);
    expect((await engine.inspectContainer(name)).id).toBe(id);
    // A live switch of a container that never ran tells of no connections dropping and no running on.
    const toNetwork = await prepareNetworkModeSwitch(engine, name, `${prefix}-lnet`, fast);
    expect(toNetwork.summary.method).toBe('live');
    expect(toNetwork.preview.warnings.join('\n')).not.toContain('keeps running');

    await runToEnd((await prepareNetworkModeSwitch(engine, name, 'host', fast)).job, engine);
    const after = await engine.inspectContainer(name);
    expect(after.isRunning).toBe(false);
    expect(currentMode(after)).toBe('host');
  });
});
