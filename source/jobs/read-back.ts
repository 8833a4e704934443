// ✓ only over a state read back: after a change that the engine accepted, read the container again
// and compare it with what the change promised. A difference is a JobError that says what differs,
// never a success reported from the absence of an error.
import type {EnginePort} from '../engine/port.js';
import type {ContainerDetails, ContainerNetwork} from '../engine/types.js';
import {JobError} from './job.js';

/** What a container's endpoint on one network must look like after a change. */
export type EndpointPromise = {
  /** The network's name or id. */
  readonly network: string;
  /** false: the container must not be on it. */
  readonly isAttached: boolean;
  readonly aliases?: readonly string[];
  readonly ipv4?: string;
};

function endpointOn(details: ContainerDetails, network: string): ContainerNetwork | undefined {
  return details.networks.find(n => n.name === network || (n.networkId !== '' && (n.networkId === network || n.networkId.startsWith(network))));
}

/** What differs between `details` and the promises, in a few words each; empty when all hold. */
export function endpointDifferences(details: ContainerDetails, promises: readonly EndpointPromise[]): string[] {
  const found: string[] = [];
  for (const promise of promises) {
    const endpoint = endpointOn(details, promise.network);
    if (!promise.isAttached) {
      if (endpoint) {
        found.push(`still on ${endpoint.name}`);
      }

      continue;
    }

    if (!endpoint) {
      found.push(`not on ${promise.network}`);
      continue;
    }

    const missing = (promise.aliases ?? []).filter(alias => !endpoint.aliases.includes(alias));
    if (missing.length > 0) {
      found.push(`on ${endpoint.name} without the alias${missing.length > 1 ? 'es' : ''} ${missing.join(', ')}`);
    }

    if (promise.ipv4 && endpoint.ipamIpv4 !== promise.ipv4 && endpoint.ipv4 !== promise.ipv4) {
      found.push(`on ${endpoint.name} at ${endpoint.ipv4 || 'no address'} instead of ${promise.ipv4}`);
    }
  }

  return found;
}

/** Reads `id` back and throws a JobError naming each difference from `promises`; returns what it read. */
export async function readBackEndpoints(engine: EnginePort, id: string, promises: readonly EndpointPromise[], signal: AbortSignal): Promise<ContainerDetails> {
  const details = await engine.inspectContainer(id, {signal});
  const differences = endpointDifferences(details, promises);
  if (differences.length > 0) {
    throw new JobError(`The engine accepted the change, but reading ${details.name} back shows it ${differences.join('; ')}.`, `Look at it with docker inspect ${details.name}; hawser changed nothing else.`);
  }

  return details;
}
