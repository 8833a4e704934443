// The networks panel: columns, search, sort and details.
import {attachedTo} from '../jobs/networks/attached.js';
import type {NetworkDetails, NetworkSummary} from '../engine/types.js';
import type {DetailRow, DetailSection, ResourceIndex, ResourceKind} from './kind.js';
import {labelsSection} from './labels-section.js';
import {builtinNetworks} from '../model/network-modes.js';

function subnetCell(network: NetworkSummary): string {
  return network.ipam.map(pool => `${pool.subnet}${pool.gateway ? ` gw ${pool.gateway}` : ''}`).join(', ');
}

/** How many containers use a network. */
export function memberCount(network: NetworkSummary, index: ResourceIndex): number {
  return (index.containersByNetwork.get(network.name) ?? []).length;
}

function networkDetails(network: NetworkSummary, index: ResourceIndex, details?: NetworkDetails): DetailSection[] {
  const overview: DetailRow[] = [
    {label: 'id', value: network.id.slice(0, 12)},
    {label: 'driver', value: `${network.driver} (${network.scope})`},
    {label: 'subnet', value: subnetCell(network) || '-'},
    ...network.ipam.filter(pool => pool.ipRange).map(pool => ({label: 'ip range', value: pool.ipRange ?? ''})),
    {label: 'internal', value: network.isInternal ? 'yes: no route out of the host' : 'no', tone: network.isInternal ? 'warning' as const : 'normal' as const},
    {label: 'attachable', value: network.isAttachable ? 'yes' : 'no'},
  ];
  if (builtinNetworks.includes(network.name)) {
    overview.push({label: 'built-in', value: 'created by the engine; cannot be removed', tone: 'dim'});
  }

  const fromList = index.containersByNetwork.get(network.name) ?? [];
  // The inspected network has only the running containers' endpoints; the others are in the containers' list.
  const members: DetailRow[] = details
    ? attachedTo(details, [...index.containerById.values()]).map(m => (m.isRunning
      ? {label: m.name, value: `${m.ipv4 || '-'}  mac ${m.mac || '-'}`}
      : {label: m.name, value: `not running: gets its address when it starts`, tone: 'dim' as const}))
    : fromList.map(c => ({label: c.name, value: c.networks.find(n => n.name === network.name)?.ipv4 || '-'}));
  const sections: DetailSection[] = [
    {title: network.name, rows: overview},
    {title: `Members (${members.length})`, rows: members.length > 0 ? members : [{label: '', value: 'no containers', tone: 'dim'}]},
  ];
  const options = Object.entries(network.options);
  if (options.length > 0) {
    sections.push({title: 'Options', rows: options.map(([label, value]) => ({label: label.replace(/^com\.docker\.network\./, ''), value, tone: label.endsWith('enable_icc') && value === 'false' ? 'warning' : 'dim'}))});
  }

  sections.push(...labelsSection(network.labels));
  return sections;
}

/** The networks kind. */
export const networksKind: ResourceKind<NetworkSummary, NetworkDetails> = {
  id: 'networks',
  title: 'Networks',
  key: network => network.id,
  columns: [
    {title: 'NAME', width: 'flex', minWidth: 12, cell: n => n.name},
    {title: 'DRIVER', width: 8, cell: n => n.driver},
    {title: 'SCOPE', width: 7, cell: n => n.scope},
    {title: 'SUBNET / GATEWAY', width: 'flex', minWidth: 16, cell: n => subnetCell(n)},
    {title: 'INTERNAL', width: 10, cell: n => (n.isInternal ? 'yes' : '')},
    {title: 'CTRS', width: 6, cell: (n, index) => String(memberCount(n, index))},
  ],
  searchText: n => `${n.name} ${n.driver} ${n.scope} ${subnetCell(n)} ${n.id.slice(0, 12)}`,
  compare: (a, b) => Number(builtinNetworks.includes(b.name)) - Number(builtinNetworks.includes(a.name)) || a.name.localeCompare(b.name),
  emptyMessage: 'No networks.',
  details: networkDetails,
};
