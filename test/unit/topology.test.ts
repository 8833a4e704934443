import {describe, expect, it} from 'vitest';
import {buildIndex} from '../../source/resources/resource-index.js';
import {topologyLines} from '../../source/resources/topology.js';
import {fakeContainer, fakeNetwork} from '../helpers/fake-engine.js';

describe('topology', () => {
  const nginx = fakeContainer('nginx', {ports: [{privatePort: 80, publicPort: 8080, protocol: 'tcp'}]});
  const mysql = fakeContainer('mysql', {linkedFrom: ['legacy/aliasmysql']});
  const created = fakeContainer('fresh', {state: 'created', networks: [{name: 'bridge', networkId: '', ipv4: '', gateway: '', mac: '', aliases: [], links: []}]});
  const web = fakeContainer('web', {networkMode: 'appnet', networks: [{name: 'appnet', networkId: 'net-appnet', ipv4: '10.0.0.2', gateway: '', mac: '', aliases: [], links: []}]});
  const sidecar = fakeContainer('sidecar', {networkMode: `container:${nginx.id}`, networks: []});
  const hostnet = fakeContainer('hostnet', {networkMode: 'host', networks: [{name: 'host', networkId: 'h', ipv4: '', gateway: '', mac: '', aliases: [], links: []}]});
  const orphan = fakeContainer('orphan', {networkMode: `container:${'f'.repeat(64)}`, networks: []});
  const containers = [nginx, mysql, created, web, sidecar, hostnet, orphan];
  const networks = [fakeNetwork('bridge'), fakeNetwork('appnet', {isInternal: true, ipam: [{subnet: '10.0.0.0/24'}]}), fakeNetwork('host'), fakeNetwork('quiet')];
  const text = topologyLines(containers, networks, buildIndex(containers), new Map([[web.id, new Map([['appnet', ['frontend', web.id.slice(0, 12)]]])]])).map(line => line.text).join('\n');

  it('puts every member under its network, with addresses, ports, aliases and state', () => {
    expect(text).toMatch(/● bridge[^\n]*\n(.*\n)*.*nginx\s+172\.17\.0\.2\s+ports 8080→80/);
    expect(text).toMatch(/fresh\s+-\s+\(created\)/);
    expect(text).toMatch(/web\s+10\.0\.0\.2\s+aliases: frontend\n/);
    expect(text).toContain('internal: no way out of the host');
    expect(text).toMatch(/● quiet[^\n]*\n\s+\(no containers\)/);
  });

  it('shows shared namespaces, legacy links, host mode, and sharing whose parent is gone', () => {
    expect(text).toContain('sidecar shares its network namespace');
    expect(text).toContain('legacy links to it as "aliasmysql"');
    expect(text).toMatch(/● host[^\n]*\n\s+└─ hostnet/);
    expect(text).toMatch(/orphan shares container:ffffffffffff, which no longer exists/);
  });
});
