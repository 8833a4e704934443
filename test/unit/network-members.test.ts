import {describe, expect, it} from 'vitest';
import type {ContainerNetwork} from '../../source/engine/types.js';
import {buildIndex} from '../../source/resources/resource-index.js';
import {networksKind} from '../../source/resources/networks.js';
import {fakeContainer, fakeNetwork} from '../helpers/fake-engine.js';

const on = (name: string, networkId: string, ipv4: string): ContainerNetwork => ({name, networkId, ipv4, gateway: '', mac: '', aliases: [], links: []});

describe('a network\'s members in its details', () => {
  it('are every container on it: the running ones from the network, stopped and never-started ones from the containers\' list', () => {
    const appnet = fakeNetwork('appnet');
    const web = fakeContainer('web', {networks: [on('appnet', appnet.id, '10.1.0.2')]});
    const stopped = fakeContainer('old', {state: 'exited', networks: [on('appnet', appnet.id, '')]});
    const created = fakeContainer('fresh', {state: 'created', networks: [on('appnet', '', '')]});
    const elsewhere = fakeContainer('other', {networks: [on('bridge', 'net-bridge', '172.17.0.3')]});
    const index = buildIndex([web, stopped, created, elsewhere]);
    const details = {...appnet, members: [{containerId: web.id, name: 'web', ipv4: '10.1.0.2', mac: '02:42:0a:01:00:02'}]};
    const sections = networksKind.details(appnet, index, details);
    const members = sections.find(section => section.title.startsWith('Members'))!;
    expect(members.title).toBe('Members (3)');
    expect(members.rows.map(row => `${row.label}: ${row.value}`)).toEqual([
      'web: 10.1.0.2  mac 02:42:0a:01:00:02',
      'old: not running: gets its address when it starts',
      'fresh: not running: gets its address when it starts',
    ]);
  });
});
