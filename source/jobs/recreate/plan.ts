// Plans the recreation of a container from its inspect document: the create spec that keeps every
// setting, what the target network mode cannot keep (stashed in a label and restored on the way
// back), anonymous volumes carried over, and networks to connect after create. Pure: the job in
// recreate-job.ts carries it out. Used by the network-mode switch and the legacy-link feature.
import type {CreateContainerSpec} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {InputError} from '../job.js';
import {currentMode, hasNetworks, modeKind, primaryMarker, type ModeKind, type NetworkReference} from '../../model/network-modes.js';
import {readStash, writeStash, type EndpointSettings, type Stash} from './stash.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What to change while recreating; everything not named is kept. */
export type RecreateChanges = {
  /** Target mode: `bridge`, `host`, `none`, `container:<full id>` or a user network's name. Default: the current mode. */
  readonly networkMode?: string;
  /** Replaces `HostConfig.Links` (each `source:alias`); refused for host, none and container: modes. */
  readonly links?: readonly string[];
  /** Fields merged over `Config`. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Fields merged over `HostConfig`. */
  readonly hostConfig?: Readonly<Record<string, unknown>>;
};

/** Facts about the engine the planner needs and cannot read from the inspect document. */
export type PlanContext = {
  /** The engine's API version (`version().ApiVersion`), e.g. "1.41". */
  readonly apiVersion: string;
  /** What to create from: `Config.Image` if it still names the container's image, else the image id. */
  readonly image: string;
  /** The engine host's name: a host-mode container's generated hostname. */
  readonly engineHostname?: string;
  /** The hostname of the container whose namespace this one shares now (container: mode). */
  readonly parentHostname?: string;
  /** The engine's networks, when the container names one by an id or id prefix only they can match (`needsNetworkList`). */
  readonly networks?: readonly NetworkReference[];
};

/** A setting the target mode cannot keep (or one restored from the stash), for the preview. */
export type SettingChange = {
  readonly field: string;
  readonly description: string;
  /** Lost for good (an API too old for it, a network removed meanwhile), not kept aside for the way back. */
  readonly isLost?: boolean;
};

/** A network to connect after create, before start. */
export type ExtraNetwork = {readonly name: string; readonly settings: EndpointSettings};

/** Everything the recreate job needs, decided up front. */
export type RecreatePlan = {
  readonly containerId: string;
  readonly name: string;
  readonly fromMode: string;
  readonly toMode: string;
  /** The body of `POST /containers/create`, without the name. */
  readonly spec: CreateContainerSpec;
  readonly extraNetworks: readonly ExtraNetwork[];
  readonly dropped: readonly SettingChange[];
  readonly restored: readonly SettingChange[];
  /** The old container's restart policy, restored on rollback. */
  readonly restartPolicy: Readonly<Record<string, unknown>>;
  readonly wasRunning: boolean;
  readonly hasHealthcheck: boolean;
  /** Names of anonymous volumes carried over as volume mounts. */
  readonly anonymousVolumes: readonly string[];
};

const rejectedConfig: Readonly<Record<ModeKind, readonly string[]>> = {
  container: ['Hostname', 'Domainname', 'ExposedPorts', 'MacAddress'],
  host: ['MacAddress'],
  none: ['MacAddress'],
  bridge: [],
  network: [],
};

// PortBindings are accepted and ignored in host mode; dropping and stashing them shows the user the
// loss and gives the ports back on return.
const rejectedHostConfig: Readonly<Record<ModeKind, readonly string[]>> = {
  container: ['Links', 'Dns', 'DnsSearch', 'DnsOptions', 'ExtraHosts', 'PortBindings', 'PublishAllPorts'],
  host: ['Links', 'PortBindings', 'PublishAllPorts'],
  none: ['Links', 'PortBindings', 'PublishAllPorts'],
  bridge: [],
  network: [],
};

/** True for values that set nothing: the engine's way of saying "not configured". */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) {
    return true;
  }

  if (Array.isArray(value)) {
    return value.length === 0;
  }

  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/** Compares API versions like "1.41" numerically. */
export function apiAtLeast(version: string, wanted: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [wantedMajor = 0, wantedMinor = 0] = wanted.split('.').map(Number);
  return major > wantedMajor || (major === wantedMajor && minor >= wantedMinor);
}

