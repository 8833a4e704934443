// The networks panel: its rows (networks.ts has the kind), its actions and what the list keys do with a network.
import type {NetworkDetails, NetworkSummary} from '../engine/types.js';
import {connectNetworkForm, createNetworkForm, disconnectNetworkForm, pruneNetworksForm, removeNetworkForm} from '../jobs/networks/forms.js';
import {builtinNetworks} from '../model/network-modes.js';
import type {ResourceAction} from './actions.js';
import {memberCount, networksKind} from './networks.js';
import type {PanelSpec} from './panel.js';

/** Actions of the networks panel. */
const networkActions: readonly ResourceAction<NetworkSummary>[] = [
  {command: 'createNetwork', keys: ['c'], label: 'create a network (driver, subnet, gateway, internal)', isDangerous: true, isInBar: true, needsItem: false, form: () => createNetworkForm},
  {command: 'attach', keys: ['a'], label: 'connect a container to this network (aliases, static IP)', isDangerous: true, isInBar: true, form: n => connectNetworkForm({network: n.name})},
  {command: 'detach', keys: ['A'], label: 'disconnect a container from this network', isDangerous: true, form: n => disconnectNetworkForm({network: n.name})},
  {command: 'removeNetwork', keys: ['d'], label: 'remove this network (asks first)', isDangerous: true, unavailable: n => (builtinNetworks.includes(n.name) ? `${n.name} is built into the engine and cannot be removed.` : undefined), form: (n, index) => removeNetworkForm({network: n.name, hasContainers: memberCount(n, index) > 0})},
  {command: 'pruneNetworks', keys: ['P'], label: 'remove unused networks (lists them first)', isDangerous: true, needsItem: false, form: () => pruneNetworksForm},
];

/** The panel. */
export const networksPanel: PanelSpec<NetworkSummary, NetworkDetails> = {
  kind: networksKind,
  items: lists => lists.networks,
  actions: networkActions,
  name: network => network.name,
  inspectTarget: 'network',
  inspect: (engine, key, signal) => engine.inspectNetwork(key, {signal}),
  copyText: (network, isAddress) => (isAddress ? network.ipam[0]?.subnet : network.id),
};
