import {describe, expect, it} from 'vitest';
import type {ContainerNetwork} from '../../source/engine/types.js';
import {disconnectNetworkForm, removeNetworkForm} from '../../source/jobs/networks/forms.js';
import {FakeEngine, fakeContainer} from '../helpers/fake-engine.js';

const on = (name: string, ipv4: string): ContainerNetwork => ({name, networkId: `${name}-id`, ipv4, gateway: '', mac: '', aliases: [], links: []});

describe('the disconnect wizard', () => {
  it('from a container, offers only its own networks; from a network, only the containers on it (stopped too)', async () => {
    const engine = new FakeEngine();
    engine.containers = [
      fakeContainer('web', {networks: [on('bridge', '172.17.0.2'), on('appnet', '10.1.0.2')]}),
      fakeContainer('db', {networks: [on('appnet', '10.1.0.3')], state: 'exited'}),
      fakeContainer('other', {networks: [on('elsewhere', '10.9.0.2')]}),
    ];
    const fromContainer = disconnectNetworkForm({container: 'web'});
    expect(fromContainer.title).toBe('Disconnect web from a network');
    const [networkField] = fromContainer.fields;
    expect(networkField?.kind === 'choice' ? (await networkField.choices(engine)).map(c => `${c.value} ${c.hint}`) : []).toEqual(['appnet 10.1.0.2', 'bridge 172.17.0.2']);

    const fromNetwork = disconnectNetworkForm({network: 'appnet'});
    expect(fromNetwork.title).toBe('Disconnect a container from appnet');
    const [containerField] = fromNetwork.fields;
    expect(containerField?.kind === 'choice' ? (await containerField.choices(engine)).map(c => `${c.value} ${c.hint}`) : []).toEqual(['db exited', 'web running']);
  });
});

describe('the remove-network wizard', () => {
  it('asks to disconnect attached containers only when the network has some', () => {
    expect(removeNetworkForm({network: 'empty', hasContainers: false}).fields.map(f => f.name)).toEqual([]);
    expect(removeNetworkForm({network: 'busy', hasContainers: true}).fields.map(f => f.name)).toEqual(['disconnect']);
    expect(removeNetworkForm().fields.map(f => f.name)).toEqual(['network', 'disconnect']);
  });
});
