// The network mode where the list's HostConfig.NetworkMode and attached networks alone mislead: a network given
// by id or id prefix (matched to its name as the engine does), a marker beside the configured network (which
// `hawser ls` must inspect, having no memory of the row), and a live switch to a network the container is
// already on (marked by reconnecting it). The real engine's side of each is in test/integration/net-mode-column-ls.
import {describe, expect, it} from 'vitest';
import type {ConnectSpec, EnginePort} from '../../source/engine/port.js';
import type {ContainerDetails, ContainerNetwork, ContainerSummary} from '../../source/engine/types.js';
import {runToEnd} from '../../source/jobs/job.js';
import {prepareNetworkModeSwitch} from '../../source/jobs/network-mode/switch.js';
import {configuredMode, currentMode, modeFromFacts, needsNetworkList, networkNameOf, primaryMarker} from '../../source/model/network-modes.js';
import {inspectModesOnce} from '../../source/state/inspected-modes.js';
import {FakeEngine, fakeContainer, fakeNetwork} from '../helpers/fake-engine.js';

const confId = 'c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const sideId = 'a51de00000000000000000000000000000000000000000000000000000000000';
const networks = [fakeNetwork('conf', {id: confId}), fakeNetwork('a-side', {id: sideId}), fakeNetwork('bridge', {id: 'b'.repeat(64)}), fakeNetwork('z-target', {id: 'e'.repeat(64)})];

function on(...names: string[]): ContainerNetwork[] {
  return names.map((name, i) => ({name, networkId: networks.find(n => n.name === name)?.id ?? '', ipv4: `10.0.${i}.2`, gateway: '', mac: '', aliases: [], links: []}));
}

/** The inspected document of a container configured with `networkMode`, on `attached`, the marker on `marked`. */
function details(name: string, networkMode: string, attached: readonly string[], marked?: string, endpoints: Record<string, Record<string, unknown>> = {}): ContainerDetails {
  const c: ContainerSummary = fakeContainer(name, {networkMode, networks: on(...attached)});
  const raw = {
    HostConfig: {NetworkMode: networkMode},
    NetworkSettings: {Networks: Object.fromEntries(c.networks.map(n => [n.name, {NetworkID: n.networkId, Aliases: [c.id.slice(0, 12)], DriverOpts: n.name === marked ? {[primaryMarker]: '1'} : null, ...endpoints[n.name]}]))},
  };
  return {...c, env: [], cmd: [], entrypoint: [], hostname: 'h', restartPolicy: 'no', restartCount: 0, isRunning: true, isRestarting: false, legacyLinks: [], imageId: 'i', raw};
}

