import {describe, expect, it} from 'vitest';
import {containerFromList, eventFromEngine, networkFromInspect} from '../../source/engine/records.js';
import {readNdjson} from '../../source/engine/ndjson.js';
import {Readable} from 'node:stream';

describe('engine records', () => {
  it('takes the real name and the legacy-link names apart', () => {
    const c = containerFromList({Id: 'abc', Names: ['/legacy/aliasmysql', '/mysql'], HostConfig: {NetworkMode: 'default'}, NetworkSettings: {Networks: {bridge: {IPAddress: '172.17.0.2', NetworkID: 'n1', Aliases: null}}}, Ports: [{PrivatePort: 80, PublicPort: 8080, Type: 'tcp', IP: '0.0.0.0'}, {PrivatePort: 80, PublicPort: 8080, Type: 'tcp', IP: '::'}], Mounts: [], Labels: {}});
    expect(c.name).toBe('mysql');
    expect(c.linkedFrom).toEqual(['legacy/aliasmysql']);
    expect(c.networks[0]).toMatchObject({name: 'bridge', ipv4: '172.17.0.2'});
    expect(c.ports).toEqual([{privatePort: 80, publicPort: 8080, hostIp: '0.0.0.0', protocol: 'tcp'}]);
  });

  it('strips suffixes from exec and health actions', () => {
    expect(eventFromEngine({Type: 'container', Action: 'exec_create: sh -c ls', Actor: {ID: 'x', Attributes: {}}, timeNano: 5}).action).toBe('exec_create');
    expect(eventFromEngine({Type: 'container', Action: 'health_status: healthy', Actor: {ID: 'x'}}).action).toBe('health_status');
  });

  it('lists network members without their prefix length', () => {
    const n = networkFromInspect({Id: 'n', Name: 'appnet', Containers: {c1: {Name: 'web', IPv4Address: '10.0.0.2/24', MacAddress: 'm'}}, IPAM: {Config: [{Subnet: '10.0.0.0/24', Gateway: '10.0.0.1'}]}});
    expect(n.members).toEqual([{containerId: 'c1', name: 'web', ipv4: '10.0.0.2', mac: 'm'}]);
    expect(n.ipam).toEqual([{subnet: '10.0.0.0/24', gateway: '10.0.0.1', ipRange: undefined}]);
  });

  it('splits newline-delimited JSON across chunk boundaries and skips broken lines', async () => {
    const stream = Readable.from([Buffer.from('{"a":1}\n{"b"'), Buffer.from(':2}\nnot json\n'), Buffer.from('{"c":3}')]);
    const seen: unknown[] = [];
    for await (const message of readNdjson(stream)) {
      seen.push(message);
    }

    expect(seen).toEqual([{a: 1}, {b: 2}, {c: 3}]);
  });
});
