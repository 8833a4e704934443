// The recreate planner against a simulated engine: whatever path of network modes a container takes,
// each create spec holds nothing its mode rejects, and back on a network everything is as it was.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {containerFromInspect} from '../../source/engine/records.js';
import type {ContainerDetails} from '../../source/engine/types.js';
import {currentMode, hasNetworks, modeKind} from '../../source/model/network-modes.js';
import {normalizeLink, planRecreate, type RecreatePlan} from '../../source/jobs/recreate/plan.js';
import {readStash, stashLabel} from '../../source/jobs/recreate/stash.js';
import {recreateDifferences} from '../../source/jobs/recreate/verify.js';

type Json = Record<string, any>;

const parentId = 'p'.repeat(64);
const context = {apiVersion: '1.41', image: 'app:1', engineHostname: 'enginehost', parentHostname: 'parenthost'};
let counter = 0;
const newId = () => (counter++).toString(16).padStart(64, 'a');

/**
 * What the engine does with a create spec (+ connects), as far as the planner can tell: the next
 * inspect document. From API 1.44 the endpoints given at create are all the container gets (the
 * network NetworkMode names is added only when none are given), as Engine 26 and 28 do.
 */
function simulate(plan: RecreatePlan, apiVersion = context.apiVersion): ContainerDetails {
  const id = newId();
  const {HostConfig: host, NetworkingConfig: networking, ...config} = structuredClone(plan.spec) as Json;
  const mode = String(host['NetworkMode']);
  const kind = modeKind(mode);
  config['Hostname'] ||= kind === 'host' ? 'enginehost' : kind === 'container' ? 'parenthost' : id.slice(0, 12);
  let networks: Json = {};
  if (hasNetworks(kind)) {
    const endpoints: Json = {...networking?.['EndpointsConfig']};
    if (Number(apiVersion.split('.')[1]) < 44 || Object.keys(endpoints).length === 0) {
      endpoints[mode] ??= {};
    }

    for (const extra of plan.extraNetworks) {
      endpoints[extra.name] = extra.settings;
    }

    networks = Object.fromEntries(Object.entries(endpoints).map(([name, e]: [string, Json]) => [name, {
      ...e,
      // The engine adds the short id and the hostname as aliases on user networks.
      Aliases: name === 'bridge' ? null : [...(e['Aliases'] ?? []), id.slice(0, 12), config['Hostname']],
      IPAddress: '10.0.0.9',
      MacAddress: '02:42:00:00:00:09',
    }]));
  } else if (kind !== 'container') {
    networks = {[mode]: {}};
  }

  const mounts = [
    ...((host['Binds'] ?? []) as string[]).map(b => ({Type: 'volume', Name: b.split(':')[0], Destination: b.split(':')[1], RW: true})),
    ...((host['Mounts'] ?? []) as Json[]).map(m => ({Type: 'volume', Name: m['Source'], Destination: m['Target'], RW: !m['ReadOnly']})),
  ];
  return containerFromInspect({Id: id, Name: `/${plan.name}`, Image: 'sha256:img', Config: config, HostConfig: host, NetworkSettings: {Networks: networks}, Mounts: mounts, State: {Running: true, Status: 'running'}});
}

const portBindings = {'80/tcp': [{HostIp: '', HostPort: '8080'}]};

function original(): ContainerDetails {
  const id = newId();
  return containerFromInspect({
    Id: id,
    Name: '/web',
    Image: 'sha256:img',
    Config: {Hostname: 'webhost', Image: 'app:1', Env: ['A=1'], Cmd: ['serve'], Labels: {role: 'web'}, ExposedPorts: {'80/tcp': {}}, Volumes: {'/anon': {}}},
    HostConfig: {NetworkMode: 'bridge', Binds: ['data:/data'], PortBindings: portBindings, Links: ['/db:/web/database'], Dns: ['9.9.9.9'], RestartPolicy: {Name: 'always'}, Memory: 1 << 26},
    NetworkSettings: {Networks: {
      bridge: {Aliases: null, IPAddress: '172.17.0.2'},
      extra: {Aliases: ['api', id.slice(0, 12), 'webhost'], IPAMConfig: {IPv4Address: '10.9.0.5'}, IPAddress: '10.9.0.5'},
    }},
    Mounts: [
      {Type: 'volume', Name: 'data', Destination: '/data', RW: true},
      {Type: 'volume', Name: 'f00dcafe', Destination: '/anon', RW: true},
    ],
    State: {Running: true, Status: 'running'},
  });
}

const rejected: Record<string, {config: string[]; host: string[]}> = {
  container: {config: ['Hostname', 'Domainname', 'ExposedPorts', 'MacAddress'], host: ['Links', 'Dns', 'DnsSearch', 'DnsOptions', 'ExtraHosts', 'PortBindings', 'PublishAllPorts']},
  host: {config: ['MacAddress'], host: ['Links', 'PortBindings', 'PublishAllPorts']},
  none: {config: ['MacAddress'], host: ['Links', 'PortBindings', 'PublishAllPorts']},
};