describe('networks given by id', () => {
  it('matches a full id, then a name, then an id prefix of one network only, as the engine finds a network', () => {
    expect(networkNameOf(confId, networks)).toBe('conf');
    expect(networkNameOf(confId.slice(0, 4), networks)).toBe('conf');
    expect(networkNameOf('a-side', networks)).toBe('a-side');
    // A name wins over an id prefix; an ambiguous prefix matches nothing.
    const named = [...networks, fakeNetwork('c0ff', {id: 'f'.repeat(64)})];
    expect(networkNameOf('c0ff', named)).toBe('c0ff');
    expect(networkNameOf('', networks)).toBeUndefined();
    expect(networkNameOf('c', [...networks, fakeNetwork('x', {id: `c${'0'.repeat(63)}`})])).toBeUndefined();
    // Without the whole list a short prefix could be the name of a network not in it.
    expect(networkNameOf(confId.slice(0, 4), networks, false)).toBeUndefined();
    expect(networkNameOf(confId.slice(0, 8), networks, false)).toBe('conf');
  });

  it('names the configured network by the attached endpoints\' ids, or by the engine\'s list', () => {
    for (const configured of [confId, confId.slice(0, 12), confId.slice(0, 8)]) {
      expect(currentMode(details('multi', configured, ['a-side', 'conf']))).toBe('conf');
      expect(configuredMode(details('multi', configured, ['a-side', 'conf']))).toBe('conf');
    }

    // Not attached (switched away live, marker on the target): the marker still decides.
    expect(currentMode(details('away', confId, ['a-side', 'z-target'], 'z-target'))).toBe('z-target');
    // A short prefix and a never-started container (no endpoint ids) need the list.
    const created = {configured: 'c0ff', attached: ['a-side', 'conf'], attachedIds: ['', '']};
    expect(modeFromFacts(created)).toBe('a-side');
    expect(needsNetworkList(created)).toBe(true);
    expect(modeFromFacts({...created, networks})).toBe('conf');
    // The endpoint keyed by the prefix itself until the first start.
    const keyed = {configured: 'c0ffee01', attached: ['c0ffee01'], attachedIds: ['']};
    expect(needsNetworkList(keyed)).toBe(true);
    expect(modeFromFacts({...keyed, networks})).toBe('conf');
    expect(modeFromFacts({configured: 'c0ffee01', attached: ['bridge', 'c0ffee01'], attachedIds: ['', ''], networks})).toBe('conf');
    // The default bridge, host and none by id are those modes.
    expect(modeFromFacts({configured: 'b'.repeat(12), attached: ['bridge', 'z-target'], attachedIds: ['b'.repeat(64), 'e'.repeat(64)]})).toBe('bridge');
  });

  it('leaves names alone, and needs no list when names say it all', () => {
    expect(modeFromFacts({configured: 'conf', attached: ['a-side', 'conf'], attachedIds: [sideId, confId]})).toBe('conf');
    expect(needsNetworkList({configured: 'conf', attached: ['a-side'], attachedIds: [sideId]})).toBe(false);
    expect(needsNetworkList({configured: 'default', attached: ['bridge'], attachedIds: ['']})).toBe(false);
    expect(needsNetworkList({configured: confId, attached: ['conf'], attachedIds: [confId]})).toBe(false);
    // A hex-looking name off its network may be a prefix: the list tells (one request, only for such rows).
    expect(needsNetworkList({configured: 'cafe', attached: ['a-side'], attachedIds: [sideId]})).toBe(true);
    expect(modeFromFacts({configured: 'cafe', attached: ['a-side', 'z-target'], attachedIds: [sideId, 'e'.repeat(64)], networks})).toBe('a-side');
  });
});

/** A fake engine with inspected documents, recording connects and disconnects. */
class NetworkEngine extends FakeEngine {
  documents = new Map<string, ContainerDetails>();
  inspected: string[] = [];
  actions: string[] = [];
  failConnectWithMarker = false;

  override async inspectContainer(id: string) {
    this.inspected.push(id);
    const found = [...this.documents.values()].find(d => d.id === id || d.name === id);
    // The base fake's inspect is typed by its own literal; these documents are the port's ContainerDetails.
    return found ? found as Awaited<ReturnType<FakeEngine['inspectContainer']>> : super.inspectContainer(id);
  }

  async connect(network: string, container: string, spec?: ConnectSpec): Promise<void> {
    this.actions.push(`connect ${network} ${JSON.stringify(spec ?? {})}`);
    if (this.failConnectWithMarker && spec?.driverOpts?.[primaryMarker]) {
      throw new Error(`${container}: refused`);
    }

    // As the engine does: the container is on the network afterwards (the switch reads it back).
    this.reattach(container, attached => [...attached, network], network, spec?.driverOpts?.[primaryMarker] ? network : undefined);
  }

  async disconnect(network: string, container: string): Promise<void> {
    this.actions.push(`disconnect ${network}`);
    this.reattach(container, attached => attached.filter(name => name !== network));
  }

  private reattach(container: string, change: (attached: string[]) => string[], joined?: string, marked?: string): void {
    const document = [...this.documents.values()].find(d => d.id === container || d.name === container);
    if (!document) {
      return;
    }

    const endpoints = (document.raw['NetworkSettings'] as {Networks: Record<string, Record<string, unknown>>}).Networks;
    const wasMarked = Object.entries(endpoints).find(([, endpoint]) => (endpoint['DriverOpts'] as Record<string, string> | null)?.[primaryMarker])?.[0];
    const attached = change(document.networks.map(n => n.name));
    const next = details(document.name, String((document.raw['HostConfig'] as {NetworkMode: string}).NetworkMode), attached, marked ?? (wasMarked !== joined ? wasMarked : undefined));
    this.documents.set(document.id, {...next, id: document.id});
  }

  /** This fake as an engine port whose connect and disconnect are recorded (the base fake refuses them). */
  port(): EnginePort {
    return Object.create(this, {connectNetwork: {value: this.connect.bind(this)}, disconnectNetwork: {value: this.disconnect.bind(this)}}) as EnginePort;
  }
}

