// Reads a recreated container back and compares it with what its plan promised: mode, networks and
// each endpoint's settings, ports, links, mounts, env and labels. An engine that changes its
// behaviour (Docker 26 dropped the network named by NetworkMode when endpoints were given) then
// shows as a named difference, never as a ✓ over a wrong state. Pure.
import type {ContainerDetails} from '../../engine/types.js';
import {hasNetworks, modeKind} from '../../model/network-modes.js';
import {normalizeLink, type RecreatePlan} from './plan.js';
import type {EndpointSettings} from './stash.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Port bindings in one comparable form: `80/tcp→:8080`, sorted; an unset host IP and 0.0.0.0 are the same. */
function portList(bindings: unknown): string[] {
  const list: string[] = [];
  for (const [port, hosts] of Object.entries((bindings ?? {}) as Json)) {
    for (const host of Array.isArray(hosts) ? hosts as Json[] : []) {
      const ip = String(host['HostIp'] ?? '');
      list.push(`${port}→${ip === '0.0.0.0' ? '' : ip}:${String(host['HostPort'] ?? '')}`);
    }
  }

  return list.sort();
}

/** The endpoints the plan gives the new container: network name → settings. */
export function plannedEndpoints(plan: RecreatePlan): Map<string, EndpointSettings> {
  const endpoints = new Map<string, EndpointSettings>();
  if (!hasNetworks(modeKind(plan.toMode))) {
    return endpoints;
  }

  endpoints.set(plan.toMode, {});
  const given = ((plan.spec['NetworkingConfig'] as Json | undefined)?.['EndpointsConfig'] ?? {}) as Record<string, EndpointSettings>;
  for (const [name, settings] of Object.entries(given)) {
    endpoints.set(name, settings ?? {});
  }

  for (const extra of plan.extraNetworks) {
    endpoints.set(extra.name, extra.settings);
  }

  return endpoints;
}

function endpointDifferences(name: string, planned: EndpointSettings, actual: Json, isRunning: boolean): string[] {
  const found: string[] = [];
  const aliases = new Set(strings(actual['Aliases']));
  const missingAliases = (planned.Aliases ?? []).filter(alias => !aliases.has(alias));
  if (missingAliases.length > 0) {
    found.push(`on ${name} without the alias${missingAliases.length > 1 ? 'es' : ''} ${missingAliases.join(', ')}`);
  }

  const ipv4 = planned.IPAMConfig?.['IPv4Address'];
  const actualIpv4 = (actual['IPAMConfig'] as Json | null | undefined)?.['IPv4Address'];
  if (ipv4 && ipv4 !== actualIpv4) {
    found.push(`on ${name} with the fixed address ${String(actualIpv4 || 'none')} instead of ${String(ipv4)}`);
  }

  const links = new Set(strings(actual['Links']).map(normalizeLink));
  const missingLinks = (planned.Links ?? []).filter(link => !links.has(normalizeLink(link)));
  if (missingLinks.length > 0) {
    found.push(`on ${name} without the link${missingLinks.length > 1 ? 's' : ''} ${missingLinks.join(', ')}`);
  }

  // A MAC address shows in inspect only while the container runs.
  if (planned.MacAddress && isRunning && String(actual['MacAddress'] ?? '').toLowerCase() !== planned.MacAddress.toLowerCase()) {
    found.push(`on ${name} with MAC ${String(actual['MacAddress'] || 'none')} instead of ${planned.MacAddress}`);
  }

  if (planned.GwPriority && Number(actual['GwPriority'] ?? 0) !== planned.GwPriority) {
    found.push(`on ${name} with gateway priority ${Number(actual['GwPriority'] ?? 0)} instead of ${planned.GwPriority}`);
  }

  return found;
}

/**
 * What differs between the container read back (`details`) and what `plan` promised, each in a few
 * words ("not on network bridge", "without the published ports 80/tcp→:8080"); empty when it matches.
 */
