// Network management as ActionForms, for the TUI's networks and containers panels. Each factory
// takes what the panel already knows (the selected network or container) and asks only the rest.
import type {EnginePort} from '../../engine/port.js';
import type {ActionForm, Choice, Field} from '../action-form.js';
import {InputError} from '../job.js';
import {parseAliases, prepareConnect, prepareDisconnect} from './attach.js';
import {prepareCreateNetwork} from './create.js';
import {isBuiltin} from './find.js';
import {preparePruneNetworks, prepareRemoveNetwork} from './remove.js';
import {cidrProblem, freeSubnet, localDrivers, nameProblem, parseKeyValues} from './validate.js';
import {parseIpv4} from './ipv4.js';

async function networkChoices(engine: EnginePort, isRemovable: boolean): Promise<Choice[]> {
  const networks = await engine.listNetworks();
  return networks
    .filter(n => !isRemovable || !isBuiltin(n))
    .filter(n => isRemovable || (n.name !== 'host' && n.name !== 'none'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(n => ({value: n.name, label: n.name, hint: [n.driver, n.ipam[0]?.subnet].filter(Boolean).join(' ')}));
}

async function containerChoices(engine: EnginePort): Promise<Choice[]> {
  const containers = await engine.listContainers();
  return containers.sort((a, b) => a.name.localeCompare(b.name)).map(c => ({value: c.name, label: c.name, hint: c.state}));
}

const need = (values: Readonly<Record<string, string>>, preset: string | undefined, field: string): string => {
  const value = preset ?? values[field] ?? '';
  if (!value) {
    throw new InputError(`No ${field} chosen.`, `Pick a ${field}.`);
  }

  return value;
};

/** "Create network": name, driver (overlay only on a swarm manager), subnet, gateway, IP range, internal, attachable, labels. */
export const createNetworkForm: ActionForm = {
  title: 'Create a network',
  fields: [
    {kind: 'text', name: 'name', label: 'Name', validate: value => nameProblem(value.trim())},
    {kind: 'choice', name: 'driver', label: 'Driver', initial: 'bridge', choices: async engine => {
      const info = await engine.info();
      return [...localDrivers, ...(info.isSwarmManager ? ['overlay'] : [])].map(d => ({value: d, label: d}));
    }},
    {kind: 'text', name: 'subnet', label: 'Subnet (CIDR; empty: the engine picks one)', isOptional: true, placeholder: '10.20.0.0/24', validate: value => (value.trim() ? cidrProblem(value.trim()) : undefined)},
    {kind: 'text', name: 'gateway', label: 'Gateway (empty: the first address)', isOptional: true, validate: value => (value.trim() && parseIpv4(value) === undefined ? `${value} is not an IPv4 address.` : undefined)},
    {kind: 'text', name: 'ipRange', label: 'IP range for containers (CIDR inside the subnet)', isOptional: true, validate: value => (value.trim() ? cidrProblem(value.trim(), 'The IP range') : undefined)},
    {kind: 'toggle', name: 'internal', label: 'Internal (no access outside the network)', initial: false},
    {kind: 'toggle', name: 'attachable', label: 'Attachable (for swarm overlay networks)', initial: false},
    {kind: 'text', name: 'labels', label: 'Labels (key=value, comma separated)', isOptional: true},
    {kind: 'text', name: 'options', label: 'Driver options (key=value, e.g. parent=eth0 for macvlan)', isOptional: true},
  ] satisfies Field[],
  prepare: async (engine, values) => prepareCreateNetwork(engine, {
    name: values['name'] ?? '',
    driver: values['driver'],
    subnet: values['subnet'],
    gateway: values['gateway'],
    ipRange: values['ipRange'],
    isInternal: values['internal'] === 'yes',
    isAttachable: values['attachable'] === 'yes',
    labels: parseKeyValues(values['labels'], 'label'),
    options: parseKeyValues(values['options'], 'option'),
  }),
};

/** A subnet no network on the engine uses, for a form's placeholder or an error's hint. */
export async function suggestSubnet(engine: EnginePort): Promise<string | undefined> {
  return freeSubnet(await engine.listNetworks());
}

/** "Connect to network": a container joins a network, with aliases and an optional static IPv4 address. */
export function connectNetworkForm(preset: {readonly network?: string; readonly container?: string} = {}): ActionForm {
  return {
    title: preset.container ? `Connect ${preset.container} to a network` : preset.network ? `Connect a container to ${preset.network}` : 'Connect a container to a network',
    fields: [
      ...(preset.network ? [] : [{kind: 'choice', name: 'network', label: 'Network', choices: async (engine: EnginePort) => networkChoices(engine, false)} as const]),
      ...(preset.container ? [] : [{kind: 'choice', name: 'container', label: 'Container', choices: containerChoices} as const]),
      {kind: 'text', name: 'aliases', label: 'Aliases (DNS names on that network, comma separated)', isOptional: true},
      {kind: 'text', name: 'ip', label: 'Static IPv4 address (empty: the engine picks one)', isOptional: true, validate: value => (value.trim() && parseIpv4(value) === undefined ? `${value} is not an IPv4 address.` : undefined)},
    ],
    prepare: async (engine, values) => prepareConnect(engine, {
      network: need(values, preset.network, 'network'),
      container: need(values, preset.container, 'container'),
      aliases: parseAliases(values['aliases']),
      ipv4: values['ip'],
    }),
  };
}

/** "Disconnect from network". */
export function disconnectNetworkForm(preset: {readonly network?: string; readonly container?: string} = {}): ActionForm {
  return {
    title: preset.container ? `Disconnect ${preset.container} from a network` : preset.network ? `Disconnect a container from ${preset.network}` : 'Disconnect a container from a network',
    fields: [
      // Offered from what is attached: the container's own networks, or the network's containers (running or not).
      ...(preset.network ? [] : [{kind: 'choice', name: 'network', label: 'Network', choices: async (engine: EnginePort) => (preset.container ? networksOf(engine, preset.container) : networkChoices(engine, false))} as const]),
      ...(preset.container ? [] : [{kind: 'choice', name: 'container', label: 'Container', choices: async (engine: EnginePort) => (preset.network ? containersOn(engine, preset.network) : containerChoices(engine))} as const]),
    ],
    prepare: async (engine, values) => prepareDisconnect(engine, {network: need(values, preset.network, 'network'), container: need(values, preset.container, 'container')}),
  };
}

async function networksOf(engine: EnginePort, container: string): Promise<Choice[]> {
  const details = await engine.inspectContainer(container);
  return details.networks.map(n => ({value: n.name, label: n.name, hint: n.ipv4})).sort((a, b) => a.label.localeCompare(b.label));
}

async function containersOn(engine: EnginePort, network: string): Promise<Choice[]> {
  const containers = await engine.listContainers();
  return containers.filter(c => c.networks.some(n => n.name === network)).sort((a, b) => a.name.localeCompare(b.name)).map(c => ({value: c.name, label: c.name, hint: c.state}));
}

/** "Remove network": refused for built-ins with why; attached containers named, optionally disconnected first. */
export function removeNetworkForm(preset: {readonly network?: string; readonly hasContainers?: boolean} = {}): ActionForm {
  return {
    title: preset.network ? `Remove network ${preset.network}` : 'Remove a network',
    fields: [
      ...(preset.network ? [] : [{kind: 'choice', name: 'network', label: 'Network', choices: async (engine: EnginePort) => networkChoices(engine, true)} as const]),
      // Not asked for a network known to have no container (its preview still names any that came meanwhile).
      ...(preset.hasContainers === false ? [] : [{kind: 'toggle', name: 'disconnect', label: 'Disconnect attached containers first', initial: false} as const]),
    ],
    prepare: async (engine, values) => prepareRemoveNetwork(engine, {network: need(values, preset.network, 'network'), disconnectFirst: values['disconnect'] === 'yes'}),
  };
}

/** "Prune networks": the preview lists every unused network before any is removed. */
export const pruneNetworksForm: ActionForm = {
  title: 'Remove unused networks',
  fields: [],
  prepare: async engine => preparePruneNetworks(engine),
};
