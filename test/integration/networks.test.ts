// Network management on the isolated engine: create refuses bad input before the engine is asked
// (and creates nothing), connect gives aliases that resolve and static addresses, remove and prune
// say what they touch.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {InputError, JobError, runToEnd} from '../../source/jobs/job.js';
import {prepareConnect, prepareDisconnect} from '../../source/jobs/networks/attach.js';
import {prepareCreateNetwork} from '../../source/jobs/networks/create.js';
import {preparePruneNetworks, prepareRemoveNetwork} from '../../source/jobs/networks/remove.js';
import {noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';
import {busyboxImage} from '../../source/sandbox/test-image.js';

describe.skipIf(noEngine)('network management', () => {
  const prefix = uniqueName('hwt-net');
  const net = `${prefix}-app`;
  let engine: EnginePort;

  beforeAll(async () => {
    engine = testEngine();
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
  });

  it('creates a network with subnet, gateway, IP range, labels and internal', async () => {
    const prepared = await prepareCreateNetwork(engine, {name: net, subnet: '10.233.8.0/24', gateway: '10.233.8.254', ipRange: '10.233.8.128/25', isInternal: true, labels: {[testLabel]: '1', tier: 'app'}});
    expect(prepared.preview.steps.join()).toContain('subnet 10.233.8.0/24');
    await runToEnd(prepared.job, engine);
    const created = (await engine.listNetworks()).find(n => n.name === net);
    expect(created?.ipam).toEqual([{subnet: '10.233.8.0/24', gateway: '10.233.8.254', ipRange: '10.233.8.128/25'}]);
    expect(created?.isInternal).toBe(true);
    expect(created?.labels).toEqual({[testLabel]: '1', tier: 'app'});
  });

  it.each([
    ['a bad name', {name: '-bad'}, /starts with a letter or digit/],
    ['a built-in name', {name: 'host'}, /built-in/],
    ['a taken name', {name: 'bridge-taken', isTaken: true}, /exists already/],
    ['a CIDR that is not one', {subnet: '10.1.2/24'}, /not IPv4 CIDR/],
    ['host bits set', {subnet: '10.234.9.1/24'}, /did you mean 10\.234\.9\.0\/24/],
    ['a gateway outside the subnet', {subnet: '10.234.9.0/24', gateway: '10.234.10.1'}, /not a usable address inside/],
    ['an IP range outside the subnet', {subnet: '10.234.9.0/24', ipRange: '10.234.10.0/25'}, /not inside the subnet/],
    ['a gateway without a subnet', {gateway: '10.234.9.1'}, /needs a subnet/],
    ['an overlapping subnet', {subnet: '10.233.0.0/16'}, /overlaps network .*-app/],
    ['overlay without a swarm', {driver: 'overlay'}, /not a swarm manager/],
    ['an unknown driver', {driver: 'weave'}, /Unknown driver/],
  ])('refuses %s and creates nothing', async (_what, input: Record<string, unknown>, message) => {
    const before = (await engine.listNetworks()).length;
    const name = input['isTaken'] ? net : String(input['name'] ?? `${prefix}-bad`);
    const failure = await prepareCreateNetwork(engine, {...input, name}).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toMatch(message);
    if (String(message).includes('overlaps')) {
      expect((failure as InputError).hint).toMatch(/^\d+\.\d+\.\d+\.\d+\/16 is free on this engine/);
    }

    expect((await engine.listNetworks()).length).toBe(before);
  });

  it('connects with an alias and a static address; the alias resolves from another container', async () => {
    const web = `${prefix}-web`;
    const client = `${prefix}-client`;
    await runBusybox(engine, web, 'sleep 100000');
    await runBusybox(engine, client, 'sleep 100000', {HostConfig: {NetworkMode: net}});
    await expect(prepareConnect(engine, {network: net, container: web, ipv4: '10.233.9.5'})).rejects.toThrow(/not inside .*10\.233\.8\.0\/24/);
    await expect(prepareConnect(engine, {network: net, container: web, ipv4: '10.233.8.254'})).rejects.toThrow(/gateway/);
    await expect(prepareConnect(engine, {network: 'bridge', container: client, aliases: ['x1']})).rejects.toThrow(/default bridge takes neither/);

    await runToEnd((await prepareConnect(engine, {network: net, container: web, aliases: ['web-alias'], ipv4: '10.233.8.77'})).job, engine);
    const attached = (await engine.inspectContainer(web)).networks.find(n => n.name === net);
    expect(attached?.ipv4).toBe('10.233.8.77');
    expect(attached?.aliases).toContain('web-alias');
    expect(await sh(engine, client, 'nslookup web-alias')).toMatch(/10\.233\.8\.77/);
    await expect(prepareConnect(engine, {network: net, container: client, ipv4: '10.233.8.77'})).rejects.toThrow(/already connected/);

    await runToEnd((await prepareDisconnect(engine, {network: net, container: web})).job, engine);
    expect((await engine.inspectContainer(web)).networks.map(n => n.name)).toEqual(['bridge']);
  });

  it('connects a none-mode container (what pipework was for): it leaves none and gets its address', async () => {
    const lonely = `${prefix}-lonely`;
    await runBusybox(engine, lonely, 'sleep 100000', {HostConfig: {NetworkMode: 'none'}});
    const prepared = await prepareConnect(engine, {network: net, container: lonely, ipv4: '10.233.8.200'});
    expect(prepared.preview.steps[0]).toContain('from none');
    await runToEnd(prepared.job, engine);
    const after = await engine.inspectContainer(lonely);
    expect(after.networks.map(n => `${n.name}=${n.ipv4}`)).toEqual([`${net}=10.233.8.200`]);
    expect(await sh(engine, lonely, 'ip -4 addr show eth0')).toContain('10.233.8.200');
  });

  it('refuses to remove built-ins with why, names attached containers, and disconnects them first when asked', async () => {
    await expect(prepareRemoveNetwork(engine, {network: 'bridge'})).rejects.toThrow(/cannot be removed/);
    const builtin = await prepareRemoveNetwork(engine, {network: 'none'}).then(() => expect.unreachable('removing none was not refused'), (error: unknown) => error as InputError);
    expect(builtin.hint).toContain('built into the engine');
    const refused = await prepareRemoveNetwork(engine, {network: net}).then(() => expect.unreachable('removing a network in use was not refused'), (error: unknown) => error as InputError);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused.message).toContain(`${prefix}-client`);
    expect(refused.message).toContain(`${prefix}-lonely`);
    expect((await engine.listNetworks()).some(n => n.name === net)).toBe(true);

    const prepared = await prepareRemoveNetwork(engine, {network: net, disconnectFirst: true});
    expect(prepared.preview.steps.join('\n')).toContain(`Disconnect ${prefix}-client`);
    await runToEnd(prepared.job, engine);
    expect((await engine.listNetworks()).some(n => n.name === net)).toBe(false);
    expect((await engine.inspectContainer(`${prefix}-client`)).isRunning).toBe(true);
  });

  it('prune lists the unused networks first and removes exactly those', async () => {
    const pruneLabel = `io.hawser.test.prune=${prefix}`;
    const unused = `${prefix}-unused`;
    const used = `${prefix}-used`;
    await engine.createNetwork({name: unused, driver: 'bridge', labels: {[testLabel]: '1', 'io.hawser.test.prune': prefix}});
    await engine.createNetwork({name: used, driver: 'bridge', labels: {[testLabel]: '1', 'io.hawser.test.prune': prefix}});
    await runBusybox(engine, `${prefix}-user`, 'sleep 100000', {HostConfig: {NetworkMode: used}});
    const prepared = await preparePruneNetworks(engine, {label: pruneLabel});
    expect(prepared.networks).toEqual([unused]);
    expect(prepared.preview.steps).toEqual([expect.stringContaining(`Remove ${unused}`)]);
    await runToEnd(prepared.job, engine);
    const names = (await engine.listNetworks()).map(n => n.name);
    expect(names).not.toContain(unused);
    expect(names).toContain(used);
  });

  it('counts stopped and never-started containers as attached: remove names them, prune keeps their networks', async () => {
    const pruneLabel = `io.hawser.test.prune=${prefix}-stopped`;
    const labels = {[testLabel]: '1', 'io.hawser.test.prune': `${prefix}-stopped`};
    const lab = `${prefix}-lab`;
    const spare = `${prefix}-spare`;
    const empty = `${prefix}-empty`;
    for (const name of [lab, spare, empty]) {
      await engine.createNetwork({name, driver: 'bridge', labels});
    }

    // Never started: the engine has no endpoint for it yet, only its configuration names the network.
    const {id: created} = await engine.createContainer({name: `${prefix}-created`, Image: busyboxImage, Cmd: ['sleep', '100000'], Labels: {[testLabel]: '1'}, HostConfig: {NetworkMode: lab}});
    // Started once, then stopped.
    const exited = `${prefix}-exited`;
    await runBusybox(engine, exited, 'sleep 100000', {HostConfig: {NetworkMode: spare}});
    await engine.stopContainer(exited);

    const prune = await preparePruneNetworks(engine, {label: pruneLabel});
    expect(prune.networks).toEqual([empty]);
    await runToEnd(prune.job, engine);
    const names = (await engine.listNetworks()).map(n => n.name);
    expect(names).toEqual(expect.arrayContaining([lab, spare]));
    expect(names).not.toContain(empty);

    for (const [network, container] of [[lab, `${prefix}-created`], [spare, exited]] as const) {
      const refused = await prepareRemoveNetwork(engine, {network}).then(() => expect.unreachable(`removing ${network} was not refused`), (error: unknown) => error as InputError);
      expect(refused).toBeInstanceOf(InputError);
      expect(refused.message).toContain(`${container} (stopped)`);
    }

    // The container still starts on its network: nothing was taken from under it.
    await engine.startContainer(created);
    expect((await engine.inspectContainer(created)).networks.map(n => n.name)).toEqual([lab]);
    const removing = await prepareRemoveNetwork(engine, {network: spare, disconnectFirst: true});
    expect(removing.preview.warnings.join('\n')).toContain(`${exited} has ${spare} as its network mode`);
  });

  it('a fixed address on a network whose subnet the engine chose: says why and what to do, and changes nothing', async () => {
    const auto = `${prefix}-auto`;
    await engine.createNetwork({name: auto, driver: 'bridge', labels: {[testLabel]: '1'}});
    const subnet = (await engine.inspectNetwork(auto)).ipam[0]?.subnet ?? '';
    expect(subnet).toMatch(/^\d+\.\d+\.\d+\.0\/\d+$/);
    const address = subnet.replace(/\.0\/\d+$/, '.9');
    const guest = `${prefix}-guest`;
    await runBusybox(engine, guest, 'sleep 100000');
    const prepared = await prepareConnect(engine, {network: auto, container: guest, ipv4: address});
    const failure = await runToEnd(prepared.job, engine).then(() => expect.unreachable('the engine accepted the address'), (error: unknown) => error as JobError);
    expect(failure).toBeInstanceOf(JobError);
    expect(failure.message).toBe(`${auto}'s subnet was chosen by the engine, and the engine gives fixed addresses (--ip ${address}) only on a subnet set when the network was made. Nothing was changed.`);
    expect(failure.hint).toContain('Connect without --ip');
    expect((await engine.inspectContainer(guest)).networks.map(n => n.name)).toEqual(['bridge']);
  });
});