describe('hawser ls', () => {
  it('inspects a row whose marker may sit beside its configured network, and rows naming a network by a short id, listing networks once', async () => {
    const engine = new NetworkEngine();
    engine.networks = networks;
    const back = details('back', 'conf', ['conf', 'z-target'], 'z-target');
    const short1 = details('short1', 'c0ff', ['a-side', 'conf']);
    // Never started, its endpoint keyed by the prefix: one network, but named by id.
    const keyed = details('keyed', 'c0ffee01', ['c0ffee01']);
    const plain = details('plain', 'default', ['bridge']);
    const single = details('single', confId, ['conf']);
    for (const d of [back, short1, keyed, plain, single]) {
      engine.documents.set(d.id, d);
    }

    engine.containers = [back, short1, keyed, plain, single];
    const modes = await inspectModesOnce(engine, engine.containers);
    expect(engine.inspected.sort()).toEqual([back.id, short1.id, keyed.id].sort());
    expect(engine.calls.filter(call => call === 'listNetworks')).toHaveLength(1);
    expect(Object.fromEntries([...modes].map(([id, m]) => [engine.containers.find(c => c.id === id)!.name, m.mode]))).toEqual({back: 'z-target', short1: 'conf', keyed: 'conf'});
  });
});

describe('a live switch to a network the container is already on', () => {
  function setUp(endpoints: Record<string, Record<string, unknown>> = {}) {
    const engine = new NetworkEngine();
    engine.networks = networks;
    const d = details('web', 'bridge', ['a-side', 'bridge', 'z-target'], undefined, endpoints);
    engine.documents.set(d.id, d);
    engine.containers = [d];
    return {engine, d};
  }

  it('reconnects it with the marker and its own settings before leaving the old one', async () => {
    const {engine} = setUp({'z-target': {Aliases: ['web-alias', 'keep'], IPAMConfig: {IPv4Address: '10.9.0.5'}, Links: ['/db:/web/database'], DriverOpts: {'com.example.opt': 'x'}}});
    const prepared = await prepareNetworkModeSwitch(engine.port(), 'web', 'z-target');
    expect(prepared.preview.steps).toEqual([
      'Reconnect it to z-target, marked as its main network (its NetworkMode cannot change live), keeping its aliases web-alias, keep, address 10.9.0.5, link db:database',
      'Disconnect it from bridge',
      'It stays on a-side as well (only its main network changes)',
    ]);
    expect(prepared.preview.warnings).toContain('Connections over z-target drop too, while it is reconnected.');
    await runToEnd(prepared.job, engine.port());
    expect(engine.actions).toEqual([
      'disconnect z-target',
      `connect z-target ${JSON.stringify({aliases: ['web-alias', 'keep'], ipv4: '10.9.0.5', links: ['db:database'], driverOpts: {'com.example.opt': 'x', [primaryMarker]: '1'}})}`,
      'disconnect bridge',
    ]);
  });

  it('gives the network back as it was when the marked connect fails, and leaves the old one', async () => {
    const {engine} = setUp();
    engine.failConnectWithMarker = true;
    const prepared = await prepareNetworkModeSwitch(engine.port(), 'web', 'z-target');
    await expect(runToEnd(prepared.job, engine.port())).rejects.toThrow();
    expect(engine.actions).toEqual(['disconnect z-target', `connect z-target ${JSON.stringify({driverOpts: {[primaryMarker]: '1'}})}`, 'connect z-target {}']);
  });

  it('needs no reconnect to the configured network, and refuses one that would lose a fixed IPv6 address', async () => {
    const engine = new NetworkEngine();
    engine.networks = networks;
    const d = details('web', confId.slice(0, 12), ['conf', 'z-target'], 'z-target');
    engine.documents.set(d.id, d);
    engine.containers = [d];
    const back = await prepareNetworkModeSwitch(engine.port(), 'web', 'conf');
    expect(back.preview.steps).toEqual(['Disconnect it from z-target']);
    await runToEnd(back.job, engine.port());
    expect(engine.actions).toEqual(['disconnect z-target']);

    const {engine: other} = setUp({'z-target': {IPAMConfig: {IPv6Address: 'fd00::5'}}});
    await expect(prepareNetworkModeSwitch(other.port(), 'web', 'z-target')).rejects.toThrow(/would lose its fixed IPv6 address fd00::5/);
    expect(other.actions).toEqual([]);
  });
});
