// Reading containers and their network endpoints the way links need them: by name or id, with the
// aliases the user gave (not the ones the engine generates), and what reconnecting would need.
import type {ConnectSpec, EnginePort, RequestOptions} from '../../engine/port.js';
import {EngineError} from '../../engine/errors.js';
import type {ContainerDetails} from '../../engine/types.js';
import {InputError} from '../job.js';
import {aliasProblem} from '../../model/aliases.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Inspects a container by name or id; a missing one is bad input, not an engine failure. */
/** Finds both containers of a link and checks the alias; throws InputError (nothing changed) on bad input. */
export async function resolveLinkPair(engine: EnginePort, request: {readonly receiver: string; readonly source: string; readonly alias?: string}, example: string): Promise<{receiver: ContainerDetails; source: ContainerDetails; alias: string}> {
  const receiver = await requireContainer(engine, request.receiver);
  const source = await requireContainer(engine, request.source);
  if (receiver.id === source.id) {
    throw new InputError(`${receiver.name} cannot be linked to itself.`, 'Pick two different containers.');
  }

  const alias = request.alias?.trim() || source.name;
  const problem = aliasProblem(alias);
  if (problem) {
    throw new InputError(problem, `For example: ${example}`);
  }

  return {receiver, source, alias};
}

/** Finds a container by name or id, or says it does not exist. */
export async function requireContainer(engine: EnginePort, reference: string, options?: RequestOptions): Promise<ContainerDetails> {
  if (!reference.trim()) {
    throw new InputError('No container given.', 'Name a container (see hawser ls containers).');
  }

  try {
    return await engine.inspectContainer(reference.trim(), options);
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404) {
      throw new InputError(`No container named ${reference}.`, 'See the names with hawser ls containers or docker ps -a.');
    }

    throw error;
  }
}

/** The raw endpoint of a container on a network (by name), if attached. */
export function rawEndpoint(details: ContainerDetails, network: string): Json | undefined {
  const networks = ((details.raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json>;
  return networks[network];
}

/** Aliases the user gave on a network: without the short id, full id and hostname the engine adds. */
export function userAliases(details: ContainerDetails, network: string): string[] {
  const generated = new Set([details.id.slice(0, 12), details.id, details.hostname]);
  const aliases = rawEndpoint(details, network)?.['Aliases'];
  return (Array.isArray(aliases) ? aliases as string[] : []).filter(alias => !generated.has(alias));
}

/** What `connect` needs to put an endpoint back as it was, with different aliases. */
export function reconnectSpec(details: ContainerDetails, network: string, aliases: readonly string[]): ConnectSpec {
  const endpoint = rawEndpoint(details, network) ?? {};
  const ipv4 = endpoint['IPAMConfig']?.['IPv4Address'] as string | undefined;
  const links = Array.isArray(endpoint['Links']) ? (endpoint['Links'] as string[]) : [];
  const driverOpts = (endpoint['DriverOpts'] ?? {}) as Record<string, string>;
  return {
    aliases,
    ...(ipv4 ? {ipv4} : {}),
    ...(links.length > 0 ? {links: links.map(link => normalizeEndpointLink(link))} : {}),
    ...(Object.keys(driverOpts).length > 0 ? {driverOpts} : {}),
  };
}

/** `/source:/receiver/alias` → `source:alias`, the form create and connect take. */
export function normalizeEndpointLink(link: string): string {
  const [source = '', target = ''] = link.split(':');
  return `${source.replace(/^\//, '')}:${target.split('/').pop() ?? target}`;
}

/** A legacy link of a receiver, parsed from `HostConfig.Links` (`/mysql:/nginx/aliasmysql`). */
export type LegacyLink = {readonly source: string; readonly alias: string};

/** The receiver's legacy links. */
export function legacyLinksOf(details: ContainerDetails): LegacyLink[] {
  return details.legacyLinks.map(link => {
    const {0: source = '', 1: alias = ''} = normalizeEndpointLink(link).split(':');
    return {source, alias: alias || source};
  });
}

/** The container's address on a network ('' when it has none, e.g. stopped). */
export function addressOn(details: ContainerDetails, network: string): string {
  return details.networks.find(n => n.name === network)?.ipv4 ?? '';
}
