// Which network modes a container can switch to, and how: live (connect/disconnect) or by recreate.
import type {EnginePort, RequestOptions} from '../../engine/port.js';
import type {ContainerDetails, ContainerSummary} from '../../engine/types.js';
import {EngineError} from '../../engine/errors.js';
import type {Choice} from '../action-form.js';
import {InputError} from '../job.js';
import {builtinNetworks, containerOfMode, currentMode, hasNetworks, modeKind, networkNameOf, type NetworkReference} from '../../model/network-modes.js';
import {isUnset} from '../recreate/plan.js';
import {readStash} from '../recreate/stash.js';

const modeHelp = 'MODE is bridge, host, none, container:NAME, or the name of a user-defined network (see hawser network ls).';

/** Inspects a container by name or id; a missing one is bad input, not an engine failure. */
export async function findContainer(engine: EnginePort, reference: string, options?: RequestOptions): Promise<ContainerDetails> {
  try {
    return await engine.inspectContainer(reference, options);
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404) {
      throw new InputError(`No container named ${reference}.`, 'See the names with hawser ls containers or docker ps -a.');
    }

    throw error;
  }
}

/** Turns what the user typed into a mode the planner takes (`container:<full id>`, a network's name). Throws InputError. */
export async function resolveMode(engine: EnginePort, details: ContainerDetails, input: string, options?: RequestOptions): Promise<string> {
  const text = input.trim();
  if (!text) {
    throw new InputError('No mode given.', modeHelp);
  }

  const kind = modeKind(text);
  if (kind === 'bridge') {
    return 'bridge';
  }

  if (kind === 'host' || kind === 'none') {
    return kind;
  }

  if (kind === 'container') {
    const parentReference = containerOfMode(text);
    if (!parentReference) {
      throw new InputError('container: needs a container name, as in container:web.', modeHelp);
    }

    const parent = await findContainer(engine, parentReference, options);
    if (parent.id === details.id) {
      throw new InputError(`${details.name} cannot share its own network namespace.`, 'Pick another container.');
    }

    if (parent.networkMode === `container:${details.id}`) {
      throw new InputError(`${parent.name} already shares ${details.name}'s namespace; sharing back would make a loop.`, `Switch ${parent.name} to another mode first.`);
    }

    if (!parent.isRunning) {
      throw new InputError(`${parent.name} is not running, and a container can only join a running container's namespace.`, `Start ${parent.name} first.`);
    }

    return `container:${parent.id}`;
  }

  const networks = await engine.listNetworks(options);
  const network = networks.find(n => n.name === text) ?? networks.find(n => n.id === text || (text.length >= 6 && n.id.startsWith(text)));
  if (!network) {
    throw new InputError(`No network or mode named ${text}.`, modeHelp);
  }

  if (builtinNetworks.includes(network.name)) {
    return network.name;
  }

  if (network.scope === 'swarm' && !network.isAttachable) {
    throw new InputError(`${network.name} is a swarm network that is not attachable: only services can use it.`, 'Create it with --attachable to use it for containers.');
  }

  return network.name;
}

/** True when the stash holds something the target mode would give back, which only a recreate can do. */
export function hasStashFor(details: ContainerDetails, toMode: string): boolean {
  const stash = readStash(details.labels);
  if (!hasNetworks(modeKind(toMode))) {
    return false;
  }

  return [stash.Config, stash.HostConfig, stash.Networks].some(part => !isUnset(part));
}

/**
 * True when NetworkMode names a network the engine no longer has (removed from under the container): it
 * cannot start again with that mode, and only a recreate gives it one that exists.
 */
export function isConfiguredNetworkGone(details: ContainerDetails, networks: readonly NetworkReference[]): boolean {
  const configured = String((details.raw['HostConfig'] as Record<string, unknown> | undefined)?.['NetworkMode'] ?? '');
  return modeKind(configured) === 'network' && !builtinNetworks.includes(configured) && networkNameOf(configured, networks) === undefined;
}

/**
 * How a switch can be done: live by connect/disconnect, or by recreating the container. With the engine's
 * `networks`, a container whose configured network is gone is recreated, so that it can start again.
 */
export function switchMethod(details: ContainerDetails, toMode: string, networks?: readonly NetworkReference[]): 'live' | 'recreate' {
  const fromKind = modeKind(currentMode(details, networks));
  const toKind = modeKind(toMode);
  if (!hasNetworks(toKind) || hasStashFor(details, toMode) || (networks && isConfiguredNetworkGone(details, networks))) {
    return 'recreate';
  }

  // Between networks connect/disconnect works; out of none too (disconnect none first). Not out of host or container:.
  return hasNetworks(fromKind) || fromKind === 'none' ? 'live' : 'recreate';
}

/** The modes this container can switch to, for the TUI's picker; each says live or recreate. */
export async function validTargets(engine: EnginePort, containerReference: string, options?: RequestOptions): Promise<Choice[]> {
  const details = await findContainer(engine, containerReference, options);
  const [networks, containers] = await Promise.all([engine.listNetworks(options), engine.listContainers(options)]);
  const from = currentMode(details, networks);
  const modes: {value: string; label: string}[] = [
    {value: 'bridge', label: 'bridge (the default bridge)'},
    ...networks
      .filter(n => !builtinNetworks.includes(n.name) && (n.scope !== 'swarm' || n.isAttachable))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(n => ({value: n.name, label: `${n.name} (${n.driver} network)`})),
    {value: 'host', label: 'host (the host\'s network stack)'},
    {value: 'none', label: 'none (no network, only lo)'},
    ...containers
      .filter((c: ContainerSummary) => c.id !== details.id && c.state === 'running' && !c.networkMode.startsWith('container:'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(c => ({value: `container:${c.name}`, label: `container:${c.name} (share ${c.name}'s namespace)`})),
  ];
  return modes
    .filter(m => !(m.value === from || (m.value.startsWith('container:') && from.startsWith('container:') && containers.some(c => `container:${c.name}` === m.value && `container:${c.id}` === from))))
    .map(m => {
      const target = m.value.startsWith('container:') ? 'container:x' : m.value;
      return {...m, hint: switchMethod(details, target, networks) === 'live' ? 'live' : 'recreate'};
    });
}