/** `/source:/receiver/alias` (the inspect form) → `source:alias` (the create form). */
export function normalizeLink(link: string): string {
  const [source = '', alias = ''] = link.split(':');
  if (!source.startsWith('/')) {
    return link;
  }

  return `${source.slice(1)}:${alias.split('/').pop() ?? alias}`;
}

function describePorts(bindings: Json): string {
  const parts = Object.entries(bindings).map(([port, list]) => {
    const hostPorts = (Array.isArray(list) ? list as Json[] : []).map(b => `${b['HostIp'] ? `${String(b['HostIp'])}:` : ''}${String(b['HostPort'] || '?')}`);
    return hostPorts.length > 0 ? `${[...new Set(hostPorts)].join(',')}→${port}` : port;
  });
  return parts.join(', ');
}

function describeEndpoint(name: string, settings: EndpointSettings): string {
  const details: string[] = [];
  if (settings.Aliases?.length) {
    details.push(`aliases ${settings.Aliases.join(', ')}`);
  }

  const ip = settings.IPAMConfig?.['IPv4Address'];
  if (ip) {
    details.push(`IP ${String(ip)}`);
  }

  if (settings.Links?.length) {
    details.push(`links ${settings.Links.join(', ')}`);
  }

  if (settings.MacAddress) {
    details.push(`MAC ${settings.MacAddress}`);
  }

  if (settings.GwPriority) {
    details.push(`gateway priority ${settings.GwPriority}`);
  }

  return details.length > 0 ? `network ${name} (${details.join('; ')})` : `network ${name}`;
}

const fieldNames: Readonly<Record<string, string>> = {
  PortBindings: 'published ports',
  PublishAllPorts: 'publish all ports',
  ExposedPorts: 'exposed ports',
  Hostname: 'hostname',
  Domainname: 'domain name',
  MacAddress: 'MAC address',
  Links: 'legacy links',
  Dns: 'DNS servers',
  DnsSearch: 'DNS search domains',
  DnsOptions: 'DNS options',
  ExtraHosts: 'extra hosts',
};

/** One line for a person: what the setting is and its value. */
export function describeSetting(field: string, value: unknown): string {
  const label = fieldNames[field] ?? field;
  if (field === 'PortBindings') {
    return `${label} ${describePorts(value as Json)}`;
  }

  if (field === 'ExposedPorts') {
    return `${label} ${Object.keys(value as Json).join(', ')}`;
  }

  if (Array.isArray(value)) {
    return `${label} ${value.join(', ')}`;
  }

  return typeof value === 'boolean' ? label : `${label} ${String(value)}`;
}

/**
 * The user's settings of one endpoint: what create and connect take, without generated values. Not
 * its MAC address: inspect shows the one the endpoint runs with, set or generated alike (Engine 28
 * generates a random one at each start); the main network's configured MAC is `Config.MacAddress`.
 */
function endpointSettings(endpoint: Json, generated: readonly string[]): EndpointSettings {
  const aliases = (Array.isArray(endpoint['Aliases']) ? endpoint['Aliases'] as string[] : []).filter(a => !generated.includes(a));
  const ipam = (endpoint['IPAMConfig'] ?? {}) as Json;
  const ipamConfig: Json = {};
  for (const key of ['IPv4Address', 'IPv6Address', 'LinkLocalIPs']) {
    if (!isUnset(ipam[key])) {
      ipamConfig[key] = ipam[key];
    }
  }

  const settings: {-readonly [K in keyof EndpointSettings]: EndpointSettings[K]} = {};
  if (aliases.length > 0) {
    settings.Aliases = aliases;
  }

  if (Object.keys(ipamConfig).length > 0) {
    settings.IPAMConfig = ipamConfig;
  }

  if (Array.isArray(endpoint['Links']) && endpoint['Links'].length > 0) {
    settings.Links = (endpoint['Links'] as string[]).map(normalizeLink);
  }

  // The primary marker is re-derived on every switch; NetworkMode says it after a recreate.
  const {[primaryMarker]: _marker, ...driverOpts} = (endpoint['DriverOpts'] ?? {}) as Record<string, string>;
  if (!isUnset(driverOpts)) {
    settings.DriverOpts = driverOpts;
  }

  if (typeof endpoint['GwPriority'] === 'number' && endpoint['GwPriority'] !== 0) {
    settings.GwPriority = endpoint['GwPriority'];
  }

  return settings;
}

