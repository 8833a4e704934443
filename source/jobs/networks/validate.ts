// Checks a network's settings before the engine is asked, so bad input changes nothing and says why. Pure.
import type {CreateNetworkSpec} from '../../engine/port.js';
import type {NetworkSummary} from '../../engine/types.js';
import {InputError} from '../job.js';
import {builtinNetworks} from '../../model/network-modes.js';
import {cidrContains, cidrInside, cidrsOverlap, findFreeSubnet, formatIpv4, parseCidr, parseIpv4, type Cidr} from './ipv4.js';

/** What a person asks for when creating a network. */
export type CreateNetworkInput = {
  readonly name: string;
  readonly driver?: string;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
  readonly isInternal?: boolean;
  readonly isAttachable?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
};

/** Drivers hawser offers; overlay only on a swarm manager. */
export const localDrivers: readonly string[] = ['bridge', 'macvlan', 'ipvlan'];

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Why a network (or alias) name is not acceptable, or undefined when it is. */
export function nameProblem(name: string, what = 'A network name'): string | undefined {
  if (!name) {
    return `${what} is needed.`;
  }

  if (name.length > 64) {
    return `${what} can have at most 64 characters.`;
  }

  return namePattern.test(name) ? undefined : `${what} starts with a letter or digit and holds only letters, digits, _ . and -.`;
}

/** Why a CIDR is not acceptable, or undefined. */
export function cidrProblem(text: string, what = 'The subnet'): string | undefined {
  if (parseCidr(text)) {
    return undefined;
  }

  const loose = parseCidr(text, false);
  return loose ? `${what} ${text} has host bits set: did you mean ${loose.text}?` : `${what} ${text} is not IPv4 CIDR notation like 10.20.0.0/24.`;
}

/** Parses `k=v, k=v` (commas or new lines) into a record. Throws InputError on a pair without `=`. */
export function parseKeyValues(text: string | undefined, what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of (text ?? '').split(/[,\n]/).map(p => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) {
      throw new InputError(`The ${what} "${part}" is not in the form key=value.`, `Write ${what}s as key=value, separated by commas.`);
    }

    result[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }

  return result;
}

/** The IPv4 subnets networks already use. */
export function usedSubnets(networks: readonly NetworkSummary[]): {network: string; cidr: Cidr}[] {
  return networks.flatMap(n => n.ipam.map(p => ({network: n.name, cidr: parseCidr(p.subnet, false)})).filter((u): u is {network: string; cidr: Cidr} => u.cidr !== undefined));
}

/** A subnet no network on the engine overlaps, to offer when the pools run out or a subnet clashes. */
export function freeSubnet(networks: readonly NetworkSummary[], prefix = 24): string | undefined {
  return findFreeSubnet(usedSubnets(networks).map(u => u.cidr), prefix)?.text;
}

/** Checks the input against the rules and the engine's networks; returns the engine's create spec. Throws InputError. */
export function validateCreateNetwork(input: CreateNetworkInput, existing: readonly NetworkSummary[], isSwarmManager: boolean): CreateNetworkSpec {
  const name = input.name.trim();
  const problem = nameProblem(name);
  if (problem) {
    throw new InputError(problem, 'For example: backend, app_net or web-1.');
  }

  if (builtinNetworks.includes(name)) {
    throw new InputError(`${name} is a built-in network name.`, 'Pick another name.');
  }

  if (existing.some(n => n.name === name)) {
    throw new InputError(`A network named ${name} exists already.`, 'Pick another name, or remove the old one first.');
  }

  const driver = (input.driver ?? 'bridge').trim() || 'bridge';
  if (driver === 'overlay' && !isSwarmManager) {
    throw new InputError('Overlay networks need a swarm: this engine is not a swarm manager.', 'Use bridge here, or run it against a swarm manager (docker swarm init).');
  }

  if (![...localDrivers, 'overlay'].includes(driver)) {
    throw new InputError(`Unknown driver ${driver}.`, `Choose one of ${[...localDrivers, ...(isSwarmManager ? ['overlay'] : [])].join(', ')}.`);
  }

  const subnetText = input.subnet?.trim() ?? '';
  const gatewayText = input.gateway?.trim() ?? '';
  const rangeText = input.ipRange?.trim() ?? '';
  if (!subnetText && (gatewayText || rangeText)) {
    throw new InputError('A gateway or IP range needs a subnet to lie in.', 'Give the subnet too, e.g. --subnet 10.20.0.0/24.');
  }

  let ipam: CreateNetworkSpec['ipam'];
  if (subnetText) {
    const cidrIssue = cidrProblem(subnetText);
    if (cidrIssue) {
      throw new InputError(cidrIssue, 'Write the subnet as its network address and prefix length.');
    }

    const subnet = parseCidr(subnetText)!;
    if (subnet.prefix > 30) {
      throw new InputError(`The subnet ${subnet.text} is too small for containers.`, 'Use a prefix of /30 or shorter, e.g. /24.');
    }

    const clash = usedSubnets(existing).find(u => cidrsOverlap(u.cidr, subnet));
    if (clash) {
      const free = findFreeSubnet(usedSubnets(existing).map(u => u.cidr), subnet.prefix);
      throw new InputError(`The subnet ${subnet.text} overlaps network ${clash.network} (${clash.cidr.text}).`, free ? `${free.text} is free on this engine.` : 'Pick a subnet no other network uses.');
    }

    const broadcast = subnet.base + (2 ** (32 - subnet.prefix)) - 1;
    if (gatewayText) {
      const gateway = parseIpv4(gatewayText);
      if (gateway === undefined) {
        throw new InputError(`The gateway ${gatewayText} is not an IPv4 address.`, `For example ${formatIpv4(subnet.base + 1)}.`);
      }

      if (!cidrContains(subnet, gateway) || gateway === subnet.base || gateway === broadcast) {
        throw new InputError(`The gateway ${gatewayText} is not a usable address inside ${subnet.text}.`, `For example ${formatIpv4(subnet.base + 1)}.`);
      }
    }

    if (rangeText) {
      const rangeIssue = cidrProblem(rangeText, 'The IP range');
      if (rangeIssue) {
        throw new InputError(rangeIssue, `Write the range as a CIDR inside ${subnet.text}.`);
      }

      if (!cidrInside(parseCidr(rangeText)!, subnet)) {
        throw new InputError(`The IP range ${rangeText} is not inside the subnet ${subnet.text}.`, `Pick a range inside ${subnet.text}, e.g. ${formatIpv4(subnet.base + ((2 ** (32 - subnet.prefix)) / 2))}/${subnet.prefix + 1}.`);
      }
    }

    ipam = [{subnet: subnet.text, ...(gatewayText ? {gateway: gatewayText} : {}), ...(rangeText ? {ipRange: parseCidr(rangeText)!.text} : {})}];
  }

  return {
    name,
    driver,
    internal: Boolean(input.isInternal),
    attachable: Boolean(input.isAttachable),
    ...(ipam ? {ipam} : {}),
    labels: {...input.labels},
    options: {...input.options},
  };
}
