// The containers panel: columns, search, sort and details.
import type {ContainerDetails, ContainerSummary, PortMapping} from '../engine/types.js';
import type {DetailRow, DetailSection, ResourceIndex, ResourceKind} from './kind.js';
import {labelsSection} from './labels-section.js';
import {linkEnvPrefix} from '../model/aliases.js';
import {currentMode, modeFromFacts, modeKind, type ModeFacts} from '../model/network-modes.js';
import {hasSecretShape, isSecretName, maskCommandLine, maskSecretText, splitEnv} from '../model/secrets.js';

/** The container a `container:<id>` mode shares with, or undefined. */
export function sharedWith(networkMode: string): string | undefined {
  return networkMode.startsWith('container:') ? networkMode.slice('container:'.length) : undefined;
}

/**
 * What the list row says about the mode: the list has no endpoint options, so never a live switch's marker; its
 * endpoints' network ids name a NetworkMode given by id (`docker run --network <id>`).
 */
export function listFacts(container: ContainerSummary): ModeFacts {
  return {configured: container.networkMode || 'default', attached: container.networks.map(n => n.name), attachedIds: container.networks.map(n => n.networkId)};
}

/** The attached networks as one string: an inspected mode is only used while the row's networks are the ones it was read with. */
export function networksKey(networks: readonly {readonly name: string}[]): string {
  return networks.map(n => n.name).sort().join(' ');
}

/** True when a bridge or network mode container is not attached to its configured network: a live switch (or a disconnect) moved it. */
export function isOffConfigured(container: ContainerSummary): boolean {
  const {configured, attached} = listFacts(container);
  const kind = modeKind(configured);
  return (kind === 'bridge' || kind === 'network') && !attached.includes(kind === 'bridge' ? 'bridge' : configured);
}

/**
 * True when only the inspected document can tell the mode. A live switch marks its network in the
 * endpoint's options, which the list leaves out (null there), and that marker would win over what the
 * list says when 2+ networks are attached. Inspected only then, and when the configured network is not
 * among them (or was not when last seen: re-attached after a live switch away from it, beside the
 * marked one); with the configured network attached all along, the configured network is the mode.
 */
export function needsInspectedMode(container: ContainerSummary, wasOffConfigured = false): boolean {
  const facts = listFacts(container);
  const mode = modeFromFacts(facts);
  const couldMarkerDecide = facts.attached.some(name => name !== mode && modeFromFacts({...facts, marked: name}) !== mode);
  return couldMarkerDecide && (wasOffConfigured || isOffConfigured(container));
}

/**
 * A container's mode (`container:<id>`, bridge, host, none or a network), by the rules of
 * `currentMode`: from the inspected document when the index has it for the row's current networks,
 * else from the list (right unless `needsInspectedMode`).
 */
export function networkModeOf(container: ContainerSummary, index: ResourceIndex): string {
  const inspected = index.inspectedModes?.get(container.id);
  return inspected && inspected.networks === networksKey(container.networks) ? inspected.mode : modeFromFacts(listFacts(container));
}

/** A container's network mode as a person says it: bridge, host, none, container:NAME, or the network. */
export function displayNetworkMode(container: ContainerSummary, index: ResourceIndex): string {
  const mode = networkModeOf(container, index);
  const parent = sharedWith(mode);
  if (parent) {
    const name = index.containerById.get(parent)?.name ?? [...index.containerById.values()].find(c => c.name === parent || c.id.startsWith(parent))?.name;
    return `container:${name ?? parent.slice(0, 12)}`;
  }

  return mode === 'default' ? 'bridge' : mode;
}

/** Published ports, docker-ps style but short: `8080→80/tcp`. */
export function formatPorts(ports: readonly PortMapping[]): string {
  return ports.map(p => `${p.publicPort ? `${p.publicPort}→` : ''}${p.privatePort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`).join(' ');
}

function networksCell(container: ContainerSummary): string {
  return container.networks.map(n => (n.ipv4 ? `${n.name} ${n.ipv4}` : n.name)).join(', ');
}

function shortId(id: string): string {
  return id.slice(0, 12);
}

const stateOrder: Record<string, number> = {running: 0, restarting: 1, paused: 2, created: 3, exited: 4, dead: 5};