export function recreateDifferences(plan: RecreatePlan, details: ContainerDetails): string[] {
  const found: string[] = [];
  const raw = details.raw as Json;
  const host = (raw['HostConfig'] ?? {}) as Json;
  const config = (raw['Config'] ?? {}) as Json;
  const plannedHost = (plan.spec['HostConfig'] ?? {}) as Json;
  const plannedMode = String(plannedHost['NetworkMode'] ?? plan.toMode);
  const actualMode = String(host['NetworkMode'] ?? '');
  // From Engine 26.1 a network id prefix is rewritten to the full id when the container starts.
  const isSameMode = actualMode === plannedMode || (modeKind(plannedMode) === 'bridge' && modeKind(actualMode) === 'bridge') || (plannedMode.length >= 12 && actualMode.startsWith(plannedMode));
  if (!isSameMode) {
    found.push(`in network mode ${actualMode || 'none given'} instead of ${plannedMode}`);
  }

  const networks = ((raw['NetworkSettings'] as Json | undefined)?.['Networks'] ?? {}) as Record<string, Json | null>;
  const planned = plannedEndpoints(plan);
  for (const [name, settings] of planned) {
    const actual = networks[name];
    if (!actual) {
      found.push(`not on network ${name}`);
      continue;
    }

    found.push(...endpointDifferences(name, settings, actual, details.isRunning));
  }

  if (hasNetworks(modeKind(plan.toMode))) {
    const unplanned = Object.keys(networks).filter(name => !planned.has(name));
    if (unplanned.length > 0) {
      found.push(`also on network${unplanned.length > 1 ? 's' : ''} ${unplanned.join(', ')}, which the plan did not give it`);
    }
  }

  const plannedPorts = portList(plannedHost['PortBindings']);
  const actualPorts = portList(host['PortBindings']);
  if (plannedPorts.join(',') !== actualPorts.join(',')) {
    found.push(`with published ports ${actualPorts.join(', ') || 'none'} instead of ${plannedPorts.join(', ') || 'none'}`);
  }

  const plannedLinks = strings(plannedHost['Links']).map(normalizeLink).sort();
  const actualLinks = strings(host['Links']).map(normalizeLink).sort();
  if (plannedLinks.join(',') !== actualLinks.join(',')) {
    found.push(`with legacy links ${actualLinks.join(', ') || 'none'} instead of ${plannedLinks.join(', ') || 'none'}`);
  }

  const destinations = new Set((Array.isArray(raw['Mounts']) ? raw['Mounts'] as Json[] : []).map(mount => String(mount['Destination'] ?? '')));
  const plannedTargets = [
    ...strings(plannedHost['Binds']).map(bind => bind.split(':')[1] ?? ''),
    ...(Array.isArray(plannedHost['Mounts']) ? plannedHost['Mounts'] as Json[] : []).map(mount => String(mount['Target'] ?? '')),
  ].filter(Boolean);
  const missingMounts = plannedTargets.filter(target => !destinations.has(target));
  if (missingMounts.length > 0) {
    found.push(`without the mount${missingMounts.length > 1 ? 's' : ''} at ${missingMounts.join(', ')}`);
  }

  const env = new Set(strings(config['Env']));
  const missingEnv = strings(plan.spec['Env']).filter(entry => !env.has(entry)).map(entry => entry.split('=')[0]);
  if (missingEnv.length > 0) {
    found.push(`without the environment variable${missingEnv.length > 1 ? 's' : ''} ${missingEnv.join(', ')}`);
  }

  const labels = (config['Labels'] ?? {}) as Record<string, string>;
  const plannedLabels = (plan.spec['Labels'] ?? {}) as Record<string, string>;
  const wrongLabels = Object.keys(plannedLabels).filter(key => labels[key] !== plannedLabels[key]);
  if (wrongLabels.length > 0) {
    found.push(`with the label${wrongLabels.length > 1 ? 's' : ''} ${wrongLabels.join(', ')} changed`);
  }

  return found;
}

/**
 * The networks the plan puts the new container on that the engine does not have (removed since the
 * container left them, say for host mode): asked before anything changes, since below API 1.44 they
 * are connected only after the original was stopped.
 */
export function missingNetworks(plan: RecreatePlan, existing: readonly {readonly id: string; readonly name: string}[]): string[] {
  return [...plannedEndpoints(plan).keys()].filter(name => name !== 'bridge' && !existing.some(network => network.name === name || network.id === name || (name.length >= 12 && network.id.startsWith(name))));
}
