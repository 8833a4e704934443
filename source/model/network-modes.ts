// Network modes as hawser names them, the networks every engine has, and which mode a container is
// really in. Pure: the vocabulary every layer shares (jobs, resources, state, commands).

/** What of an inspected container its mode is read from (the engine's ContainerDetails has both). */
export type InspectedContainer = {
  /** The raw inspect document (`HostConfig.NetworkMode`, the endpoints' options). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The attached networks, by name and `NetworkID` ('' for a container never started). */
  readonly networks: readonly {readonly name: string; readonly networkId: string}[];
};

/** The kinds of network mode: the default bridge, a user-defined network, host, none, or another container's namespace. */
export type ModeKind = 'bridge' | 'network' | 'host' | 'none' | 'container';

/** Names of the networks every engine has and nobody can remove. */
export const builtinNetworks: readonly string[] = ['bridge', 'host', 'none'];

/** The kind of a mode string (`bridge`, `host`, `none`, `container:ID`, or a network name). */
export function modeKind(mode: string): ModeKind {
  if (mode === 'bridge' || mode === 'default') {
    return 'bridge';
  }

  if (mode === 'host' || mode === 'none') {
    return mode;
  }

  return mode.startsWith('container:') ? 'container' : 'network';
}

/** True when containers in this kind of mode can be attached to networks (and so keep endpoints, ports, aliases). */
export function hasNetworks(kind: ModeKind): boolean {
  return kind === 'bridge' || kind === 'network';
}

