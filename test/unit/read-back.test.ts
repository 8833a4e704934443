// Reading a container back after a connect, disconnect or live switch: what differs is named.
import {describe, expect, it} from 'vitest';
import {containerFromInspect} from '../../source/engine/records.js';
import {endpointDifferences} from '../../source/jobs/read-back.js';

const details = containerFromInspect({
  Id: 'a'.repeat(64), Name: '/web', Config: {}, HostConfig: {NetworkMode: 'appnet'}, State: {Running: true, Status: 'running'},
  NetworkSettings: {Networks: {appnet: {NetworkID: 'n1'.padEnd(64, '0'), IPAddress: '10.0.0.5', IPAMConfig: {IPv4Address: '10.0.0.5'}, Aliases: ['api']}}},
});

describe('endpointDifferences', () => {
  it('is empty when every promise holds, by name or network id', () => {
    expect(endpointDifferences(details, [{network: 'appnet', isAttached: true, aliases: ['api'], ipv4: '10.0.0.5'}, {network: 'bridge', isAttached: false}])).toEqual([]);
    expect(endpointDifferences(details, [{network: 'n1'.padEnd(64, '0'), isAttached: true}])).toEqual([]);
  });

  it('names each difference', () => {
    expect(endpointDifferences(details, [
      {network: 'appnet', isAttached: true, aliases: ['api', 'db'], ipv4: '10.0.0.9'},
      {network: 'other', isAttached: true},
      {network: 'appnet', isAttached: false},
    ])).toEqual(['on appnet without the alias db', 'on appnet at 10.0.0.5 instead of 10.0.0.9', 'not on other', 'still on appnet']);
  });
});
