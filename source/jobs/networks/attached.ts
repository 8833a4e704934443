// Which containers are attached to a network, running or not.
import type {ContainerSummary, NetworkDetails, NetworkMember} from '../../engine/types.js';
import {networkNameOf} from '../../model/network-modes.js';

/** A container attached to a network, running or not. */
export type Attached = NetworkMember & {readonly isRunning: boolean; readonly isModeNetwork: boolean};

/**
 * Every container attached to `network`: the network's own list has only the running ones (the engine makes an
 * endpoint when a container starts); a stopped or never started one is found in the containers' lists, by the
 * network's ID or, before its first start, by name. Removing a network from under a stopped container leaves
 * it unable to start ("network … not found").
 */
export function attachedTo(network: NetworkDetails, containers: readonly ContainerSummary[]): Attached[] {
  // NetworkMode names the network, or gives its id or an id prefix.
  const isModeNetwork = (mode: string | undefined) => mode !== undefined && networkNameOf(mode, [network], false) === network.name;
  const modeOf = (id: string) => containers.find(c => c.id === id)?.networkMode;
  const attached: Attached[] = network.members.map(m => ({...m, isRunning: true, isModeNetwork: isModeNetwork(modeOf(m.containerId))}));
  for (const container of containers) {
    const on = container.networks.find(n => n.networkId === network.id || (!n.networkId && n.name === network.name));
    if (on && !attached.some(a => a.containerId === container.id)) {
      attached.push({containerId: container.id, name: container.name, ipv4: on.ipv4, mac: on.mac, isRunning: false, isModeNetwork: isModeNetwork(container.networkMode)});
    }
  }

  return attached;
}