/** The id or name after `container:`. */
export function containerOfMode(mode: string): string {
  return mode.slice('container:'.length);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Endpoint driver option marking the network a live switch moved the container to. Connect and
 * disconnect cannot update `HostConfig.NetworkMode`, and nothing else on a container can be changed
 * without recreating it; network drivers ignore endpoint options they do not know.
 */
export const primaryMarker = 'io.hawser.primary';

/** A network as the engine lists it: what an id or id prefix is matched against. */
export type NetworkReference = {readonly id: string; readonly name: string};

/** What decides a container's mode: its configured NetworkMode, the networks it is attached to, and the one a live switch marked primary. */
export type ModeFacts = {
  /** `HostConfig.NetworkMode` as the engine keeps it ('default' when unset): a name, or an id or id prefix as given at create. */
  readonly configured: string;
  /** Names of the attached networks (a container created with its endpoint keyed by an id has that id here until it starts). */
  readonly attached: readonly string[];
  /** The attached network whose endpoint carries `primaryMarker` (only inspect shows endpoint options). */
  readonly marked?: string;
  /** `NetworkID` of each attached network, in the order of `attached` ('' when not known: a container never started). */
  readonly attachedIds?: readonly string[];
  /** The engine's networks, when at hand: ids and id prefixes are then matched exactly as the engine does. */
  readonly networks?: readonly NetworkReference[];
};

/**
 * Shortest id prefix matched without the engine's whole network list, which alone tells names from prefixes: a
 * shorter one may well be the name of a network the facts do not show (`db`, `cafe`); a longer one that is a name
 * and also starts an attached network's id is a one-in-16-million coincidence.
 */
const unlistedPrefixLength = 6;

/**
 * The name of the network `reference` points to, as the engine finds it (a full id first, then a name, then an id
 * prefix that matches one network only); undefined when `known` cannot tell. Without the engine's whole list
 * (`isComplete` false) a prefix must be `unlistedPrefixLength` long at least.
 */
export function networkNameOf(reference: string, known: readonly NetworkReference[], isComplete = true): string | undefined {
  if (!reference) {
    return undefined;
  }

  const byId = known.find(n => n.id === reference);
  if (byId) {
    return byId.name;
  }

  if (known.some(n => n.name === reference)) {
    return reference;
  }

  if (!/^[0-9a-f]+$/.test(reference) || (!isComplete && reference.length < unlistedPrefixLength)) {
    return undefined;
  }

  const byPrefix = [...new Map(known.filter(n => n.id.startsWith(reference)).map(n => [n.id, n])).values()];
  return byPrefix.length === 1 ? byPrefix[0]!.name : undefined;
}

/** The facts with every network named: ids and id prefixes (in NetworkMode, or as the key of a never-started container's endpoint) matched to names. */
function namedFacts(facts: ModeFacts): ModeFacts {
  const fromEndpoints = facts.attached.map((name, i) => ({name, id: facts.attachedIds?.[i] ?? ''})).filter(n => n.id);
  const known = [...(facts.networks ?? []), ...fromEndpoints];
  if (known.length === 0) {
    return facts;
  }

  const isComplete = facts.networks !== undefined;
  const names = new Map(facts.attached.map(name => [name, networkNameOf(name, known, isComplete) ?? name]));
  // An attached name is one as well, unless it is the id a never-started container's endpoint is keyed by.
  const name = (reference: string) => names.get(reference) ?? networkNameOf(reference, known, isComplete) ?? reference;
  const configured = modeKind(facts.configured) === 'network' ? name(facts.configured) : facts.configured;
  return {configured, attached: facts.attached.map(name), ...(facts.marked === undefined ? {} : {marked: name(facts.marked)})};
}

/**
 * The mode from its facts. `HostConfig.NetworkMode` is not updated by connect and disconnect, so for
 * bridge and user networks the attached networks decide: the marked one, else the configured one if
 * still attached, else the default bridge, else the first by name. Networks given by id are named.
 */
export function modeFromFacts(facts: ModeFacts): string {
  const {configured, attached, marked} = namedFacts(facts);
  if (configured.startsWith('container:')) {
    return configured;
  }

  if (attached.includes('host') || (attached.length === 0 && configured === 'host')) {
    return 'host';
  }

  if (attached.includes('none') || (attached.length === 0 && configured === 'none')) {
    return 'none';
  }

  if (marked) {
    return marked;
  }

  const wanted = configured === 'default' ? 'bridge' : configured;
  if (attached.includes(wanted)) {
    return wanted;
  }

  if (attached.includes('bridge')) {
    return 'bridge';
  }

  // A container detached from every network behaves like none; its configured mode is what a restart uses.
  return [...attached].sort()[0] ?? (wanted === 'host' || wanted === 'none' ? wanted : 'none');
}

/** The facts of an inspected document (which has the endpoints' options, so the marker); `networks` names networks given by id. */
export function factsOf(details: InspectedContainer, networks?: readonly NetworkReference[]): ModeFacts {
  const configured = String((details.raw['HostConfig'] as Json | undefined)?.['NetworkMode'] || 'default');
  const endpoints = ((details.raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json>;
  const marked = Object.entries(endpoints).find(([, endpoint]) => endpoint?.['DriverOpts']?.[primaryMarker])?.[0];
  return {
    configured,
    attached: details.networks.map(n => n.name),
    attachedIds: details.networks.map(n => n.networkId),
    ...(marked === undefined ? {} : {marked}),
    ...(networks === undefined ? {} : {networks}),
  };
}

/** The mode a container is really in, from its inspected document (which has the endpoints' marker); `networks` names networks given by id. */
export function currentMode(details: InspectedContainer, networks?: readonly NetworkReference[]): string {
  return modeFromFacts(factsOf(details, networks));
}

/** The configured mode with its network named (`bridge` for the default): the network a live switch needs no marker for. */
export function configuredMode(details: InspectedContainer, networks?: readonly NetworkReference[]): string {
  const {configured} = namedFacts(factsOf(details, networks));
  return modeKind(configured) === 'bridge' ? 'bridge' : configured;
}

/**
 * True when `facts` name a network by something that may be an id or id prefix the facts alone cannot match
 * (the engine's network list can): then only that list tells the mode.
 */
export function needsNetworkList(facts: ModeFacts): boolean {
  const named = namedFacts(facts);
  const isUnmatched = (original: string, resolved: string) => original === resolved && /^[0-9a-f]+$/.test(original) && !builtinNetworks.includes(original);
  return (modeKind(named.configured) === 'network' && !named.attached.includes(named.configured) && isUnmatched(facts.configured, named.configured))
    || facts.attached.some((name, i) => !facts.attachedIds?.[i] && isUnmatched(name, named.attached[i]!));
}

/** A mode for people: `container:NAME` instead of the full id when the name is known. */
export function describeMode(mode: string, nameOf?: (id: string) => string | undefined): string {
  if (modeKind(mode) === 'container') {
    const id = containerOfMode(mode);
    return `container:${nameOf?.(id) ?? id.slice(0, 12)}`;
  }

  return modeKind(mode) === 'bridge' ? 'bridge' : mode;
}