/** Env rows; values that look secret are flagged, vars injected by a legacy link are marked. */
function envRows(env: readonly string[], linkAliases: readonly string[]): DetailRow[] {
  const prefixes = linkAliases.map(linkEnvPrefix);
  return env.map(entry => {
    const {name, value} = splitEnv(entry);
    // What the engine injects for a link: ALIAS_NAME, ALIAS_PORT…, ALIAS_ENV_…
    const fromLink = prefixes.find(prefix => name.startsWith(prefix) && /^_(ENV_|PORT|NAME$)/.test(name.slice(prefix.length - 1)));
    return {
      label: name,
      value: fromLink ? `${value}  (from link ${fromLink.slice(0, -1).toLowerCase()})` : value,
      isSecret: isSecretName(name),
      ...(hasSecretShape(value) ? {maskedValue: maskSecretText(value)} : {}),
      tone: fromLink ? 'dim' : 'normal',
    };
  });
}

/** Legacy links: `/source:/receiver/alias` → source and alias. */
export function parseLegacyLink(link: string): {source: string; alias: string} {
  const [source = '', target = ''] = link.split(':');
  return {source: source.replace(/^\//, ''), alias: target.split('/').pop() ?? ''};
}

function linkRows(container: ContainerSummary, index: ResourceIndex, details?: ContainerDetails): DetailRow[] {
  const rows: DetailRow[] = [];
  // Outgoing legacy links: other containers list this one as `this/alias` among their names.
  for (const other of index.containerById.values()) {
    for (const name of other.linkedFrom) {
      const [receiver, alias] = name.split('/');
      if (receiver === container.name) {
        rows.push({label: 'links to', value: `${other.name} as ${alias ?? ''} (legacy --link)`});
      }
    }
  }

  if (rows.length === 0) {
    for (const link of details?.legacyLinks ?? []) {
      const {source, alias} = parseLegacyLink(link);
      rows.push({label: 'links to', value: `${source} as ${alias} (legacy --link)`});
    }
  }

  for (const network of container.networks) {
    for (const link of network.links) {
      const {source, alias} = parseLegacyLink(link);
      rows.push({label: 'links to', value: `${source} as ${alias} (on ${network.name})`});
    }
  }

  for (const name of container.linkedFrom) {
    const [receiver, alias] = name.split('/');
    rows.push({label: 'linked from', value: `${receiver ?? ''} as ${alias ?? ''} (legacy --link)`});
  }

  for (const other of index.containerById.values()) {
    if (sharedWith(other.networkMode) === container.id) {
      rows.push({label: 'shares net with', value: `${other.name} (container: mode)`});
    }
  }

  return rows;
}

/** A duration as `docker ps` says it: "Less than a second", "About a minute", "3 hours", "2 weeks"… */
export function humanDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(seconds / 3600 + 0.5);
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (whole < 1) {
    return 'Less than a second';
  }

  if (whole < 60) {
    return plural(whole, 'second');
  }

  if (minutes === 1) {
    return 'About a minute';
  }

  if (minutes < 60) {
    return plural(minutes, 'minute');
  }

  if (hours === 1) {
    return 'About an hour';
  }

  return hours < 48 ? plural(hours, 'hour')
    : hours < 24 * 14 ? plural(Math.floor(hours / 24), 'day')
      : hours < 24 * 60 ? plural(Math.floor(hours / 24 / 7), 'week')
        : hours < 24 * 730 ? plural(Math.floor(hours / 24 / 30), 'month')
          : plural(Math.floor(seconds / 3600 / 24 / 365), 'year');
}

/**
 * The state as `docker ps` would say it now, from the inspected start and finish times; the list's own text is
 * as old as the last event about the container ("Up Less than a second" minutes later).
 */
export function stateNow(container: ContainerSummary, details: ContainerDetails | undefined, now = Date.now()): string {
  const state = (details?.raw['State'] ?? {}) as {Status?: string; StartedAt?: string; FinishedAt?: string; ExitCode?: number};
  const since = (time: string | undefined) => (time && !time.startsWith('0001') ? (now - Date.parse(time)) / 1000 : Number.NaN);
  if (state.Status === 'running' && Number.isFinite(since(state.StartedAt))) {
    return `Up ${humanDuration(since(state.StartedAt))}`;
  }

  if (state.Status === 'paused' && Number.isFinite(since(state.StartedAt))) {
    return `Up ${humanDuration(since(state.StartedAt))} (Paused)`;
  }

  if (state.Status === 'exited' && Number.isFinite(since(state.FinishedAt))) {
    return `Exited (${state.ExitCode ?? 0}) ${humanDuration(since(state.FinishedAt))} ago`;
  }

  return container.status || container.state;
}

function containerDetails(container: ContainerSummary, index: ResourceIndex, details?: ContainerDetails): DetailSection[] {
  const parent = sharedWith(container.networkMode);
  // The inspected document knows the mode a live switch made (the list shows the configured one).
  const mode = details && !parent ? currentMode(details) : displayNetworkMode(container, index);
  const overview: DetailRow[] = [
    {label: 'id', value: shortId(container.id)},
    {label: 'image', value: container.image},
    {label: 'state', value: stateNow(container, details), tone: container.state === 'running' ? 'good' : 'dim'},
    {label: 'network mode', value: parent ? `${mode} (shares the network namespace of ${mode.slice('container:'.length)})` : mode},
  ];
  if (details) {
    overview.push({label: 'restart', value: `${details.restartPolicy}${details.restartCount ? ` (restarted ${details.restartCount}×)` : ''}`});
    if (details.health) {
      overview.push({label: 'health', value: details.health, tone: details.health === 'healthy' ? 'good' : 'warning'});
    }

    const command = [...details.entrypoint, ...details.cmd];
    const maskedCommand = maskCommandLine(command).join(' ');
    overview.push({label: 'command', value: command.join(' '), ...(maskedCommand === command.join(' ') ? {} : {maskedValue: maskedCommand})});
  }

  if (container.ports.length > 0) {
    overview.push({label: 'ports', value: formatPorts(container.ports)});
  }

  // The list carries no aliases; the inspected document does.
  const networks: DetailRow[] = (details?.networks ?? container.networks).flatMap(network => [
    {label: network.name, value: `${network.ipv4 || 'no address'}${network.ipamIpv4 ? ' (static)' : ''}  gw ${network.gateway || '-'}  mac ${network.mac || '-'}`},
    ...(network.aliases.length > 0 ? [{label: '  aliases', value: network.aliases.filter(alias => !container.id.startsWith(alias)).join(', ') || '-', tone: 'dim' as const}] : []),
  ]);
  const sections: DetailSection[] = [
    {title: container.name, rows: overview},
    {title: 'Networks', rows: networks.length > 0 ? networks : [{label: '', value: parent ? 'none of its own: it uses its parent\'s' : mode === 'host' ? 'the host\'s network stack' : 'no network interfaces but lo', tone: 'dim'}]},
  ];
  const links = linkRows(container, index, details);
  if (links.length > 0) {
    sections.push({title: 'Links', rows: links});
  }

  if (container.mounts.length > 0) {
    sections.push({title: 'Mounts', rows: container.mounts.map(m => ({label: m.destination, value: `${m.type === 'volume' ? `volume ${m.name && m.name.length === 64 ? `${m.name.slice(0, 12)}… (anonymous)` : m.name}` : `${m.type} ${m.source}`}${m.isReadWrite ? '' : ' (read-only)'}`}))});
  }

  if (details) {
    const aliases = details.legacyLinks.map(link => parseLegacyLink(link).alias);
    sections.push({title: 'Environment', rows: envRows(details.env, aliases)});
    sections.push(...labelsSection(container.labels));
  } else {
    sections.push({title: 'Environment', rows: [{label: '', value: 'loading…', tone: 'dim'}]});
  }

  return sections;
}

/** The containers kind. */
export const containersKind: ResourceKind<ContainerSummary, ContainerDetails> = {
  id: 'containers',
  title: 'Containers',
  key: container => container.id,
  columns: [
    {title: 'NAME', width: 'flex', minWidth: 12, cell: c => c.name},
    {title: 'STATE', width: 8, cell: c => c.state, sortValue: c => stateOrder[c.state] ?? 9},
    {title: 'IMAGE', width: 'flex', minWidth: 10, cell: c => c.image.startsWith('sha256:') ? c.image.slice(7, 19) : c.image},
    {title: 'NET MODE', width: 'flex', minWidth: 9, cell: (c, index) => displayNetworkMode(c, index)},
    {title: 'NETWORKS', width: 'flex', minWidth: 12, cell: c => networksCell(c)},
    {title: 'PORTS', width: 'flex', minWidth: 8, cell: c => formatPorts(c.ports)},
  ],
  searchText: (c, index) => `${c.name} ${c.image} ${c.state} ${displayNetworkMode(c, index)} ${networksCell(c)} ${shortId(c.id)}`,
  compare: (a, b) => (stateOrder[a.state] ?? 9) - (stateOrder[b.state] ?? 9) || a.name.localeCompare(b.name),
  emptyMessage: 'No containers on this engine.',
  details: containerDetails,
};