/** Endpoint settings an older API cannot take: per-endpoint MAC (1.44) and gateway priority (1.48). */
function withinApi(settings: EndpointSettings, apiVersion: string): {settings: EndpointSettings; lost: string[]} {
  const {MacAddress, GwPriority, ...rest} = settings;
  const lost: string[] = [];
  const kept: {-readonly [K in keyof EndpointSettings]: EndpointSettings[K]} = {...rest};
  if (MacAddress) {
    if (apiAtLeast(apiVersion, '1.44')) {
      kept.MacAddress = MacAddress;
    } else {
      lost.push(`MAC ${MacAddress}`);
    }
  }

  if (GwPriority) {
    if (apiAtLeast(apiVersion, '1.48')) {
      kept.GwPriority = GwPriority;
    } else {
      lost.push(`gateway priority ${GwPriority}`);
    }
  }

  return {settings: kept, lost};
}

/** The default bridge refuses aliases and static addresses. */
function forNetwork(name: string, settings: EndpointSettings): EndpointSettings {
  if (modeKind(name) !== 'bridge') {
    return settings;
  }

  const {Aliases: _aliases, IPAMConfig: _ipam, ...rest} = settings;
  return rest;
}

function isGeneratedHostname(details: ContainerDetails, fromKind: ModeKind, context: PlanContext): boolean {
  const hostname = String((details.raw['Config'] as Json | undefined)?.['Hostname'] ?? '');
  if (!hostname || hostname === details.id.slice(0, 12)) {
    return true;
  }

  if (fromKind === 'host') {
    return hostname === context.engineHostname;
  }

  if (fromKind === 'container') {
    return context.parentHostname === undefined || hostname === context.parentHostname;
  }

  return false;
}

/** Volume mounts for anonymous volumes, which are neither in Binds nor named mounts: else the new container gets new, empty ones. */
function carryAnonymousVolumes(raw: Json, host: Json): string[] {
  const bindTargets = new Set((Array.isArray(host['Binds']) ? host['Binds'] as string[] : []).map(b => b.split(':')[1] ?? b));
  const rawMounts = Array.isArray(raw['Mounts']) ? raw['Mounts'] as Json[] : [];
  const mounts = (Array.isArray(host['Mounts']) ? host['Mounts'] as Json[] : []).map(m => {
    // `--mount type=volume,dst=/x` without a source is anonymous too: pin it to the volume it got.
    if (m['Type'] === 'volume' && !m['Source']) {
      const used = rawMounts.find(r => r['Destination'] === m['Target'] && r['Type'] === 'volume');
      return used ? {...m, Source: used['Name']} : m;
    }

    return m;
  });
  const mountTargets = new Set(mounts.map(m => String(m['Target'])));
  const carried: string[] = [];
  for (const m of rawMounts) {
    const destination = String(m['Destination'] ?? '');
    if (m['Type'] === 'volume' && m['Name'] && !bindTargets.has(destination) && !mountTargets.has(destination)) {
      mounts.push({Type: 'volume', Source: m['Name'], Target: destination, ReadOnly: !m['RW']});
      carried.push(String(m['Name']));
    }
  }

  if (mounts.length > 0) {
    host['Mounts'] = mounts;
  }

  return carried;
}

/** The network that gives a container its mode (bridge or a user network), if any. */
function oldPrimaryOf(fromMode: string, fromKind: ModeKind): string | undefined {
  return hasNetworks(fromKind) ? fromMode : undefined;
}

/**
 * Plans recreating `details` with `changes`. Throws InputError when the changes cannot work in
 * the target mode (links in host, none or container: mode).
 */