const modes = ['bridge', 'main', 'host', 'none', `container:${parentId}`];

describe('planRecreate', () => {
  it('drops what host mode rejects, stashes it, and gives it back on the way to bridge', () => {
    const toHost = planRecreate(original(), {networkMode: 'host'}, context);
    expect(toHost.dropped.map(d => d.description)).toEqual(expect.arrayContaining(['published ports 8080→80/tcp', 'legacy links db:database', 'network extra (aliases api; IP 10.9.0.5)']));
    expect((toHost.spec['HostConfig'] as Json)['PortBindings']).toBeUndefined();
    expect(toHost.spec['NetworkingConfig']).toBeUndefined();
    const back = planRecreate(simulate(toHost), {networkMode: 'bridge'}, context);
    expect((back.spec['HostConfig'] as Json)['PortBindings']).toEqual(portBindings);
    expect(back.extraNetworks).toEqual([{name: 'extra', settings: {Aliases: ['api'], IPAMConfig: {IPv4Address: '10.9.0.5'}}}]);
    expect((back.spec['Labels'] as Json)[stashLabel]).toBeUndefined();
  });

  it('carries anonymous volumes over as volume mounts, and keeps named ones as they were', () => {
    const plan = planRecreate(original(), {networkMode: 'host'}, context);
    const host = plan.spec['HostConfig'] as Json;
    expect(host['Binds']).toEqual(['data:/data']);
    expect(host['Mounts']).toEqual([{Type: 'volume', Source: 'f00dcafe', Target: '/anon', ReadOnly: false}]);
    expect(plan.anonymousVolumes).toEqual(['f00dcafe']);
  });

  it('drops a generated hostname and keeps a chosen one', () => {
    const details = simulate(planRecreate(original(), {networkMode: 'host'}, context));
    expect((planRecreate(details, {networkMode: 'none'}, context).spec as Json)['Hostname']).toBe('webhost');
    const generated = simulate(planRecreate(original(), {config: {Hostname: ''}}, context));
    expect(generated.hostname).toHaveLength(12);
    expect((planRecreate(generated, {networkMode: 'host'}, context).spec as Json)['Hostname']).toBeUndefined();
  });

  it('puts every endpoint into create from API 1.44, only the primary below', () => {
    const old = planRecreate(original(), {networkMode: 'main'}, context);
    expect(Object.keys((old.spec['NetworkingConfig'] as Json)['EndpointsConfig'])).toEqual(['main']);
    expect(old.extraNetworks.map(n => n.name)).toEqual(['extra']);
    const modern = planRecreate(original(), {networkMode: 'main'}, {...context, apiVersion: '1.45'});
    expect(Object.keys((modern.spec['NetworkingConfig'] as Json)['EndpointsConfig']).sort()).toEqual(['extra', 'main']);
    expect(modern.extraNetworks).toEqual([]);
  });

  it('changes links for the links feature, and refuses links where they cannot work', () => {
    const plan = planRecreate(original(), {links: ['cache:redis']}, context);
    expect((plan.spec['HostConfig'] as Json)['Links']).toEqual(['cache:redis']);
    expect(plan.toMode).toBe('bridge');
    expect(() => planRecreate(original(), {networkMode: 'host', links: ['cache:redis']}, context)).toThrow(/do not work in host mode/);
    expect(normalizeLink('/db:/web/database')).toBe('db:database');
  });

  it('keeps the target network among the endpoints from API 1.44, also the default bridge with nothing to set', () => {
    // A legacy link recreates a container on bridge and a user network, keeping both.
    const back = planRecreate(original(), {links: ['cache:redis']}, {...context, apiVersion: '1.45'});
    expect(Object.keys((back.spec['NetworkingConfig'] as Json)['EndpointsConfig']).sort()).toEqual(['bridge', 'extra']);
    expect(Object.keys((simulate(back, '1.45').raw as Json)['NetworkSettings']['Networks']).sort()).toEqual(['bridge', 'extra']);
  });

  it('names what an engine left out when the container is read back', () => {
    const plan = planRecreate(original(), {links: ['cache:redis']}, {...context, apiVersion: '1.45'});
    const made = simulate(plan, '1.45');
    expect(recreateDifferences(plan, made)).toEqual([]);
    const raw = structuredClone(made.raw) as Json;
    delete raw['NetworkSettings']['Networks']['bridge'];
    raw['NetworkSettings']['Networks']['extra']['Aliases'] = [];
    raw['HostConfig']['PortBindings'] = {};
    raw['HostConfig']['Links'] = [];
    expect(recreateDifferences(plan, containerFromInspect(raw))).toEqual([
      'not on network bridge',
      'on extra without the alias api',
      'with published ports none instead of 80/tcp→:8080',
      'with legacy links none instead of cache:redis',
    ]);
  });

  it('moves the configured MAC onto the target endpoint from API 1.44 and keeps gateway priorities from 1.48', () => {
    const withMac = containerFromInspect({...(original().raw as Json), Config: {...(original().raw as Json)['Config'], MacAddress: '02:11:22:33:44:55'}});
    const modern = planRecreate(withMac, {networkMode: 'extra'}, {...context, apiVersion: '1.51'});
    expect(modern.spec['MacAddress']).toBeUndefined();
    expect((modern.spec['NetworkingConfig'] as Json)['EndpointsConfig']['extra']['MacAddress']).toBe('02:11:22:33:44:55');
    const old = planRecreate(withMac, {networkMode: 'extra'}, context);
    expect(old.spec['MacAddress']).toBe('02:11:22:33:44:55');

    const raw = original().raw as Json;
    const prioritised = containerFromInspect({...raw, NetworkSettings: {Networks: {...raw['NetworkSettings']['Networks'], extra: {...raw['NetworkSettings']['Networks']['extra'], GwPriority: 10, MacAddress: '6e:82:c1:7e:7c:81'}}}});
    const kept = planRecreate(prioritised, {networkMode: 'bridge', links: []}, {...context, apiVersion: '1.51'});
    // The MAC an endpoint runs with may be generated (Engine 28: random at each start): not pinned.
    expect((kept.spec['NetworkingConfig'] as Json)['EndpointsConfig']['extra']).toEqual({Aliases: ['api'], IPAMConfig: {IPv4Address: '10.9.0.5'}, GwPriority: 10});
    expect(kept.dropped).toEqual([]);
    // An engine negotiated below 1.48 cannot take the priority: the preview says so.
    const lost = planRecreate(prioritised, {networkMode: 'bridge', links: []}, {...context, apiVersion: '1.45'});
    expect((lost.spec['NetworkingConfig'] as Json)['EndpointsConfig']['extra']['GwPriority']).toBeUndefined();
    expect(lost.dropped.map(d => d.description)).toEqual([expect.stringMatching(/gateway priority 10 on network extra/)]);
    // Into host mode the endpoint (MAC and priority with it) is kept aside and named.
    const toHost = planRecreate(prioritised, {networkMode: 'host'}, {...context, apiVersion: '1.51'});
    expect(toHost.dropped.map(d => d.description).join('\n')).toMatch(/network extra \(aliases api; IP 10\.9\.0\.5; gateway priority 10\)/);
  });

  it.each(['1.41', '1.45', '1.51'])('never sends what the target mode rejects, and returns everything on a network, along any path (API %s)', apiVersion => {
    const context_ = {...context, apiVersion};
    fc.assert(fc.property(fc.array(fc.integer({min: 0, max: modes.length - 1}), {minLength: 1, maxLength: 8}), path => {
      const first = original();
      let details = first;
      for (const index of [...path, 0]) {
        const target = modes[index]!;
        if (currentMode(details) === target) {
          continue;
        }

        const plan = planRecreate(details, {networkMode: target}, context_);
        const kind = modeKind(target);
        const host = plan.spec['HostConfig'] as Json;
        for (const field of rejected[kind]?.config ?? []) {
          expect(plan.spec[field]).toBeUndefined();
        }

        for (const field of rejected[kind]?.host ?? []) {
          expect(host[field]).toBeUndefined();
        }

        if (!hasNetworks(kind)) {
          expect(plan.spec['NetworkingConfig']).toBeUndefined();
          expect(plan.extraNetworks).toEqual([]);
        }

        expect(host['Mounts']).toEqual([{Type: 'volume', Source: 'f00dcafe', Target: '/anon', ReadOnly: false}]);
        details = simulate(plan, apiVersion);
        expect(recreateDifferences(plan, details)).toEqual([]);
      }

      const raw = details.raw as Json;
      expect(currentMode(details)).toBe('bridge');
      expect(raw['HostConfig']['PortBindings']).toEqual(portBindings);
      expect((raw['HostConfig']['Links'] as string[]).map(normalizeLink)).toEqual(['db:database']);
      expect(raw['HostConfig']['Dns']).toEqual(['9.9.9.9']);
      expect(raw['HostConfig']['RestartPolicy']).toEqual({Name: 'always'});
      expect(raw['HostConfig']['Memory']).toBe(1 << 26);
      expect(details.hostname).toBe('webhost');
      expect(details.env).toEqual(['A=1']);
      expect(details.labels).toEqual({role: 'web'});
      expect(readStash(details.labels)).toEqual({});
      const extra = (raw['NetworkSettings']['Networks'] as Json)['extra'];
      expect(extra?.['IPAMConfig']).toEqual({IPv4Address: '10.9.0.5'});
      expect(extra?.['Aliases']).toContain('api');
      expect(Object.keys(raw['NetworkSettings']['Networks']).sort()).toEqual(['bridge', 'extra']);
    }), {numRuns: 300});
  });
});
