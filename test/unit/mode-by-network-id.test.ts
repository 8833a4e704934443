// A NetworkMode given as a network's id or id prefix (docker run --network 5a4df28b…) names that network
// for the recreate planner and for the remove-network check, as it does for the NET MODE column.
import {describe, expect, it} from 'vitest';
import {containerFromInspect} from '../../source/engine/records.js';
import {attachedTo} from '../../source/jobs/networks/attached.js';
import {loadPlanContext} from '../../source/jobs/recreate/plan-context.js';
import {planRecreate} from '../../source/jobs/recreate/plan.js';
import {FakeEngine, fakeContainer, fakeNetwork} from '../helpers/fake-engine.js';

const mainId = 'abcd12'.padEnd(64, '0');
const extraId = 'ffee'.padEnd(64, '1');

/** A container created with --network <prefix of main's id>, on main and extra; never started: its endpoints have no NetworkID yet. */
function neverStarted(mode: string) {
  return containerFromInspect({
    Id: 'c'.repeat(64),
    Name: '/web',
    Image: 'sha256:img',
    Config: {Hostname: 'web', Image: 'app:1'},
    HostConfig: {NetworkMode: mode},
    NetworkSettings: {Networks: {main: {Aliases: ['api'], NetworkID: ''}, extra: {Aliases: null, NetworkID: ''}}},
    Mounts: [],
    State: {Running: false, Status: 'created'},
  });
}

describe('a network mode given by network id', () => {
  it('is named for the recreate: the context lists the networks only when a prefix needs it', async () => {
    const engine = new FakeEngine();
    engine.networks = [fakeNetwork('bridge'), fakeNetwork('main', {id: mainId}), fakeNetwork('extra', {id: extraId})];
    let listed = 0;
    const listNetworks = engine.listNetworks.bind(engine);
    engine.listNetworks = async (...args) => {
      listed++;
      return listNetworks(...args);
    };

    const byPrefix = neverStarted('abcd12');
    const context = await loadPlanContext(engine, byPrefix);
    expect(listed).toBe(1);
    // The planner starts from main, the network the prefix names (not extra, first by name, nor the prefix itself).
    expect(planRecreate(byPrefix, {}, context).fromMode).toBe('main');
    expect(planRecreate(byPrefix, {}, {...context, networks: undefined}).fromMode).not.toBe('main');

    await loadPlanContext(engine, neverStarted('main'));
    expect(listed).toBe(1);
  });

  it('marks the container whose mode a network is, for removing that network', () => {
    const network = {...fakeNetwork('main', {id: mainId}), members: []} as unknown as Parameters<typeof attachedTo>[0];
    const on = [{name: 'main', networkId: mainId, ipv4: '', gateway: '', mac: '', aliases: [], links: []}];
    const containers = [
      fakeContainer('by-name', {state: 'exited', networkMode: 'main', networks: on}),
      fakeContainer('by-id', {state: 'exited', networkMode: mainId, networks: on}),
      fakeContainer('by-prefix', {state: 'exited', networkMode: mainId.slice(0, 12), networks: on}),
      fakeContainer('beside', {state: 'exited', networkMode: 'bridge', networks: on}),
      // Four characters may be another network's name: not taken for main without the whole list.
      fakeContainer('short', {state: 'exited', networkMode: 'abcd', networks: on}),
    ];
    const modes = Object.fromEntries(attachedTo(network, containers).map(a => [a.name, a.isModeNetwork]));
    expect(modes).toEqual({'by-name': true, 'by-id': true, 'by-prefix': true, beside: false, short: false});
  });
});