export function planRecreate(details: ContainerDetails, changes: RecreateChanges, context: PlanContext): RecreatePlan {
  const raw = details.raw as Json;
  const config: Json = structuredClone((raw['Config'] ?? {}) as Json);
  const host: Json = structuredClone((raw['HostConfig'] ?? {}) as Json);
  const fromMode = currentMode(details, context.networks);
  const fromKind = modeKind(fromMode);
  const toMode = changes.networkMode === undefined ? fromMode : (modeKind(changes.networkMode) === 'bridge' ? 'bridge' : changes.networkMode);
  const toKind = modeKind(toMode);
  const stash = readStash(config['Labels'] as Record<string, string> | undefined);
  const stashConfig: Json = {...stash.Config};
  const stashHost: Json = {...stash.HostConfig};
  let stashNetworks: Stash['Networks'] = stash.Networks;
  let stashPrimary = stash.Primary;
  const dropped: SettingChange[] = [];
  const restored: SettingChange[] = [];

  if (toKind === 'container' && toMode.slice('container:'.length) === details.id) {
    throw new InputError('A container cannot share its own network namespace.', 'Pick another container.');
  }

  // A generated hostname would be inherited by the new container as if the user had set it.
  if (isGeneratedHostname(details, fromKind, context)) {
    delete config['Hostname'];
    if (fromKind === 'host' || fromKind === 'container') {
      delete config['Domainname'];
    }
  }

  if (Array.isArray(host['Links'])) {
    host['Links'] = (host['Links'] as string[]).map(normalizeLink);
  }

  if (changes.links !== undefined) {
    if (changes.links.length > 0 && !hasNetworks(toKind)) {
      throw new InputError(`Legacy links do not work in ${toKind === 'container' ? 'container:' : toKind} mode.`, 'Links need the default bridge; switch the container to bridge first, or use a user-defined network with an alias.');
    }

    host['Links'] = [...changes.links];
  }

  Object.assign(config, changes.config);
  Object.assign(host, changes.hostConfig);
  host['NetworkMode'] = toMode;

  // Restore what an earlier switch stashed, where the target keeps it and nothing replaced it.
  for (const [target, kept, rejected] of [[config, stashConfig, rejectedConfig[toKind]], [host, stashHost, rejectedHostConfig[toKind]]] as const) {
    for (const [field, value] of Object.entries(kept)) {
      if (rejected.includes(field)) {
        continue;
      }

      if (isUnset(target[field])) {
        target[field] = value;
        restored.push({field, description: describeSetting(field, value)});
      }

      delete kept[field];
    }
  }

  // Drop (and stash) what the target rejects.
  for (const [target, kept, rejected] of [[config, stashConfig, rejectedConfig[toKind]], [host, stashHost, rejectedHostConfig[toKind]]] as const) {
    for (const field of rejected) {
      if (!isUnset(target[field])) {
        kept[field] = target[field];
        dropped.push({field, description: describeSetting(field, target[field])});
      }

      delete target[field];
    }
  }

  // Network endpoints: the current ones, or the stashed ones when coming back from host, none or container:.
  // The engine adds the short id (below API 1.45) and the hostname as aliases on user networks by itself.
  const generatedAliases = [details.id.slice(0, 12), details.id, String((raw['Config'] as Json | undefined)?.['Hostname'] ?? '')];
  const networks = ((raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json>;
  const endpoints = new Map<string, EndpointSettings>();
  for (const [name, endpoint] of Object.entries(networks)) {
    if (name !== 'host' && name !== 'none') {
      endpoints.set(name, forNetwork(name, endpointSettings(endpoint, generatedAliases)));
    }
  }

  const oldPrimary = oldPrimaryOf(fromMode, fromKind);
  let extraNetworks: ExtraNetwork[] = [];
  let primarySettings: EndpointSettings = {};
  if (hasNetworks(toKind)) {
    if (endpoints.size === 0 && stashNetworks) {
      for (const [name, settings] of Object.entries(stashNetworks)) {
        if (name === toMode || name !== stashPrimary) {
          endpoints.set(name, forNetwork(name, settings));
          restored.push({field: 'Networks', description: describeEndpoint(name, settings)});
        }
      }

      stashNetworks = undefined;
      stashPrimary = undefined;
    }

    primarySettings = forNetwork(toMode, endpoints.get(toMode) ?? {});
    extraNetworks = [...endpoints.entries()]
      .filter(([name]) => name !== toMode && (name !== oldPrimary || oldPrimary === toMode))
      .map(([name, settings]) => ({name, settings}));
  } else if (endpoints.size > 0) {
    const isWorthKeeping = endpoints.size > 1 || [...endpoints.values()].some(s => !isUnset(s));
    if (isWorthKeeping) {
      stashNetworks = Object.fromEntries(endpoints);
      stashPrimary = oldPrimary;
      for (const [name, settings] of endpoints) {
        if (name !== oldPrimary || !isUnset(settings)) {
          dropped.push({field: 'Networks', description: describeEndpoint(name, settings)});
        }
      }
    }
  }

  // From API 1.44 a MAC address belongs to an endpoint: the container-wide Config.MacAddress is
  // deprecated (the engine warns) and only reaches the main network. It moves onto the target's
  // endpoint. Settings an older API cannot take are named as lost.
  if (hasNetworks(toKind) && apiAtLeast(context.apiVersion, '1.44') && !isUnset(config['MacAddress'])) {
    primarySettings = {...primarySettings, MacAddress: String(config['MacAddress'])};
    delete config['MacAddress'];
  }

  const checked = withinApi(primarySettings, context.apiVersion);
  primarySettings = checked.settings;
  for (const lost of checked.lost) {
    dropped.push({field: 'Networks', description: `${lost} on network ${toMode} (the engine's API ${context.apiVersion} cannot set it)`, isLost: true});
  }

  extraNetworks = extraNetworks.map(extra => {
    const within = withinApi(extra.settings, context.apiVersion);
    for (const lost of within.lost) {
      dropped.push({field: 'Networks', description: `${lost} on network ${extra.name} (the engine's API ${context.apiVersion} cannot set it)`, isLost: true});
    }

    return {name: extra.name, settings: within.settings};
  });

  const anonymousVolumes = carryAnonymousVolumes(raw, host);
  config['Labels'] = writeStash(config['Labels'] as Record<string, string> | undefined, {Config: stashConfig, HostConfig: stashHost, Networks: stashNetworks, Primary: stashPrimary});

  // Below API 1.44 create takes exactly one endpoint, keyed by NetworkMode (another key silently
  // joins that network instead): the rest are connected after create.
  let networkingConfig: Json | undefined;
  if (hasNetworks(toKind)) {
    // From 1.44 the endpoints given at create are all the container gets: the target network must
    // be among them even with nothing to set, or the container is left off it (bridge included).
    const isAllAtOnce = apiAtLeast(context.apiVersion, '1.44');
    const endpointsConfig: Json = {};
    if (!isUnset(primarySettings) || toKind === 'network' || isAllAtOnce) {
      endpointsConfig[toMode] = primarySettings;
    }

    if (isAllAtOnce) {
      for (const extra of extraNetworks) {
        endpointsConfig[extra.name] = extra.settings;
      }

      extraNetworks = [];
    }

    if (Object.keys(endpointsConfig).length > 0) {
      networkingConfig = {EndpointsConfig: endpointsConfig};
    }
  }

  const healthcheck = config['Healthcheck'] as Json | undefined;
  const hasHealthcheck = Array.isArray(healthcheck?.['Test']) && healthcheck['Test'].length > 0 && healthcheck['Test'][0] !== 'NONE';
  const spec: Json = {...config, Image: context.image, HostConfig: host};
  if (networkingConfig) {
    spec['NetworkingConfig'] = networkingConfig;
  }

  return {
    containerId: details.id,
    name: details.name,
    fromMode,
    toMode,
    spec,
    extraNetworks,
    dropped,
    restored,
    restartPolicy: (raw['HostConfig'] as Json | undefined)?.['RestartPolicy'] ?? {Name: 'no'},
    wasRunning: details.isRunning,
    hasHealthcheck,
    anonymousVolumes,
  };
}

/**
 * The plan without endpoints on `names`, networks that are gone (removed while the container was in
 * host, none or container: mode, which kept its settings for them): each is named as dropped, so the
 * preview says it, and the container is not stopped for a connect that must fail.
 */
export function withoutNetworks(plan: RecreatePlan, names: readonly string[]): RecreatePlan {
  if (names.length === 0) {
    return plan;
  }

  const endpoints = {...((plan.spec['NetworkingConfig'] as Json | undefined)?.['EndpointsConfig'] ?? {}) as Record<string, EndpointSettings>};
  const dropped: SettingChange[] = [];
  for (const name of names) {
    const settings = endpoints[name] ?? plan.extraNetworks.find(extra => extra.name === name)?.settings ?? {};
    dropped.push({field: 'Networks', description: `${describeEndpoint(name, settings)}: it was removed meanwhile, so it cannot be given back`, isLost: true});
    delete endpoints[name];
  }

  const spec: Json = {...plan.spec};
  if (Object.keys(endpoints).length > 0) {
    spec['NetworkingConfig'] = {EndpointsConfig: endpoints};
  } else {
    delete spec['NetworkingConfig'];
  }

  return {
    ...plan,
    spec,
    extraNetworks: plan.extraNetworks.filter(extra => !names.includes(extra.name)),
    restored: plan.restored.filter(change => !names.some(name => change.description.startsWith(`network ${name}`))),
    dropped: [...plan.dropped, ...dropped],
  };
}
