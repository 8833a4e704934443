// Every transition among bridge, a user-defined network, host, none and container:X, walked by one
// container along a circuit that takes each of the 20 directed edges once. After each switch: the
// files in its named and anonymous volumes, and every setting, are still there (or stashed, where
// the mode cannot keep them, and back when it returns).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnginePort} from '../../source/engine/port.js';
import {containersKind} from '../../source/resources/containers.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import type {ContainerDetails} from '../../source/engine/types.js';
import {runToEnd} from '../../source/jobs/job.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {currentMode, hasNetworks, modeKind} from '../../source/model/network-modes.js';
import {readStash, stashLabel} from '../../source/jobs/recreate/stash.js';
import {noEngine, removeByPrefix, runBusybox, sh, testEngine, testLabel, uniqueName} from '../helpers/engine.js';

type Json = Record<string, any>;

describe.skipIf(noEngine)('network mode switches keep everything', () => {
  const prefix = uniqueName('hwt-nm');
  const name = `${prefix}-subject`;
  const mainNet = `${prefix}-main`;
  const extraNet = `${prefix}-extra`;
  const namedVolume = `${prefix}-named`;
  const staticIp = '10.231.7.50';
  const hostPort = String(20_000 + Math.floor(Math.random() * 10_000));
  const labels = {[testLabel]: '1', 'com.example.role': 'subject'};
  const portBindings = {'80/tcp': [{HostIp: '', HostPort: hostPort}]};
  let engine: EnginePort;
  let parentId = '';
  let anonymousVolume = '';

  // 0 bridge, 1 user network, 2 host, 3 none, 4 container:parent — each directed edge once.
  const circuit = [0, 1, 0, 2, 0, 3, 0, 4, 1, 2, 1, 3, 1, 4, 2, 3, 2, 4, 3, 4, 0];
  const modeName = (index: number): string => ['bridge', mainNet, 'host', 'none', `container:${prefix}-parent`][index]!;
  const label = (index: number): string => ['bridge', 'user network', 'host', 'none', 'container:X'][index]!;

  beforeAll(async () => {
    engine = testEngine();
    await engine.createNetwork({name: mainNet, driver: 'bridge', labels: {[testLabel]: '1'}});
    await engine.createNetwork({name: extraNet, driver: 'bridge', ipam: [{subnet: '10.231.7.0/24'}], labels: {[testLabel]: '1'}});
    parentId = await runBusybox(engine, `${prefix}-parent`, 'sleep 100000');
    const id = await runBusybox(engine, name, 'sleep 100000', {
      Env: ['FOO=bar', 'SECRET=s3 cr3t'],
      Labels: labels,
      Hostname: 'subject-host',
      ExposedPorts: {'80/tcp': {}},
      Volumes: {'/anon': {}},
      HostConfig: {
        Binds: [`${namedVolume}:/named`],
        PortBindings: portBindings,
        RestartPolicy: {Name: 'unless-stopped', MaximumRetryCount: 0},
        Memory: 64 * 1024 * 1024,
        NetworkMode: 'bridge',
      },
    });
    await engine.connectNetwork(extraNet, id, {aliases: ['ex-alias'], ipv4: staticIp});
    await sh(engine, id, 'echo named-data > /named/file && echo anon-data > /anon/file');
    const details = await engine.inspectContainer(id);
    anonymousVolume = details.mounts.find(m => m.destination === '/anon')?.name ?? '';
    expect(anonymousVolume).not.toBe('');
  });

  afterAll(async () => {
    await removeByPrefix(engine, prefix);
    await engine.removeVolume(anonymousVolume).catch(() => undefined);
  });

  async function expectKept(expectedMode: string): Promise<ContainerDetails> {
    const details = await engine.inspectContainer(name);
    const raw = details.raw as Json;
    expect(details.isRunning).toBe(true);
    expect(currentMode(details)).toBe(expectedMode.startsWith('container:') ? `container:${parentId}` : expectedMode);
    expect(details.env).toEqual(expect.arrayContaining(['FOO=bar', 'SECRET=s3 cr3t']));
    expect(details.cmd).toEqual(['sh', '-c', 'sleep 100000']);
    const {[stashLabel]: _stash, ...otherLabels} = details.labels;
    expect(otherLabels).toEqual(labels);
    expect(raw['HostConfig']['RestartPolicy']['Name']).toBe('unless-stopped');
    expect(raw['HostConfig']['Memory']).toBe(64 * 1024 * 1024);
    expect(details.mounts.find(m => m.destination === '/named')?.name).toBe(namedVolume);
    expect(details.mounts.find(m => m.destination === '/anon')?.name).toBe(anonymousVolume);
    expect(await sh(engine, details.id, 'cat /named/file /anon/file')).toBe('named-data\nanon-data\n');
    const stash = readStash(details.labels);
    if (hasNetworks(modeKind(expectedMode))) {
      expect(raw['HostConfig']['PortBindings']).toEqual(portBindings);
      expect(details.hostname).toBe('subject-host');
      const extra = details.networks.find(n => n.name === extraNet);
      expect(extra?.aliases).toContain('ex-alias');
      expect(extra?.ipamIpv4).toBe(staticIp);
      expect(extra?.ipv4).toBe(staticIp);
      expect(stash).toEqual({});
    } else {
      expect(raw['HostConfig']['PortBindings'] ?? {}).toEqual({});
      expect(stash.HostConfig?.['PortBindings']).toEqual(portBindings);
      expect(stash.Networks?.[extraNet]).toEqual({Aliases: ['ex-alias'], IPAMConfig: {IPv4Address: staticIp}});
      if (modeKind(expectedMode) === 'container') {
        expect(stash.Config?.['Hostname']).toBe('subject-host');
      } else {
        expect(details.hostname).toBe('subject-host');
      }
    }

    return details;
  }

  it('starts with everything in place', async () => {
    await expectKept('bridge');
  });

  for (let step = 1; step < circuit.length; step++) {
    const from = circuit[step - 1]!;
    const to = circuit[step]!;
    it(`${label(from)} → ${label(to)}`, async () => {
      const before = await engine.inspectContainer(name);
      const prepared = await prepareNetworkModeSwitch(engine, name, modeName(to), {settleMs: 800});
      const isLive = hasNetworks(modeKind(modeName(from))) && hasNetworks(modeKind(modeName(to)));
      expect(prepared.summary.method).toBe(isLive ? 'live' : 'recreate');
      if (hasNetworks(modeKind(modeName(from))) && !hasNetworks(modeKind(modeName(to)))) {
        expect(prepared.summary.dropped.join('\n')).toContain(`published ports ${hostPort}→80/tcp`);
        expect(prepared.summary.dropped.join('\n')).toContain(`network ${extraNet} (aliases ex-alias; IP ${staticIp})`);
      }

      const events = await runToEnd(prepared.job, engine);
      expect(events.at(-1)?.type).toBe('done');
      // The summary names the mode as the user knows it (container:NAME, not the ID).
      expect((events.at(-1) as {summary: string}).summary).toContain(`is now ${isLive ? 'on' : 'in'} ${modeName(to)}${isLive ? '' : ' mode'}`);
      const after = await expectKept(modeName(to));
      // The details pane says the mode it is in now, also after a live switch (the configured one stays the old one).
      const all = await engine.listContainers();
      const shown = containersKind.details(all.find(c => c.id === after.id)!, buildIndex(all), after).flatMap(section => section.rows).find(row => row.label === 'network mode')?.value ?? '';
      expect(shown.startsWith(modeName(to).startsWith('container:') ? 'container:' : modeName(to))).toBe(true);
      // Live switches keep the container; recreates replace it under the same name.
      expect(after.id === before.id).toBe(isLive);
      if (!isLive) {
        await expect(engine.inspectContainer(before.id)).rejects.toThrow();
      }
    });
  }

  it('left no temporary containers behind', async () => {
    const leftovers = (await engine.listContainers()).filter(c => c.name.startsWith(name) && c.name !== name);
    expect(leftovers.map(c => c.name)).toEqual([]);
  });
});
