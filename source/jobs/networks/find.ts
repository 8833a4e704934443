// Looking up networks by what a person types: a name, an id or an id prefix.
import type {EnginePort} from '../../engine/port.js';
import type {NetworkDetails} from '../../engine/types.js';
import {InputError} from '../job.js';

/** Inspects a network by name, id or id prefix; a missing one is bad input. */
export async function findNetwork(engine: EnginePort, reference: string): Promise<NetworkDetails> {
  const text = reference.trim();
  const networks = await engine.listNetworks();
  const found = networks.find(n => n.name === text) ?? networks.find(n => n.id === text || (text.length >= 6 && n.id.startsWith(text)));
  if (!found) {
    throw new InputError(`No network named ${text || '(empty)'}.`, 'See them with hawser network ls.');
  }

  return engine.inspectNetwork(found.id);
}

/** True for bridge, host and none, and for the default bridge under any name. */
export function isBuiltin(network: {readonly name: string; readonly options: Readonly<Record<string, string>>}): boolean {
  return ['bridge', 'host', 'none'].includes(network.name) || network.options['com.docker.network.bridge.default_bridge'] === 'true';
}
