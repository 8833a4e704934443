// The other containers as a wizard's choices, each with its state and where it is on the network.
import type {EnginePort} from '../engine/port.js';
import type {ContainerSummary} from '../engine/types.js';
import type {Choice} from './action-form.js';
import {describeMode} from '../model/network-modes.js';

/** Where a container is on the network, for a hint: its networks, else its mode (container:NAME, not the ID). */
export function networkHint(container: ContainerSummary, all: readonly ContainerSummary[]): string {
  return container.networks.map(n => n.name).join(', ') || describeMode(container.networkMode, id => all.find(c => c.id === id)?.name);
}

/** Every container but `except` (a name or ID), as choices: name, state and network hint. */
export async function otherContainerChoices(engine: EnginePort, except: string): Promise<Choice[]> {
  const containers = await engine.listContainers();
  return containers
    .filter(c => c.name !== except && c.id !== except)
    .map(c => ({value: c.name, label: c.name, hint: `${c.state}, ${networkHint(c, containers)}`}));
}
