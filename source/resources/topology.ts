// The network topology as text: every network with its members (IP, aliases), containers sharing
// another's namespace, host- and none-mode containers, and legacy links. Pure.
import type {ContainerSummary, NetworkSummary} from '../engine/types.js';
import {displayNetworkMode, formatPorts, sharedWith} from './containers.js';
import type {ResourceIndex} from './kind.js';

/** One line of the topology. */
export type TopologyLine = {readonly text: string; readonly tone?: 'title' | 'dim' | 'warning' | 'good'};

/** Aliases per container id and network name, from inspect (the list does not carry them). */
export type AliasMap = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Builds the topology's lines from the lists and the aliases known so far. */
export function topologyLines(containers: readonly ContainerSummary[], networks: readonly NetworkSummary[], index: ResourceIndex, aliases: AliasMap = new Map()): TopologyLine[] {
  const lines: TopologyLine[] = [];
  const children = new Map<string, ContainerSummary[]>();
  for (const container of containers) {
    const parent = sharedWith(container.networkMode);
    if (parent) {
      const key = index.containerById.get(parent)?.id ?? parent;
      children.set(key, [...(children.get(key) ?? []), container]);
    }
  }

  const nameWidth = Math.min(24, Math.max(8, ...containers.map(c => c.name.length)));
  const memberLines = (container: ContainerSummary, network: string, isLast: boolean) => {
    const attachment = container.networks.find(n => n.name === network);
    const names = (aliases.get(container.id)?.get(network) ?? []).filter(alias => alias !== container.name && !container.id.startsWith(alias));
    const ports = formatPorts(container.ports);
    const state = container.state === 'running' ? '' : `  (${container.state})`;
    const out: TopologyLine[] = [{
      text: `  ${isLast ? '└─' : '├─'} ${pad(container.name, nameWidth)} ${pad(attachment?.ipv4 || '-', 15)}${names.length > 0 ? `  aliases: ${names.join(', ')}` : ''}${ports ? `  ports ${ports}` : ''}${state}`,
      tone: container.state === 'running' ? undefined : 'dim',
    }];
    const rail = isLast ? '   ' : '  │';
    for (const name of container.linkedFrom) {
      const [receiver, alias] = name.split('/');
      out.push({text: `${rail}    ◀── ${receiver ?? ''} links to it as "${alias ?? ''}" (legacy --link)`, tone: 'dim'});
    }

    for (const child of children.get(container.id) ?? []) {
      out.push({text: `${rail}    └─ ${child.name} shares its network namespace (container: mode)`, tone: 'dim'});
    }

    return out;
  };

  for (const network of networks) {
    if (network.name === 'host' || network.name === 'none') {
      continue;
    }

    const members = (index.containersByNetwork.get(network.name) ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
    const subnet = network.ipam.map(pool => pool.subnet).join(', ');
    const flags = [network.driver, subnet, network.isInternal ? 'internal: no way out of the host' : '', network.options['com.docker.network.bridge.enable_icc'] === 'false' ? 'containers cannot talk to each other (ICC off)' : '', network.name === 'bridge' ? 'default bridge: no DNS between containers, legacy links only' : '']
      .filter(Boolean).join(' · ');
    lines.push({text: `● ${network.name}  ${flags}`, tone: 'title'});
    if (members.length === 0) {
      lines.push({text: '  (no containers)', tone: 'dim'});
    }

    members.forEach((container, i) => lines.push(...memberLines(container, network.name, i === members.length - 1)));
    lines.push({text: ''});
  }

  const byMode = (mode: string) => containers.filter(c => c.networkMode === mode);
  for (const [mode, title] of [['host', '● host  the host\'s own network stack: no isolation, no published ports needed'], ['none', '● none  no network: only lo']] as const) {
    const members = byMode(mode);
    if (members.length === 0) {
      continue;
    }

    lines.push({text: title, tone: 'title'});
    members.forEach((container, i) => {
      lines.push({text: `  ${i === members.length - 1 ? '└─' : '├─'} ${container.name}${container.state === 'running' ? '' : `  (${container.state})`}`});
      for (const child of children.get(container.id) ?? []) {
        lines.push({text: `       └─ ${child.name} shares its network namespace (container: mode)`, tone: 'dim'});
      }
    });
    lines.push({text: ''});
  }

  const orphans = containers.filter(c => sharedWith(c.networkMode) && !index.containerById.has(sharedWith(c.networkMode)!));
  if (orphans.length > 0) {
    lines.push({text: '● broken namespace sharing', tone: 'warning'});
    for (const orphan of orphans) {
      lines.push({text: `  └─ ${orphan.name} shares ${displayNetworkMode(orphan, index)}, which no longer exists: it has only lo`, tone: 'warning'});
    }
  }

  return lines;
}
