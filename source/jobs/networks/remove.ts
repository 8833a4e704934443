// Removing networks: built-ins refused with why; attached containers named and optionally
// disconnected first; prune lists what would go before anything goes.
import type {EnginePort} from '../../engine/port.js';
import type {NetworkDetails} from '../../engine/types.js';
import {attachedTo, type Attached} from './attached.js';
import {InputError, type PreparedJob} from '../job.js';
import {findNetwork, isBuiltin} from './find.js';
import {hasLabel} from '../label-filter.js';

const builtinWhy = 'bridge, host and none are built into the engine: the default, host and none network modes are these networks, so the engine refuses to remove them.';

function described(attached: readonly Attached[]): string {
  return attached.map(a => (a.isRunning ? a.name : `${a.name} (stopped)`)).join(', ');
}

/** Validates and plans removing a network; with `disconnectFirst`, attached containers are disconnected first. */
export async function prepareRemoveNetwork(engine: EnginePort, input: {readonly network: string; readonly disconnectFirst?: boolean}): Promise<PreparedJob> {
  const network = await findNetwork(engine, input.network);
  if (isBuiltin(network)) {
    throw new InputError(`${network.name} cannot be removed.`, builtinWhy);
  }

  const members = attachedTo(network, await engine.listContainers());
  if (members.length > 0 && !input.disconnectFirst) {
    throw new InputError(`${members.length === 1 ? 'A container is' : `${members.length} containers are`} attached to ${network.name}: ${described(members)}.`, 'Disconnect them first, or let hawser do it in one go: answer yes to "Disconnect attached containers first" (hawser network rm --disconnect).');
  }

  return {
    preview: {
      title: `Remove network ${network.name}`,
      steps: [...members.map(m => `Disconnect ${m.name}${m.ipv4 ? ` (${m.ipv4})` : ''}${m.isRunning ? '' : ' (stopped)'}`), `Remove ${network.name}`],
      warnings: [
        ...(members.length > 0 ? [`${members.map(m => m.name).join(', ')} lose ${network.name} and the addresses and aliases they had on it.`] : []),
        ...members.filter(m => m.isModeNetwork).map(m => `${m.name} has ${network.name} as its network mode: once it stops, it will not start again until its mode is switched (hawser netmode ${m.name} bridge).`),
      ],
      isDestructive: true,
    },
    async * job(engine, signal) {
      for (const member of members) {
        yield {type: 'step', title: `Disconnecting ${member.name}`};
        await engine.disconnectNetwork(network.id, member.containerId, {signal, force: true});
      }

      yield {type: 'step', title: `Removing ${network.name}`};
      await engine.removeNetwork(network.id, {signal});
      yield {type: 'done', summary: `Removed network ${network.name}.`, data: {id: network.id, name: network.name, disconnected: members.map(m => m.name)}};
    },
  };
}

/** Which networks a prune considers: `label` is `key` or `key=value`, as in `docker network prune --filter label=`. */
export type PruneFilter = {readonly label?: string};

/** The networks a prune would remove: no container attached (running or not), not built in, not swarm-scoped. */
export async function unusedNetworks(engine: EnginePort, filter: PruneFilter = {}): Promise<NetworkDetails[]> {
  const [networks, containers] = await Promise.all([engine.listNetworks(), engine.listContainers()]);
  const details = await Promise.all(networks.filter(n => !isBuiltin(n) && n.scope !== 'swarm' && hasLabel(n.labels, filter.label)).map(async n => engine.inspectNetwork(n.id).catch(() => undefined)));
  return details.filter((n): n is NetworkDetails => n !== undefined && attachedTo(n, containers).length === 0).sort((a, b) => a.name.localeCompare(b.name));
}

/** Lists the unused networks first; the job removes exactly those (not ones that appear meanwhile). */
export async function preparePruneNetworks(engine: EnginePort, filter: PruneFilter = {}): Promise<PreparedJob & {readonly networks: readonly string[]}> {
  const unused = await unusedNetworks(engine, filter);
  return {
    networks: unused.map(n => n.name),
    preview: {
      title: unused.length > 0 ? `Remove ${unused.length} unused network${unused.length === 1 ? '' : 's'}` : 'No unused networks to remove',
      steps: unused.map(n => `Remove ${n.name} (${n.driver}${n.ipam[0] ? `, ${n.ipam[0].subnet}` : ''})`),
      warnings: [],
      isDestructive: unused.length > 0,
    },
    async * job(engine, signal) {
      const removed: string[] = [];
      // A container may have joined since the preview was made: listed again once, and each network inspected anew.
      const containers = unused.length > 0 ? await engine.listContainers({signal}) : [];
      for (const [index, network] of unused.entries()) {
        yield {type: 'progress', done: index, total: unused.length, unit: 'items', current: network.name};
        const now = await engine.inspectNetwork(network.id, {signal}).catch(() => undefined);
        if (!now) {
          continue;
        }

        const attached = attachedTo(now, containers);
        if (attached.length > 0) {
          yield {type: 'warning', message: `${network.name} is in use now (${described(attached)}); kept.`};
          continue;
        }

        await engine.removeNetwork(network.id, {signal});
        removed.push(network.name);
      }

      yield {type: 'progress', done: unused.length, total: unused.length, unit: 'items'};
      yield {type: 'done', summary: removed.length > 0 ? `Removed ${removed.length} network${removed.length === 1 ? '' : 's'}: ${removed.join(', ')}.` : 'Nothing was removed.', data: {removed}};
    },
  };
}
